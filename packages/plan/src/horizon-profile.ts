/**
 * Horizon profiles: the local altitude limit as a function of azimuth (trees, domes, mountains).
 * Text format: one `azimuth altitude` pair a line (degrees, azimuth from north through east),
 * separated by spaces, tabs, commas or semicolons; `#` starts a comment. The profile is linear in
 * azimuth between points and wraps around 360°.
 */
import { PlanError } from "./errors.js";

/** A horizon profile: sorted azimuths and the altitude limit at each (degrees). */
export interface HorizonProfile {
  readonly azimuth: Float64Array;
  readonly altitude: Float64Array;
}

/** Parse horizon-profile text; errors carry the 1-based line and column. */
export function parseHorizonProfile(text: string): HorizonProfile {
  const points: [number, number][] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const hash = raw.indexOf("#");
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (line === "") continue;
    const fields = line.split(/[\s,;]+/);
    if (fields.length !== 2) {
      throw new PlanError(
        "PARSE_HORIZON",
        `horizon profile line ${i + 1}: expected "azimuth altitude", got "${line}"`,
        {
          line: i + 1,
          column: raw.indexOf(line) + 1,
        },
      );
    }
    const az = Number(fields[0]);
    const alt = Number(fields[1]);
    if (!Number.isFinite(az) || !Number.isFinite(alt) || az < -360 || az > 720 || alt < -90 || alt > 90) {
      const bad = !Number.isFinite(az) || az < -360 || az > 720 ? (fields[0] ?? "") : (fields[1] ?? "");
      throw new PlanError(
        "PARSE_HORIZON",
        `horizon profile line ${i + 1}: "${bad}" is not a valid ${bad === fields[0] ? "azimuth" : "altitude"} in degrees`,
        { line: i + 1, column: raw.indexOf(bad) + 1 },
      );
    }
    points.push([((az % 360) + 360) % 360, alt]);
  }
  if (points.length === 0) throw new PlanError("PARSE_HORIZON", "horizon profile has no points", { line: 1 });
  return makeHorizonProfile(points);
}

/** Build a profile from `[azimuth, altitude]` pairs in degrees (any order). */
export function makeHorizonProfile(points: readonly (readonly [number, number])[]): HorizonProfile {
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  return {
    azimuth: Float64Array.from(sorted, (p) => p[0]),
    altitude: Float64Array.from(sorted, (p) => p[1]),
  };
}

/** Altitude limit (degrees) at `azimuth` (degrees), linear between points, wrapping at 360°. */
export function horizonAltitude(profile: HorizonProfile, azimuth: number): number {
  const az = profile.azimuth;
  const alt = profile.altitude;
  const n = az.length;
  if (n === 1) return alt[0] ?? 0;
  const a = ((azimuth % 360) + 360) % 360;
  // Binary search for the last point ≤ a.
  let lo = 0;
  let hi = n - 1;
  if (a < (az[0] ?? 0) || a >= (az[n - 1] ?? 0)) {
    const a0 = az[n - 1] ?? 0;
    const a1 = (az[0] ?? 0) + 360;
    const x = a < (az[0] ?? 0) ? a + 360 : a;
    const span = a1 - a0;
    const f = span > 0 ? (x - a0) / span : 0;
    return (alt[n - 1] ?? 0) * (1 - f) + (alt[0] ?? 0) * f;
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((az[mid] ?? 0) <= a) lo = mid;
    else hi = mid;
  }
  const span = (az[hi] ?? 0) - (az[lo] ?? 0);
  const f = span > 0 ? (a - (az[lo] ?? 0)) / span : 0;
  return (alt[lo] ?? 0) * (1 - f) + (alt[hi] ?? 0) * f;
}
