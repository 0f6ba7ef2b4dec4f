/** Instruments of a portal: detector, pixel scale, field of view, filters (admins manage them). */
import { type Static, Type } from "typebox";
import { instruments, telescopes } from "../db/portal-schema.js";
import type { App } from "../http/app-type.js";
import type { AppContext } from "../http/context.js";
import { orgPolicy } from "../http/policy.js";
import { checkReference, crudRoutes } from "./crud.js";
import { closed, DateTime, NameSchema, Nullable, Uuid } from "./schemas.js";

const Pixels = Type.Integer({ minimum: 1, maximum: 1_000_000 });
const Degrees = Type.Number({ exclusiveMinimum: 0, maximum: 180 });

export const InstrumentSchema = Type.Object(
  {
    id: Uuid,
    telescopeId: Nullable(Uuid),
    name: Type.String(),
    detectorWidthPx: Nullable(Type.Integer()),
    detectorHeightPx: Nullable(Type.Integer()),
    pixelScaleArcsec: Nullable(Type.Number()),
    fovWidthDeg: Nullable(Type.Number()),
    fovHeightDeg: Nullable(Type.Number()),
    filters: Type.Array(Type.String()),
    createdAt: DateTime,
  },
  closed,
);

const InstrumentCreate = Type.Object(
  {
    name: NameSchema,
    telescopeId: Type.Optional(Nullable(Uuid)),
    detectorWidthPx: Type.Optional(Nullable(Pixels)),
    detectorHeightPx: Type.Optional(Nullable(Pixels)),
    pixelScaleArcsec: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 3600 }))),
    fovWidthDeg: Type.Optional(Nullable(Degrees)),
    fovHeightDeg: Type.Optional(Nullable(Degrees)),
    filters: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200, uniqueItems: true }),
    ),
  },
  closed,
);
const InstrumentPatch = Type.Partial(InstrumentCreate, closed);

export function instrumentView(r: typeof instruments.$inferSelect) {
  return {
    id: r.id,
    telescopeId: r.telescopeId,
    name: r.name,
    detectorWidthPx: r.detectorWidthPx,
    detectorHeightPx: r.detectorHeightPx,
    pixelScaleArcsec: r.pixelScaleArcsec,
    fovWidthDeg: r.fovWidthDeg,
    fovHeightDeg: r.fovHeightDeg,
    filters: r.filters,
    createdAt: r.createdAt.toISOString(),
  };
}

/** Field of view from detector size and pixel scale when not given (degrees). */
function withFieldOfView<T extends Static<typeof InstrumentPatch>>(body: T): T {
  const out = { ...body };
  const scale = body.pixelScaleArcsec;
  if (scale != null) {
    if (out.fovWidthDeg === undefined && body.detectorWidthPx != null)
      out.fovWidthDeg = (body.detectorWidthPx * scale) / 3600;
    if (out.fovHeightDeg === undefined && body.detectorHeightPx != null)
      out.fovHeightDeg = (body.detectorHeightPx * scale) / 3600;
  }
  return out;
}

export function instrumentRoutes(app: App, context: AppContext): void {
  crudRoutes(app, context, {
    table: instruments,
    path: "instruments",
    idParam: "instrumentId",
    noun: "instrument",
    tag: "instruments",
    schema: InstrumentSchema,
    create: InstrumentCreate,
    patch: InstrumentPatch,
    view: instrumentView,
    read: orgPolicy("observer"),
    write: orgPolicy("admin"),
    async toInsert(body: Static<typeof InstrumentCreate>, access) {
      await checkReference(context.db, telescopes, access.org.id, body.telescopeId, "telescope");
      return withFieldOfView(body);
    },
    async toUpdate(body: Static<typeof InstrumentPatch>, access) {
      await checkReference(context.db, telescopes, access.org.id, body.telescopeId, "telescope");
      return withFieldOfView(body);
    },
    conflict: (body) => `an instrument named "${body.name}" exists in this portal`,
  });
}
