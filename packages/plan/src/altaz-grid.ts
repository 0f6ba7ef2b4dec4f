/**
 * Altitude/azimuth of many fixed targets at many times, vectorised over Float64Arrays: the frame
 * rotation is computed once per time step ({@link horizonMatrices}), annual aberration once per
 * target, and the inner loop is a 3×3 product, an `asin` and an `atan2` per target and time.
 * Layout of every output: target-major, `value[target * nTimes + time]`.
 */
import { BaryState, Body, MakeTime } from "astronomy-engine";
import type { MatrixStack } from "./horizon-frame.js";
import {
  type RefractionConstants,
  refractionConstants,
  refractUnitVector,
  type Weather,
} from "./refraction.js";

const DEG = Math.PI / 180;
/** Speed of light in AU/day (IAU 2012: c = 299792.458 km/s, au = 149597870.7 km). */
const C_AU_PER_DAY = (299792.458 * 86400) / 149597870.7;
const MAS_TO_RAD = DEG / 3.6e6;

/** J2000 (ICRS) positions of fixed targets, degrees; optional proper motions in mas/yr (μα* = μα cos δ). */
export interface FixedTargets {
  readonly ra: Float64Array;
  readonly dec: Float64Array;
  readonly pmRa?: Float64Array;
  readonly pmDec?: Float64Array;
}

/**
 * Unit vectors (EQJ, 3 per target) of the targets' apparent directions at `epochMs` (Unix ms UTC):
 * proper motion applied linearly from J2000.0 and annual aberration (first order in v/c plus the
 * (u·v)u term, i.e. the classical formula; Kaplan 2005 §3.5) for the Earth's barycentric velocity at
 * `epochMs`. Over one night the aberration changes by < 0.4″, so one epoch per night suffices.
 */
export function apparentTargetVectors(
  targets: FixedTargets,
  epochMs: number,
  aberration = true,
): Float64Array {
  const n = targets.ra.length;
  const out = new Float64Array(3 * n);
  let vx = 0;
  let vy = 0;
  let vz = 0;
  if (aberration) {
    const s = BaryState(Body.Earth, MakeTime(new Date(epochMs)));
    vx = s.vx / C_AU_PER_DAY;
    vy = s.vy / C_AU_PER_DAY;
    vz = s.vz / C_AU_PER_DAY;
  }
  const years = (epochMs - Date.UTC(2000, 0, 1, 12)) / (365.25 * 86400000);
  for (let i = 0; i < n; i++) {
    let ra = (targets.ra[i] ?? 0) * DEG;
    let dec = (targets.dec[i] ?? 0) * DEG;
    const pmd = targets.pmDec?.[i] ?? 0;
    const pma = targets.pmRa?.[i] ?? 0;
    if (pmd !== 0 || pma !== 0) {
      const cd = Math.cos(dec);
      dec += pmd * MAS_TO_RAD * years;
      if (cd > 1e-9) ra += (pma * MAS_TO_RAD * years) / cd;
    }
    const cd = Math.cos(dec);
    let x = cd * Math.cos(ra);
    let y = cd * Math.sin(ra);
    let z = Math.sin(dec);
    if (aberration) {
      const dot = x * vx + y * vy + z * vz;
      x += vx - dot * x;
      y += vy - dot * y;
      z += vz - dot * z;
      const norm = 1 / Math.hypot(x, y, z);
      x *= norm;
      y *= norm;
      z *= norm;
    }
    out[3 * i] = x;
    out[3 * i + 1] = y;
    out[3 * i + 2] = z;
  }
  return out;
}

/** What {@link altAzGrid} computes besides altitude and azimuth. */
export interface AltAzGridOptions {
  /** Refract altitudes with this weather (default: none, geometric). */
  readonly weather?: Weather;
}

/** Result of {@link altAzGrid}; target-major arrays. Azimuth from north through east, degrees. */
export interface AltAzGrid {
  readonly nTargets: number;
  readonly nTimes: number;
  /** Degrees; refracted when `weather` was given. */
  readonly altitude: Float64Array;
  readonly azimuth: Float64Array;
  /** Geometric altitude (no refraction), degrees: equals `altitude` without weather. */
  readonly geometricAltitude: Float64Array;
}

/**
 * Alt/az of every target (unit vectors from {@link apparentTargetVectors}) at every time of
 * `matrices` (from `horizonMatrices`).
 */
export function altAzGrid(
  vectors: Float64Array,
  matrices: MatrixStack,
  options: AltAzGridOptions = {},
): AltAzGrid {
  const nTargets = Math.floor(vectors.length / 3);
  const nTimes = Math.floor(matrices.length / 9);
  const size = nTargets * nTimes;
  const altitude = new Float64Array(size);
  const azimuth = new Float64Array(size);
  const refr: RefractionConstants | undefined =
    options.weather && options.weather.pressureHpa > 0 ? refractionConstants(options.weather) : undefined;
  const geometricAltitude = refr ? new Float64Array(size) : altitude;
  const RAD = 1 / DEG;
  // Target-outer, time-inner: the matrices (9 × nTimes doubles) stay in cache and every output
  // row is written sequentially.
  for (let i = 0; i < nTargets; i++) {
    const x = vectors[3 * i] ?? 0;
    const y = vectors[3 * i + 1] ?? 0;
    const z = vectors[3 * i + 2] ?? 0;
    const row = i * nTimes;
    for (let t = 0, o = 0; t < nTimes; t++, o += 9) {
      const k = row + t;
      const north = (matrices[o] ?? 0) * x + (matrices[o + 1] ?? 0) * y + (matrices[o + 2] ?? 0) * z;
      const west = (matrices[o + 3] ?? 0) * x + (matrices[o + 4] ?? 0) * y + (matrices[o + 5] ?? 0) * z;
      let up = (matrices[o + 6] ?? 0) * x + (matrices[o + 7] ?? 0) * y + (matrices[o + 8] ?? 0) * z;
      if (up > 1) up = 1;
      else if (up < -1) up = -1;
      const az = Math.atan2(-west, north) * RAD;
      azimuth[k] = az < 0 ? az + 360 : az;
      if (refr) {
        const h = Math.sqrt(north * north + west * west);
        geometricAltitude[k] = Math.asin(up) * RAD;
        const rz = refractUnitVector(up, h, refr);
        altitude[k] = Math.atan2(rz.z, h * rz.f) * RAD;
      } else {
        altitude[k] = Math.asin(up) * RAD;
      }
    }
  }
  return { nTargets, nTimes, altitude, azimuth, geometricAltitude };
}
