/**
 * Proper motion and parallax propagation: rigorous straight-line space motion between two epochs
 * with the light-time correction (SOFA `starpm`/`pmsafe` method; Explanatory Supplement 1992
 * §3.2), including the special-relativistic conversion between observed and inertial velocities
 * (Stumpff 1985, as in SOFA `starpv`/`pv2star`). A missing or
 * non-positive parallax is replaced by 5×10⁻⁷″ as `pmsafe` does, so pure proper motion still works.
 */
import type { Time } from "./time.js";
import {
  AU_PER_PARSEC,
  DEG_PER_RAD,
  type Degrees,
  degrees,
  METERS_PER_AU,
  RAD_PER_DEG,
  SPEED_OF_LIGHT_M_PER_S,
} from "./units.js";

/** Astrometric parameters of a star in ICRS. */
export interface Astrometry {
  /** Right ascension, degrees. */
  ra: Degrees | number;
  /** Declination, degrees. */
  dec: Degrees | number;
  /** Proper motion in RA times cos(dec), mas/yr. */
  pmRaCosDec?: number;
  /** Proper motion in Dec, mas/yr. */
  pmDec?: number;
  /** Parallax, mas. */
  parallax?: number;
  /** Radial velocity, km/s (positive receding). */
  radialVelocity?: number;
}

/** Astrometric parameters after propagation (all fields present). */
export interface PropagatedAstrometry {
  ra: Degrees;
  dec: Degrees;
  pmRaCosDec: number;
  pmDec: number;
  parallax: number;
  radialVelocity: number;
}

const DAYS_PER_YEAR = 365.25;
const MAS_TO_RAD = RAD_PER_DEG / 3.6e6;
const PX_MIN_MAS = 5e-7 * 1000;
const C_AU_PER_DAY = (SPEED_OF_LIGHT_M_PER_S * 86400) / METERS_PER_AU;
const KMS_TO_AU_PER_DAY = (1000 * 86400) / METERS_PER_AU;

/** Propagate a star's position, proper motion and parallax from epoch `from` to epoch `to` (any scale, TT used). */
export function propagateSpaceMotion(star: Astrometry, from: Time, to: Time): PropagatedAstrometry {
  const a = star.ra * RAD_PER_DEG;
  const d = star.dec * RAD_PER_DEG;
  const px = star.parallax !== undefined && star.parallax > PX_MIN_MAS ? star.parallax : PX_MIN_MAS;
  // Distance in AU (1 pc = 648000/π AU) and the velocity in AU/day.
  const r = (AU_PER_PARSEC * 1000) / px;
  const pmA = ((star.pmRaCosDec ?? 0) * MAS_TO_RAD) / DAYS_PER_YEAR; // rad/day on the sky
  const pmD = ((star.pmDec ?? 0) * MAS_TO_RAD) / DAYS_PER_YEAR;
  const rd = (star.radialVelocity ?? 0) * KMS_TO_AU_PER_DAY;
  const ca = Math.cos(a);
  const sa = Math.sin(a);
  const cd = Math.cos(d);
  const sd = Math.sin(d);
  const u = [cd * ca, cd * sa, sd]; // radial unit vector
  const ea = [-sa, ca, 0]; // towards +RA
  const ed = [-sd * ca, -sd * sa, cd]; // towards +Dec
  const p = u.map((x) => x * r);
  // Observed radial and transverse velocities → inertial ones (Stumpff 1985, fixed-point iteration).
  const vt = [0, 1, 2].map((i) => r * (pmA * ea[i]! + pmD * ed[i]!));
  const betsr = rd / C_AU_PER_DAY;
  const betst = Math.hypot(vt[0]!, vt[1]!, vt[2]!) / C_AU_PER_DAY;
  let betr = betsr;
  let bett = betst;
  let dScale = 1;
  for (let i = 0; i < 100; i++) {
    dScale = 1 + betr;
    const w = betr * betr + bett * bett;
    const del = -w / (Math.sqrt(1 - w) + 1);
    const nextR = dScale * betsr + del;
    const nextT = dScale * betst;
    if (Math.abs(nextR - betr) < 1e-13 && Math.abs(nextT - bett) < 1e-13) {
      betr = nextR;
      bett = nextT;
      break;
    }
    betr = nextR;
    bett = nextT;
  }
  dScale = 1 + betr;
  const v = [0, 1, 2].map((i) => betr * C_AU_PER_DAY * u[i]! + vt[i]! * dScale);
  const tt1 = from.to("tt");
  const tt2 = to.to("tt");
  const dt = tt2.day - tt1.day + (tt2.seconds - tt1.seconds) / 86400;
  // Light time: the position seen at `from` left the star r/c earlier; find the one seen at `to`.
  const tl1 = r / C_AU_PER_DAY;
  const q = [0, 1, 2].map((i) => p[i]! + v[i]! * (dt + tl1));
  const r2 = q[0]! ** 2 + q[1]! ** 2 + q[2]! ** 2;
  const rdv = q[0]! * v[0]! + q[1]! * v[1]! + q[2]! * v[2]!;
  const v2 = v[0]! ** 2 + v[1]! ** 2 + v[2]! ** 2;
  const c2mv2 = C_AU_PER_DAY ** 2 - v2;
  const tl2 = (-rdv + Math.sqrt(rdv * rdv + c2mv2 * r2)) / c2mv2;
  const p2 = [0, 1, 2].map((i) => p[i]! + v[i]! * (dt + tl1 - tl2));
  const rr = Math.hypot(p2[0]!, p2[1]!, p2[2]!);
  const a2 = Math.atan2(p2[1]!, p2[0]!);
  const d2 = Math.asin(p2[2]! / rr);
  const u2 = [Math.cos(d2) * Math.cos(a2), Math.cos(d2) * Math.sin(a2), Math.sin(d2)];
  const ea2 = [-Math.sin(a2), Math.cos(a2), 0];
  const ed2 = [-Math.sin(d2) * Math.cos(a2), -Math.sin(d2) * Math.sin(a2), Math.cos(d2)];
  // Inertial → observed velocities (inverse of the above, SOFA `pv2star`).
  const vr = u2[0]! * v[0]! + u2[1]! * v[1]! + u2[2]! * v[2]!;
  const ut = [0, 1, 2].map((i) => v[i]! - vr * u2[i]!);
  const bR = vr / C_AU_PER_DAY;
  const bT = Math.hypot(ut[0]!, ut[1]!, ut[2]!) / C_AU_PER_DAY;
  const dd = 1 + bR;
  const ww = bR * bR + bT * bT;
  const dl = -ww / (Math.sqrt(1 - ww) + 1);
  const vObs = [0, 1, 2].map((i) => ut[i]! / dd + u2[i]! * ((C_AU_PER_DAY * (bR - dl)) / dd));
  const proj = (e: number[]) => e[0]! * vObs[0]! + e[1]! * vObs[1]! + e[2]! * vObs[2]!;
  let ra2 = a2 * DEG_PER_RAD;
  if (ra2 < 0) ra2 += 360;
  return {
    ra: degrees(ra2),
    dec: degrees(d2 * DEG_PER_RAD),
    pmRaCosDec: ((proj(ea2) / rr) * DAYS_PER_YEAR) / MAS_TO_RAD,
    pmDec: ((proj(ed2) / rr) * DAYS_PER_YEAR) / MAS_TO_RAD,
    parallax: (AU_PER_PARSEC * 1000) / rr,
    radialVelocity: proj(u2) / KMS_TO_AU_PER_DAY,
  };
}
