/** Observing constraints and the windows they leave. */
import { altitudeForAirmass } from "./airmass.js";
import type { HorizonProfile } from "./horizon-profile.js";
import { horizonAltitude } from "./horizon-profile.js";
import type { TimeSpan } from "./night.js";

/** Sun altitude limits of the twilights (degrees, Sun's centre, geometric). */
export const TWILIGHT_SUN_ALTITUDE = {
  /** Sunrise/sunset: upper limb on a refracting horizon (−50′: 34′ refraction + 16′ semidiameter). */
  sunset: -0.8333,
  civil: -6,
  nautical: -12,
  astronomical: -18,
} as const;

/** A named twilight. */
export type Twilight = keyof typeof TWILIGHT_SUN_ALTITUDE;

/** Constraints; every one given must hold for a time to count as observable. */
export interface Constraints {
  /** Maximum airmass (sec z). Equivalent to a minimum altitude of asin(1/X). */
  readonly maxAirmass?: number;
  /** Minimum altitude in degrees (default 0). */
  readonly minAltitude?: number;
  /** Maximum altitude in degrees (e.g. alt-az zenith blind spot). */
  readonly maxAltitude?: number;
  /** Local horizon profile: altitude must exceed the profile at the target's azimuth. */
  readonly horizon?: HorizonProfile;
  /** Minimum angular distance from the Moon's centre, degrees (applied only while the Moon is up). */
  readonly minMoonSeparation?: number;
  /** Sun must be below this twilight or altitude in degrees (default `"astronomical"`; `null` for none). */
  readonly twilight?: Twilight | number | null;
  /** Hour-angle range in hours, e.g. `{ min: -4, max: 4 }` (fork mounts, telescope limits). */
  readonly hourAngle?: { readonly min: number; readonly max: number };
  /** Allowed time windows (Unix ms UTC); outside every window nothing is observable. */
  readonly windows?: readonly TimeSpan[];
  /** Declination range in degrees (J2000), e.g. a telescope's pointing limits. */
  readonly declination?: { readonly min: number; readonly max: number };
}

/** Sun altitude limit in degrees for `twilight` (`undefined`: no limit). */
export function sunLimit(twilight: Twilight | number | null | undefined): number | undefined {
  if (twilight === null) return undefined;
  if (twilight === undefined) return TWILIGHT_SUN_ALTITUDE.astronomical;
  return typeof twilight === "number" ? twilight : TWILIGHT_SUN_ALTITUDE[twilight];
}

/** Inputs of {@link applyConstraints}: one target's samples and the night's per-time data. */
export interface ConstraintInputs {
  readonly times: Float64Array;
  readonly altitude: Float64Array;
  readonly azimuth: Float64Array;
  /** Hour angle in hours (needed for an hour-angle constraint). */
  readonly hourAngle?: Float64Array;
  /** Declination of the target per time, degrees (needed for a declination constraint). */
  readonly declination?: Float64Array;
  /** Cosine of the Moon separation (needed for a Moon constraint). */
  readonly moonCosSeparation?: Float64Array;
  readonly sunAltitude: Float64Array;
  readonly moonAltitude: Float64Array;
  /** Offset of the target's samples in `altitude`/`azimuth` (target-major arrays); the other arrays are per time. */
  readonly offset: number;
}

/** 1 where every constraint holds, else 0; one byte per time. */
export function applyConstraints(c: Constraints, x: ConstraintInputs): Uint8Array {
  const n = x.times.length;
  const ok = new Uint8Array(n);
  let minAlt = c.minAltitude ?? 0;
  if (c.maxAirmass !== undefined) minAlt = Math.max(minAlt, altitudeForAirmass(c.maxAirmass));
  const maxAlt = c.maxAltitude ?? 90;
  const sun = sunLimit(c.twilight);
  const o = x.offset;
  const moonCosLimit =
    c.minMoonSeparation !== undefined ? Math.cos((c.minMoonSeparation * Math.PI) / 180) : 2;
  for (let k = 0; k < n; k++) {
    const alt = x.altitude[o + k] ?? 0;
    if (alt < minAlt || alt > maxAlt) continue;
    if (sun !== undefined && (x.sunAltitude[k] ?? 0) > sun) continue;
    if (c.horizon && alt < horizonAltitude(c.horizon, x.azimuth[o + k] ?? 0)) continue;
    if (x.moonCosSeparation && (x.moonAltitude[k] ?? 0) > 0 && (x.moonCosSeparation[k] ?? -1) > moonCosLimit)
      continue;
    if (c.hourAngle && x.hourAngle) {
      const ha = x.hourAngle[k] ?? 0;
      if (ha < c.hourAngle.min || ha > c.hourAngle.max) continue;
    }
    if (c.declination && x.declination) {
      const d = x.declination[k] ?? 0;
      if (d < c.declination.min || d > c.declination.max) continue;
    }
    if (c.windows) {
      const t = x.times[k] ?? 0;
      if (!c.windows.some((w) => t >= w.start && t <= w.end)) continue;
    }
    ok[k] = 1;
  }
  return ok;
}

/** Contiguous runs of 1 in `mask` as time spans (each sample stands for one grid step). */
export function maskWindows(mask: Uint8Array, times: Float64Array): TimeSpan[] {
  const out: TimeSpan[] = [];
  const n = mask.length;
  let k = 0;
  while (k < n) {
    if (mask[k] !== 1) {
      k++;
      continue;
    }
    const s = k;
    while (k < n && mask[k] === 1) k++;
    out.push({ start: times[s] ?? 0, end: times[k - 1] ?? 0 });
  }
  return out;
}
