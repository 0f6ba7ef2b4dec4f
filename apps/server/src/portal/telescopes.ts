/** Telescopes of a portal, at a site, with pointing limits for the planner (admins manage them). */
import { type Static, Type } from "typebox";
import { observingSites, telescopes } from "../db/portal-schema.js";
import type { App } from "../http/app-type.js";
import type { AppContext } from "../http/context.js";
import { orgPolicy } from "../http/policy.js";
import { checkReference, crudRoutes } from "./crud.js";
import { closed, DateTime, NameSchema, Nullable, Uuid } from "./schemas.js";

const Metres = (description: string) => Type.Number({ exclusiveMinimum: 0, maximum: 1000, description });

export const LimitsSchema = Type.Object(
  {
    minAltitudeDeg: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    maxAirmass: Type.Optional(Type.Number({ minimum: 1, maximum: 100 })),
    hourAngleMinH: Type.Optional(Type.Number({ minimum: -12, maximum: 12 })),
    hourAngleMaxH: Type.Optional(Type.Number({ minimum: -12, maximum: 12 })),
    minDeclinationDeg: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    maxDeclinationDeg: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  },
  { ...closed, description: "Pointing limits used by the planner; all optional" },
);

export const TelescopeSchema = Type.Object(
  {
    id: Uuid,
    siteId: Nullable(Uuid),
    name: Type.String(),
    apertureM: Nullable(Type.Number()),
    focalLengthM: Nullable(Type.Number()),
    limits: LimitsSchema,
    createdAt: DateTime,
  },
  closed,
);

export function telescopeView(r: typeof telescopes.$inferSelect) {
  return {
    id: r.id,
    siteId: r.siteId,
    name: r.name,
    apertureM: r.apertureM,
    focalLengthM: r.focalLengthM,
    limits: r.limits,
    createdAt: r.createdAt.toISOString(),
  };
}

const TelescopeCreate = Type.Object(
  {
    name: NameSchema,
    siteId: Type.Optional(Nullable(Uuid)),
    apertureM: Type.Optional(Nullable(Metres("aperture diameter, metres"))),
    focalLengthM: Type.Optional(Nullable(Metres("focal length, metres"))),
    limits: Type.Optional(LimitsSchema),
  },
  closed,
);
const TelescopePatch = Type.Partial(TelescopeCreate, closed);

export function telescopeRoutes(app: App, context: AppContext): void {
  const check = async (body: { siteId?: string | null }, orgId: string) =>
    checkReference(context.db, observingSites, orgId, body.siteId, "site");
  crudRoutes(app, context, {
    table: telescopes,
    path: "telescopes",
    idParam: "telescopeId",
    noun: "telescope",
    tag: "telescopes",
    schema: TelescopeSchema,
    create: TelescopeCreate,
    patch: TelescopePatch,
    view: telescopeView,
    read: orgPolicy("observer", { anonymous: "public-portal" }),
    write: orgPolicy("admin"),
    async toInsert(body: Static<typeof TelescopeCreate>, access) {
      await check(body, access.org.id);
      return { ...body };
    },
    async toUpdate(body: Static<typeof TelescopePatch>, access) {
      await check(body, access.org.id);
      return { ...body };
    },
    conflict: (body) => `a telescope named "${body.name}" exists in this portal`,
  });
}
