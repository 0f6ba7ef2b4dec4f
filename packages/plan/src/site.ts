/** Observing sites: geodetic latitude/longitude (east positive) and height above the WGS84 ellipsoid. */
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
