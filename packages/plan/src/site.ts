/** Observing sites: geodetic latitude/longitude (east positive) and height above the WGS84 ellipsoid. */
import { SITE_LINES } from "./catalogue-data.js";
import { editDistance } from "./edit-distance.js";
import { PlanError } from "./errors.js";

/** An observing site. Angles in degrees (longitude east positive), elevation in metres. */
export interface Site {
  readonly latitude: number;
  readonly longitude: number;
  readonly elevation: number;
  /** Display name, when the site came from a database or list. */
  readonly name?: string;
}

/**
 * Parse `lat,lon[,elevation_m]` (degrees, east positive, metres), e.g. `-24.627,-70.404,2635`.
 * Sexagesimal parts are not accepted here: use decimal degrees.
 */
export function parseSite(text: string): Site {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.length < 2 || parts.length > 3) {
    throw new PlanError("PARSE_SITE", `site "${text}": expected "lat,lon[,elevation_m]"`);
  }
  const nums = parts.map((p, i) => {
    const v = p === "" ? Number.NaN : Number(p);
    if (!Number.isFinite(v)) {
      throw new PlanError("PARSE_SITE", `site "${text}": field ${i + 1} ("${p}") is not a number`, {
        column: text.indexOf(p) + 1,
      });
    }
    return v;
  });
  return makeSite(nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0);
}

/** Validate and build a {@link Site}; longitude is wrapped to (-180, 180]. */
export function makeSite(latitude: number, longitude: number, elevation = 0, name?: string): Site {
  if (!(Math.abs(latitude) <= 90)) {
    throw new PlanError("PARSE_SITE", `latitude ${latitude} is outside [-90, 90] degrees`);
  }
  if (!Number.isFinite(longitude) || Math.abs(longitude) > 360) {
    throw new PlanError("PARSE_SITE", `longitude ${longitude} is outside [-360, 360] degrees`);
  }
  if (!Number.isFinite(elevation) || elevation < -500 || elevation > 10000) {
    throw new PlanError("PARSE_SITE", `elevation ${elevation} m is outside [-500, 10000] m`);
  }
  let lon = longitude;
  if (lon <= -180 || lon > 180) {
    lon = ((longitude % 360) + 360) % 360;
    if (lon > 180) lon -= 360;
  }
  return name === undefined
    ? { latitude, longitude: lon, elevation }
    : { latitude, longitude: lon, elevation, name };
}

/** A bundled observatory (IRAF obsdb): a {@link Site} with an id and its standard UTC offset. */
export interface KnownSite extends Site {
  readonly id: string;
  readonly name: string;
  /** Standard time offset from UTC in hours (east positive), when known. */
  readonly utcOffsetHours?: number;
}

let knownSites: KnownSite[] | undefined;

/** The bundled observatories (IRAF's obsdb: about 70 optical sites). */
export function listKnownSites(): readonly KnownSite[] {
  knownSites ??= SITE_LINES.split("\n").map((line) => {
    const [id = "", name = "", lat = "", lon = "", elev = "", tz = ""] = line.split(";");
    const base = makeSite(Number(lat), Number(lon), Number(elev));
    return { ...base, id, name, ...(tz === "" ? {} : { utcOffsetHours: Number(tz) }) };
  });
  return knownSites;
}

/**
 * A site from `lat,lon[,elevation_m]` or from the bundled observatories by id (`ctio`, `paranal`)
 * or name (case-insensitive, whole name or a unique part). Unknown names raise `PARSE_SITE` with
 * suggestions.
 */
export function resolveSite(text: string): Site | KnownSite {
  if (/^\s*[+-]?\d/.test(text) && text.includes(",")) return parseSite(text);
  const q = text.trim().toLowerCase();
  const sites = listKnownSites();
  const exact = sites.find((s) => s.id.toLowerCase() === q || s.name.toLowerCase() === q);
  if (exact) return exact;
  const partial = sites.filter((s) => s.name.toLowerCase().includes(q));
  if (partial.length === 1 && partial[0]) return partial[0];
  const suggestions = [
    ...new Set(
      (partial.length > 1 ? partial : sites)
        .map((s) => [editDistance(q, s.id.toLowerCase()), s.id] as const)
        .sort((a, b) => a[0] - b[0])
        .map((x) => x[1]),
    ),
  ].slice(0, 5);
  throw new PlanError(
    "PARSE_SITE",
    `site "${text}" is neither "lat,lon[,elevation_m]" nor a unique known observatory; try ${suggestions.map((s) => `"${s}"`).join(", ")}`,
    { suggestions },
  );
}
