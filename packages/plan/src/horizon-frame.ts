/**
 * Rotation from the J2000 mean equator (EQJ ≈ ICRS axes; frame bias of 23 mas neglected) to the
 * local horizon (x = north, y = west, z = zenith), one 3×3 matrix per time step. Precession and
 * nutation (astronomy-engine: IAU 2006 precession, IAU 2000B nutation) are evaluated once at the
 * middle of the span — over a night they change by < 0.1″ — and Earth rotation (Greenwich apparent
 * sidereal time, UT1 taken equal to UTC unless `ut1MinusUtc` is given) at every step. Polar motion
 * is neglected (< 0.5″).
 */
import { MakeTime, Rotation_EQJ_EQD, SiderealTime } from "astronomy-engine";
import type { Site } from "./site.js";

const DEG = Math.PI / 180;

/** Row-major 3×3 matrices, 9 numbers per time: `hor = M · eqj`. */
export type MatrixStack = Float64Array;

/** Options of {@link horizonMatrices}. */
export interface HorizonFrameOptions {
  /** UT1 − UTC in seconds (default 0; |UT1 − UTC| < 0.9 s, i.e. < 14″ of Earth rotation). */
  readonly ut1MinusUtc?: number;
}

/** J2000 → of-date (precession + nutation) rotation at `ms` (Unix milliseconds, UTC), row-major. */
export function precessionNutationMatrix(ms: number): Float64Array {
  const rot = Rotation_EQJ_EQD(MakeTime(new Date(ms))).rot;
  const m = new Float64Array(9);
  // astronomy-engine stores the transpose: out_i = Σ_j rot[j][i] in_j.
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) m[3 * i + j] = rot[j]?.[i] ?? 0;
  return m;
}

/** Greenwich apparent sidereal time in degrees at `ms` (Unix ms UTC) with UT1 = UTC + `ut1MinusUtc`. */
export function gastDegrees(ms: number, ut1MinusUtc = 0): number {
  return SiderealTime(MakeTime(new Date(ms + ut1MinusUtc * 1000))) * 15;
}

/** Local apparent sidereal angle (degrees, GAST + east longitude, not wrapped) at every time. */
export function localSiderealDegrees(
  timesMs: Float64Array,
  site: Site,
  options: HorizonFrameOptions = {},
): Float64Array {
  const dut = options.ut1MinusUtc ?? 0;
  return Float64Array.from(timesMs, (t) => gastDegrees(t, dut) + site.longitude);
}

/** EQJ → horizon matrices for every time in `timesMs` (Unix ms UTC) at `site`. */
export function horizonMatrices(
  timesMs: Float64Array,
  site: Site,
  options: HorizonFrameOptions = {},
): MatrixStack {
  const n = timesMs.length;
  const out = new Float64Array(9 * n);
  if (n === 0) return out;
  const mid = ((timesMs[0] ?? 0) + (timesMs[n - 1] ?? 0)) / 2;
  const p = precessionNutationMatrix(mid);
  const sphi = Math.sin(site.latitude * DEG);
  const cphi = Math.cos(site.latitude * DEG);
  const dut = options.ut1MinusUtc ?? 0;
  const r = new Float64Array(9);
  for (let k = 0; k < n; k++) {
    const theta = (gastDegrees(timesMs[k] ?? 0, dut) + site.longitude) * DEG;
    const ct = Math.cos(theta);
    const st = Math.sin(theta);
    // Rows: unit vectors north, west, zenith in the of-date equatorial frame.
    r[0] = -sphi * ct;
    r[1] = -sphi * st;
    r[2] = cphi;
    r[3] = st;
    r[4] = -ct;
    r[5] = 0;
    r[6] = cphi * ct;
    r[7] = cphi * st;
    r[8] = sphi;
    const o = 9 * k;
    for (let i = 0; i < 3; i++) {
      const a0 = r[3 * i] ?? 0;
      const a1 = r[3 * i + 1] ?? 0;
      const a2 = r[3 * i + 2] ?? 0;
      for (let j = 0; j < 3; j++) {
        out[o + 3 * i + j] = a0 * (p[j] ?? 0) + a1 * (p[3 + j] ?? 0) + a2 * (p[6 + j] ?? 0);
      }
    }
  }
  return out;
}

/**
 * Geocentric position of `site` in its own horizon frame (north, west, up), in kilometres, on the
 * WGS84 ellipsoid: used to turn geocentric vectors of near bodies into topocentric ones.
 */
export function siteHorizonPosition(site: Site): [number, number, number] {
  const a = 6378.137;
  const f = 1 / 298.257223563;
  const e2 = f * (2 - f);
  const phi = site.latitude * DEG;
  const s = Math.sin(phi);
  const c = Math.cos(phi);
  const nRad = a / Math.sqrt(1 - e2 * s * s);
  const h = site.elevation / 1000;
  // Meridian-plane coordinates: distance from axis, height above equator (Meeus ch. 11).
  const rho = (nRad + h) * c;
  const zz = (nRad * (1 - e2) + h) * s;
  return [-s * rho + c * zz, 0, c * rho + s * zz];
}
