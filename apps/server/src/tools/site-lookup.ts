/**
 * Sites and telescopes for the planning tools: a site given by name comes from the portal's
 * `observing_sites` (organisations the caller belongs to, or public ones), then from the bundled
 * observatories; `lat,lon[,elev]` text or an object is used as given. A telescope brings its
 * pointing limits (`telescopes.limits`) and, when no site is given, its site.
 */
import {
  type Constraints,
  listKnownSites,
  makeHorizonProfile,
  makeSite,
  resolveSite,
  type Site,
  type Target,
} from "@meridian/plan";
import { and, asc, eq, isNotNull, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import {
  memberships,
  observingSites,
  organisations,
  type TelescopeLimits,
  targetListItems,
  targetLists,
  targets as targetRows,
  telescopes,
} from "../db/portal-schema.js";
import { ServerError } from "../errors.js";
import { wallClockMs } from "../portal/ingest/night-of.js";
import { planErrorToServer } from "./plan-errors.js";

/** A site with what the planner needs besides coordinates. */
export interface ResolvedSite {
  readonly site: Site;
  /** Where it came from: `database`, `bundled` or `coordinates`. */
  readonly source: "database" | "bundled" | "coordinates";
  /** Local time offset for the night's noon-to-noon boundaries, hours east of UTC. */
  readonly utcOffsetHours?: number;
  /** IANA zone of a database site. */
  readonly timeZone?: string;
  /** Horizon profile points of a database site. */
  readonly horizon?: readonly (readonly [number, number])[];
}

/** Site input of the tools API. */
export type SiteInput = string | { latitude: number; longitude: number; elevation?: number; name?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rows visible to `userId`: of a public organisation or one the user belongs to. */
function visibleToCaller(): SQL | undefined {
  return or(eq(organisations.isPublic, true), isNotNull(memberships.userId));
}

/** Condition matching a row by uuid, `org-slug/name` or name (case-insensitive). */
function byKey(
  key: string,
  idCol: typeof observingSites.id | typeof telescopes.id | typeof targetLists.id,
  nameCol: typeof observingSites.name | typeof telescopes.name | typeof targetLists.name,
): SQL | undefined {
  const k = key.trim();
  const slash = k.indexOf("/");
  if (UUID.test(k)) return eq(idCol, k);
  if (slash > 0) {
    return and(
      eq(sql`lower(${organisations.slug})`, k.slice(0, slash).toLowerCase()),
      eq(
        sql`lower(${nameCol})`,
        k
          .slice(slash + 1)
          .trim()
          .toLowerCase(),
      ),
    );
  }
  return eq(sql`lower(${nameCol})`, k.toLowerCase());
}

/** UTC offset (hours) of an IANA zone at `ms`; undefined for an unknown zone. */
export function zoneOffsetHours(timeZone: string, ms: number): number | undefined {
  try {
    const h = (wallClockMs(new Date(ms), timeZone) - Math.floor(ms / 1000) * 1000) / 3600000;
    return Number.isFinite(h) ? h : undefined;
  } catch {
    return undefined;
  }
}

async function findDatabaseSite(
  db: Database,
  userId: string,
  key: string,
  at: number,
): Promise<ResolvedSite | undefined> {
  const rows = await db
    .select({ site: observingSites, member: memberships.userId })
    .from(observingSites)
    .innerJoin(organisations, eq(organisations.id, observingSites.orgId))
    .leftJoin(memberships, and(eq(memberships.orgId, observingSites.orgId), eq(memberships.userId, userId)))
    .where(and(visibleToCaller(), byKey(key, observingSites.id, observingSites.name)))
    .limit(20);
  if (rows.length === 0) return undefined;
  // The caller's own organisations first; among several equally near matches, refuse to guess.
  const own = rows.filter((r) => r.member !== null);
  const pick = own.length > 0 ? own : rows;
  if (pick.length > 1) {
    throw new ServerError(
      "CONFLICT",
      `site "${key}" names ${pick.length} sites; give it as organisation/name or by id`,
    );
  }
  const s = (pick[0] as (typeof rows)[number]).site;
  return siteFromRow(s, at);
}

function siteFromRow(s: typeof observingSites.$inferSelect, at: number): ResolvedSite {
  const offset = zoneOffsetHours(s.timeZone, at);
  return {
    site: makeSite(s.latitude, s.longitude, s.elevation, s.name),
    source: "database",
    timeZone: s.timeZone,
    ...(offset !== undefined && s.timeZone !== "UTC" ? { utcOffsetHours: offset } : {}),
    ...(s.horizon && s.horizon.length > 0 ? { horizon: s.horizon } : {}),
  };
}

/**
 * Resolve a site for `userId`; `at` (Unix ms) picks the zone offset (daylight saving) of a
 * database site.
 */
export async function resolveToolSite(
  db: Database,
  userId: string,
  input: SiteInput,
  at: number,
): Promise<ResolvedSite> {
  try {
    if (typeof input !== "string") {
      return {
        site: makeSite(input.latitude, input.longitude, input.elevation ?? 0, input.name),
        source: "coordinates",
      };
    }
    if (/^\s*[+-]?\d/.test(input) && input.includes(","))
      return { site: resolveSite(input), source: "coordinates" };
    const fromDb = await findDatabaseSite(db, userId, input, at);
    if (fromDb) return fromDb;
    const known = resolveSite(input);
    return {
      site: known,
      source: "bundled",
      ...("utcOffsetHours" in known && known.utcOffsetHours !== undefined
        ? { utcOffsetHours: known.utcOffsetHours }
        : {}),
    };
  } catch (err) {
    throw planErrorToServer(err);
  }
}

/** A telescope with its limits (and site, when it has one). */
export interface ResolvedTelescope {
  readonly id: string;
  readonly name: string;
  readonly limits: TelescopeLimits;
  readonly site?: typeof observingSites.$inferSelect;
}

/** Find a telescope visible to `userId` by id, `org-slug/name` or name. */
export async function resolveTelescope(
  db: Database,
  userId: string,
  key: string,
): Promise<ResolvedTelescope> {
  const rows = await db
    .select({ telescope: telescopes, site: observingSites, member: memberships.userId })
    .from(telescopes)
    .innerJoin(organisations, eq(organisations.id, telescopes.orgId))
    .leftJoin(observingSites, eq(observingSites.id, telescopes.siteId))
    .leftJoin(memberships, and(eq(memberships.orgId, telescopes.orgId), eq(memberships.userId, userId)))
    .where(and(visibleToCaller(), byKey(key, telescopes.id, telescopes.name)))
    .limit(20);
  const own = rows.filter((r) => r.member !== null);
  const pick = own.length > 0 ? own : rows;
  if (pick.length === 0) throw new ServerError("NOT_FOUND", `no telescope "${key}" that you can see`);
  if (pick.length > 1) {
    throw new ServerError(
      "CONFLICT",
      `telescope "${key}" names ${pick.length} telescopes; give organisation/name or the id`,
    );
  }
  const r = pick[0] as (typeof rows)[number];
  return {
    id: r.telescope.id,
    name: r.telescope.name,
    limits: r.telescope.limits,
    ...(r.site ? { site: r.site } : {}),
  };
}

/** The site of a telescope, as a resolved site. */
export function telescopeSite(t: ResolvedTelescope, at: number): ResolvedSite | undefined {
  return t.site ? siteFromRow(t.site, at) : undefined;
}

/**
 * Combine the user's constraints with a telescope's limits: the stricter of each (higher minimum
 * altitude, lower maximum airmass, intersected hour-angle and declination ranges).
 */
export function withTelescopeLimits(c: Constraints, limits: TelescopeLimits): Constraints {
  const out: { -readonly [K in keyof Constraints]: Constraints[K] } = { ...c };
  if (limits.minAltitudeDeg !== undefined)
    out.minAltitude = Math.max(c.minAltitude ?? 0, limits.minAltitudeDeg);
  if (limits.maxAirmass !== undefined) out.maxAirmass = Math.min(c.maxAirmass ?? Infinity, limits.maxAirmass);
  if (limits.hourAngleMinH !== undefined || limits.hourAngleMaxH !== undefined) {
    out.hourAngle = {
      min: Math.max(c.hourAngle?.min ?? -12, limits.hourAngleMinH ?? -12),
      max: Math.min(c.hourAngle?.max ?? 12, limits.hourAngleMaxH ?? 12),
    };
  }
  if (limits.minDeclinationDeg !== undefined || limits.maxDeclinationDeg !== undefined) {
    out.declination = {
      min: Math.max(c.declination?.min ?? -90, limits.minDeclinationDeg ?? -90),
      max: Math.min(c.declination?.max ?? 90, limits.maxDeclinationDeg ?? 90),
    };
  }
  return out;
}

/** A site's stored horizon as a profile, unless the request brings its own. */
export function siteHorizon(site: ResolvedSite, c: Constraints): Constraints {
  if (c.horizon || !site.horizon) return c;
  return { ...c, horizon: makeHorizonProfile(site.horizon) };
}

/**
 * The targets of a portal target list visible to `userId`, in list order. Positions given at
 * another epoch are carried back to J2000.0 along their proper motion (linear, as the planner
 * applies it).
 */
export async function loadTargetList(db: Database, userId: string, key: string): Promise<Target[]> {
  const lists = await db
    .select({ id: targetLists.id, member: memberships.userId })
    .from(targetLists)
    .innerJoin(organisations, eq(organisations.id, targetLists.orgId))
    .leftJoin(memberships, and(eq(memberships.orgId, targetLists.orgId), eq(memberships.userId, userId)))
    .where(and(visibleToCaller(), byKey(key, targetLists.id, targetLists.name)))
    .limit(20);
  const own = lists.filter((r) => r.member !== null);
  const pick = own.length > 0 ? own : lists;
  if (pick.length === 0) throw new ServerError("NOT_FOUND", `no target list "${key}" that you can see`);
  if (pick.length > 1) {
    throw new ServerError(
      "CONFLICT",
      `target list "${key}" names ${pick.length} lists; give organisation/name or the id`,
    );
  }
  const rows = await db
    .select({ t: targetRows })
    .from(targetListItems)
    .innerJoin(targetRows, eq(targetRows.id, targetListItems.targetId))
    .where(eq(targetListItems.listId, (pick[0] as (typeof pick)[number]).id))
    .orderBy(asc(targetListItems.position), asc(targetRows.name));
  return rows.map(({ t }) => {
    const years = t.epoch === null ? 0 : t.epoch - 2000;
    const cosDec = Math.cos((t.dec * Math.PI) / 180);
    const dec = t.dec - ((t.pmDec ?? 0) * years) / 3.6e6;
    const ra = cosDec > 1e-9 ? t.ra - ((t.pmRa ?? 0) * years) / 3.6e6 / cosDec : t.ra;
    return {
      kind: "fixed" as const,
      name: t.name,
      ra: ((ra % 360) + 360) % 360,
      dec,
      ...(t.pmRa !== null ? { pmRa: t.pmRa } : {}),
      ...(t.pmDec !== null ? { pmDec: t.pmDec } : {}),
      aliases: [],
      source: "target list",
      type: "coordinates",
    };
  });
}

/** A site the caller may plan from, for pickers. */
export interface SiteChoice {
  readonly name: string;
  /** What to send as `site`: `org-slug/name` for portal sites, the id for bundled ones. */
  readonly key: string;
  readonly source: "database" | "bundled";
  readonly latitude: number;
  readonly longitude: number;
  readonly elevation: number;
}

/** Portal sites visible to `userId` (own organisations first), then the bundled observatories. */
export async function listToolSites(db: Database, userId: string): Promise<SiteChoice[]> {
  const rows = await db
    .select({ site: observingSites, slug: organisations.slug, member: memberships.userId })
    .from(observingSites)
    .innerJoin(organisations, eq(organisations.id, observingSites.orgId))
    .leftJoin(memberships, and(eq(memberships.orgId, observingSites.orgId), eq(memberships.userId, userId)))
    .where(visibleToCaller())
    .orderBy(asc(organisations.slug), asc(observingSites.name))
    .limit(2000);
  const own = rows.filter((r) => r.member !== null);
  const others = rows.filter((r) => r.member === null);
  const fromDb = [...own, ...others].map((r) => ({
    name: r.site.name,
    key: `${r.slug}/${r.site.name}`,
    source: "database" as const,
    latitude: r.site.latitude,
    longitude: r.site.longitude,
    elevation: r.site.elevation,
  }));
  const bundled = listKnownSites().map((k) => ({
    name: k.name,
    key: k.id,
    source: "bundled" as const,
    latitude: k.latitude,
    longitude: k.longitude,
    elevation: k.elevation,
  }));
  return [...fromDb, ...bundled];
}
