/** Observing sites of a portal (admins manage them; the public page lists them). */
import { type Static, Type } from "typebox";
import { observingSites } from "../db/portal-schema.js";
import { ServerError } from "../errors.js";
import type { App } from "../http/app-type.js";
import type { AppContext } from "../http/context.js";
import { orgPolicy } from "../http/policy.js";
import { crudRoutes } from "./crud.js";
import { closed, DateTime, NameSchema, Nullable, Uuid } from "./schemas.js";

const Longitude = Type.Number({ minimum: -180, maximum: 360, description: "degrees, east positive" });
const Latitude = Type.Number({ minimum: -90, maximum: 90, description: "degrees" });
const Elevation = Type.Number({ minimum: -500, maximum: 10_000, description: "metres above sea level" });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone, e.g. "America/Santiago"',
});
const IauCode = Type.String({ pattern: "^[A-Za-z0-9]{1,8}$" });
const Horizon = Type.Array(
  Type.Tuple([Type.Number({ minimum: 0, maximum: 360 }), Type.Number({ minimum: -90, maximum: 90 })]),
  {
    maxItems: 3600,
    description: "[azimuth_deg, min_altitude_deg] pairs sorted by azimuth",
  },
);

export const SiteSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    longitude: Type.Number(),
    latitude: Type.Number(),
    elevation: Type.Number(),
    timeZone: Type.String(),
    iauCode: Nullable(Type.String()),
    horizon: Nullable(Type.Array(Type.Tuple([Type.Number(), Type.Number()]))),
    createdAt: DateTime,
  },
  closed,
);

type SiteRow = typeof observingSites.$inferSelect;

export function siteView(r: SiteRow) {
  return {
    id: r.id,
    name: r.name,
    longitude: r.longitude,
    latitude: r.latitude,
    elevation: r.elevation,
    timeZone: r.timeZone,
    iauCode: r.iauCode,
    horizon: r.horizon,
    createdAt: r.createdAt.toISOString(),
  };
}

/** True when `zone` is a time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const SiteCreate = Type.Object(
  {
    name: NameSchema,
    longitude: Longitude,
    latitude: Latitude,
    elevation: Type.Optional(Elevation),
    timeZone: Type.Optional(TimeZone),
    iauCode: Type.Optional(Nullable(IauCode)),
    horizon: Type.Optional(Nullable(Horizon)),
  },
  closed,
);
const SitePatch = Type.Object(
  {
    name: Type.Optional(NameSchema),
    longitude: Type.Optional(Longitude),
    latitude: Type.Optional(Latitude),
    elevation: Type.Optional(Elevation),
    timeZone: Type.Optional(TimeZone),
    iauCode: Type.Optional(Nullable(IauCode)),
    horizon: Type.Optional(Nullable(Horizon)),
  },
  closed,
);

function checkZone(zone: string | undefined): void {
  if (zone !== undefined && !isTimeZone(zone))
    throw new ServerError("VALIDATION_FAILED", `timeZone "${zone}" is not an IANA time zone`);
}

export function siteRoutes(app: App, context: AppContext): void {
  crudRoutes(app, context, {
    table: observingSites,
    path: "sites",
    idParam: "siteId",
    noun: "site",
    tag: "sites",
    schema: SiteSchema,
    create: SiteCreate,
    patch: SitePatch,
    view: siteView,
    read: orgPolicy("observer", { anonymous: "public-portal" }),
    write: orgPolicy("admin"),
    async toInsert(body: Static<typeof SiteCreate>) {
      checkZone(body.timeZone);
      return { ...body };
    },
    async toUpdate(body: Static<typeof SitePatch>) {
      checkZone(body.timeZone);
      return { ...body };
    },
    conflict: (body) => `a site named "${body.name}" exists in this portal`,
  });
}
