/**
 * HEALPix core: NESTED and RING indices at every order 0–29 (Górski et al. 2005, ApJ 622, 759).
 *
 * Indices are exact 64-bit integers. Two faces:
 * - `number` API (fast path): valid for order ≤ {@link HEALPIX_MAX_NUMBER_ORDER} (24), where
 *   npix = 12·4^order < 2^53 so every index is an exact JS number;
 * - `bigint` API (`…Big` functions): valid at every order 0–29 (npix < 2^62).
 * Internally a pixel is decomposed into (face, ix, iy) or (ring, position) which always fit in
 * plain numbers (< 2^31); only the final assembly of the 64-bit index touches BigInt.
 *
 * Floating-point steps follow the reference C++ implementation used by healpy (HEALPix C++
 * `T_Healpix_Base::loc2pix` / `pix2loc`), so indices agree exactly with healpy.
 */
import { SkyError } from "./errors.js";
import { cosAccurate, sinAccurate } from "./healpix-trig.js";
import type { Degrees } from "./units.js";

/** Highest HEALPix order (nside = 2^29), as in HEALPix C++ and the IVOA MOC standard. */
export const HEALPIX_MAX_ORDER = 29;
/** Highest order whose pixel indices are exact as JS numbers (12·4^24 < 2^53). */
export const HEALPIX_MAX_NUMBER_ORDER = 24;

/** Pixel numbering scheme: NESTED (hierarchical) or RING (iso-latitude rings). */
export type HealpixScheme = "nest" | "ring";

// The doubles nearest π/2, 2/π and 1/(2π), as in the C++ `lsconstants.h` used by healpy.
export const HALF_PI = Math.PI / 2;
export const INV_HALF_PI = 2 / Math.PI;
export const INV_TWO_PI = 1 / (2 * Math.PI);
/** θ limit under which the reference implementation uses sin θ near the poles (C++ `ang2pix`). */
const NEAR_POLE = 0.01;
// biome-ignore lint/suspicious/noApproximativeNumericConstant: the reference code uses this literal, not π.
const PI_APPROX = 3.14159;
export const TWO_THIRD = 2 / 3;
const DEG2RAD = Math.PI / 180;
const RAD2DEG = 180 / Math.PI;
const TWO32 = 4294967296;

// Górski et al. 2005 §4, Fig. 4: ring index of each base face's southern vertex (in units of
// nside) and the face's longitude index (in units of π/4).
export const JRLL = [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4] as const;
export const JPLL = [1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7] as const;

/** Throw unless `order` is an integer in 0..29 (or 0..24 when `numberApi`). */
export function checkOrder(order: number, numberApi: boolean): void {
  const max = numberApi ? HEALPIX_MAX_NUMBER_ORDER : HEALPIX_MAX_ORDER;
  if (!Number.isInteger(order) || order < 0 || order > max) {
    throw new SkyError(
      "INVALID_ORDER",
      numberApi && Number.isInteger(order) && order > max && order <= HEALPIX_MAX_ORDER
        ? `HEALPix order ${order} needs the BigInt API: numbers are exact only up to order ${max}`
        : `HEALPix order must be an integer in 0..${max}, got ${order}`,
    );
  }
}

/** nside = 2^order. */
export function healpixNside(order: number): number {
  checkOrder(order, false);
  return 2 ** order;
}

/** Number of pixels on the sphere, 12·4^order (exact as a double at every order). */
export function healpixNpix(order: number): number {
  checkOrder(order, false);
  return 12 * 4 ** order;
}

/** Solid angle of one pixel in steradians: 4π / npix (all pixels have equal area). */
export function healpixPixelArea(order: number): number {
  return (4 * Math.PI) / healpixNpix(order);
}

// ---------------------------------------------------------------------------------------------
// Bit interleaving (Morton order inside a base face), 16 bits at a time.

/** Spread the low 16 bits of v to the even bit positions of a 32-bit word. */
export function spread16(v: number): number {
  let x = v & 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x;
}

/** Gather the even bits of a 32-bit word into 16 bits (inverse of spread16). */
export function compress16(w: number): number {
  let x = w & 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

// Scratch registers written by the decoders below (avoids allocating in hot loops).
/** Decoded x index inside the face. */
export let xyfX = 0;
/** Decoded y index inside the face. */
export let xyfY = 0;
/** Decoded base face 0..11. */
export let xyfF = 0;

/** Interleaved offset inside a face, low 32 bits (unsigned). */
function nestLo(ix: number, iy: number): number {
  return (spread16(ix) | (spread16(iy) << 1)) >>> 0;
}
/** Interleaved offset inside a face, high bits (ix, iy ≥ 2^16). */
function nestHi(ix: number, iy: number): number {
  return spread16(ix >>> 16) | (spread16(iy >>> 16) << 1);
}

/** (face, ix, iy) → NESTED index as a number (order ≤ 24). */
export function xyf2nestNum(order: number, ix: number, iy: number, face: number): number {
  return face * 4 ** order + nestHi(ix, iy) * TWO32 + nestLo(ix, iy);
}

/** (face, ix, iy) → NESTED index as a bigint (any order). */
export function xyf2nestBig(order: number, ix: number, iy: number, face: number): bigint {
  if (order <= HEALPIX_MAX_NUMBER_ORDER) return BigInt(xyf2nestNum(order, ix, iy, face));
  // order ≥ 25: the face sits at bit 2·order ≥ 50 of the high word's 2·order−32 offset.
  const hi = nestHi(ix, iy) + face * 2 ** (2 * order - 32);
  return (BigInt(hi) << 32n) | BigInt(nestLo(ix, iy));
}

/** Decode a NESTED number index into (xyfF, xyfX, xyfY). */
export function nest2xyfNum(order: number, pix: number): void {
  const npface = 4 ** order;
  const face = Math.floor(pix / npface);
  const rem = pix - face * npface;
  const lo = rem >>> 0; // ToUint32 is rem mod 2^32, exact for integers
  const hi = (rem - lo) / TWO32;
  xyfF = face;
  xyfX = compress16(lo) | (compress16(hi) << 16);
  xyfY = compress16(lo >>> 1) | (compress16(hi >>> 1) << 16);
}

/** Decode a NESTED bigint index into (xyfF, xyfX, xyfY). */
export function nest2xyfBig(order: number, pix: bigint): void {
  const shift = BigInt(2 * order);
  const face = Number(pix >> shift);
  const lo = Number(BigInt.asUintN(Math.min(32, 2 * order), pix));
  const hi = Number(BigInt.asUintN(Math.max(0, 2 * order - 32), pix >> 32n));
  xyfF = face;
  xyfX = compress16(lo) | (compress16(hi) << 16);
  xyfY = compress16(lo >>> 1) | (compress16(hi >>> 1) << 16);
}

// ---------------------------------------------------------------------------------------------
// RING scheme: a ring index is startpix(ring) + position; ring and position always fit numbers.

/** First pixel index of ring `ring` (1..4nside−1) as a number (order ≤ 24). */
export function ringStartNum(nside: number, ring: number): number {
  if (ring < nside) return 2 * ring * (ring - 1);
  const ncap = 2 * nside * (nside - 1);
  if (ring < 3 * nside) return ncap + (ring - nside) * 4 * nside;
  const nr = 4 * nside - ring;
  return 12 * nside * nside - 2 * nr * (nr + 1);
}

/** First pixel index of ring `ring` as a bigint (any order). */
export function ringStartBig(nside: number, ring: number): bigint {
  if (nside <= 2 ** HEALPIX_MAX_NUMBER_ORDER) return BigInt(ringStartNum(nside, ring));
  const ns = BigInt(nside);
  const r = BigInt(ring);
  if (ring < nside) return 2n * r * (r - 1n);
  const ncap = 2n * ns * (ns - 1n);
  if (ring < 3 * nside) return ncap + (r - ns) * 4n * ns;
  const nr = 4n * ns - r;
  return 12n * ns * ns - 2n * nr * (nr + 1n);
}

/** Number of pixels in ring `ring` and whether its centres are shifted by half a pixel. */
export function ringLength(nside: number, ring: number): number {
  if (ring < nside) return 4 * ring;
  if (ring < 3 * nside) return 4 * nside;
  return 4 * (4 * nside - ring);
}
export function ringShifted(nside: number, ring: number): boolean {
  if (ring < nside || ring >= 3 * nside) return true;
  return ((ring - nside) & 1) === 0;
}

/** Decoded ring number (1 = northernmost). */
export let ringR = 0;
/** Decoded 1-based position inside the ring. */
export let ringP = 0;
/**
 * Set by {@link loc2ringPos} when the point fell in the equatorial branch. The reference
 * implementation then numbers pixels as ncap + (ring − nside)·4nside + position even when
 * rounding puts `ring` one step outside nside..3nside; encoders reproduce that exactly.
 */
export let ringEq = false;

/** RING index of (ringR, ringP) after {@link loc2ringPos}, as a number. */
export function ringIndexNum(nside: number): number {
  if (ringEq) return 2 * nside * (nside - 1) + (ringR - nside) * 4 * nside + ringP - 1;
  return ringStartNum(nside, ringR) + ringP - 1;
}

/** RING index of (ringR, ringP) after {@link loc2ringPos}, as a bigint. */
export function ringIndexBig(nside: number): bigint {
  if (nside <= 2 ** HEALPIX_MAX_NUMBER_ORDER) return BigInt(ringIndexNum(nside));
  if (ringEq) {
    const ns = BigInt(nside);
    return 2n * ns * (ns - 1n) + BigInt(ringR - nside) * 4n * ns + BigInt(ringP - 1);
  }
  return ringStartBig(nside, ringR) + BigInt(ringP - 1);
}

function isqrtNum(v: number): number {
  let s = Math.floor(Math.sqrt(v));
  while (s * s > v) s--;
  while ((s + 1) * (s + 1) <= v) s++;
  return s;
}
function isqrtBig(v: bigint): bigint {
  let s = BigInt(Math.floor(Math.sqrt(Number(v))));
  while (s * s > v) s--;
  while ((s + 1n) * (s + 1n) <= v) s++;
  return s;
}

/** Decode a RING number index into (ringR, ringP). */
export function ringDecodeNum(order: number, pix: number): void {
  const nside = 2 ** order;
  const ncap = 2 * nside * (nside - 1);
  const npix = 12 * nside * nside;
  if (pix < ncap) {
    const iring = (1 + isqrtNum(1 + 2 * pix)) >>> 1;
    ringR = iring;
    ringP = pix + 1 - 2 * iring * (iring - 1);
  } else if (pix < npix - ncap) {
    const ip = pix - ncap;
    const tmp = Math.floor(ip / (4 * nside));
    ringR = tmp + nside;
    ringP = ip - tmp * 4 * nside + 1;
  } else {
    const ip = npix - pix;
    const iring = (1 + isqrtNum(2 * ip - 1)) >>> 1;
    ringP = 4 * iring + 1 - (ip - 2 * iring * (iring - 1));
    ringR = 4 * nside - iring;
  }
}

/** Decode a RING bigint index into (ringR, ringP). */
export function ringDecodeBig(order: number, pix: bigint): void {
  if (order <= HEALPIX_MAX_NUMBER_ORDER) {
    ringDecodeNum(order, Number(pix));
    return;
  }
  const nside = 2 ** order;
  const ns = BigInt(nside);
  const ncap = 2n * ns * (ns - 1n);
  const npix = 12n * ns * ns;
  if (pix < ncap) {
    const iring = (1n + isqrtBig(1n + 2n * pix)) >> 1n;
    ringR = Number(iring);
    ringP = Number(pix + 1n - 2n * iring * (iring - 1n));
  } else if (pix < npix - ncap) {
    const ip = pix - ncap;
    const tmp = ip >> BigInt(order + 2);
    ringR = Number(tmp) + nside;
    ringP = Number(ip - tmp * 4n * ns) + 1;
  } else {
    const ip = npix - pix;
    const iring = (1n + isqrtBig(2n * ip - 1n)) >> 1n;
    ringP = Number(4n * iring + 1n - (ip - 2n * iring * (iring - 1n)));
    ringR = 4 * nside - Number(iring);
  }
}

/** (ringR, ringP) → (xyfF, xyfX, xyfY). HEALPix C++ ring2xyf. */
export function ring2xyf(nside: number, iringIn: number, iphi: number): void {
  const nl2 = 2 * nside;
  let iring = iringIn;
  let kshift: number;
  let nr: number;
  let face: number;
  if (iring < nside) {
    kshift = 0;
    nr = iring;
    face = Math.floor((iphi - 1) / nr);
  } else if (iring <= 3 * nside) {
    kshift = (iring + nside) & 1;
    nr = nside;
    const ire = iring - nside + 1;
    const irm = nl2 + 2 - ire;
    const ifm = Math.floor((iphi - Math.floor(ire / 2) + nside - 1) / nside);
    const ifp = Math.floor((iphi - Math.floor(irm / 2) + nside - 1) / nside);
    face = ifp === ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
  } else {
    kshift = 0;
    nr = 4 * nside - iring;
    face = 8 + Math.floor((iphi - 1) / nr);
    iring = 2 * nl2 - nr;
  }
  const irt = iring - (JRLL[face] as number) * nside + 1;
  let ipt = 2 * iphi - (JPLL[face] as number) * nr - kshift - 1;
  if (ipt >= nl2) ipt -= 8 * nside;
  xyfF = face;
  xyfX = Math.floor((ipt - irt) / 2);
  xyfY = Math.floor((-ipt - irt) / 2);
}

/** (face, ix, iy) → (ringR, ringP). HEALPix C++ xyf2ring. */
export function xyf2ringPos(nside: number, ix: number, iy: number, face: number): void {
  const jr = (JRLL[face] as number) * nside - ix - iy - 1;
  const nr = ringLength(nside, jr) / 4;
  const kshift = ringShifted(nside, jr) ? 0 : 1;
  let jp = Math.trunc(((JPLL[face] as number) * nr + ix - iy + 1 + kshift) / 2);
  if (jp < 1) jp += 4 * nside;
  ringR = jr;
  ringP = jp;
}

/** (face, ix, iy) → RING number index (order ≤ 24). */
export function xyf2ringNum(nside: number, ix: number, iy: number, face: number): number {
  xyf2ringPos(nside, ix, iy, face);
  return ringStartNum(nside, ringR) + ringP - 1;
}

/** (face, ix, iy) → RING bigint index. */
export function xyf2ringBig(nside: number, ix: number, iy: number, face: number): bigint {
  xyf2ringPos(nside, ix, iy, face);
  if (nside <= 2 ** HEALPIX_MAX_NUMBER_ORDER) return BigInt(ringStartNum(nside, ringR) + ringP - 1);
  return ringStartBig(nside, ringR) + BigInt(ringP - 1);
}

// ---------------------------------------------------------------------------------------------
// Location (z = cos θ, φ) ↔ pixel. Górski et al. 2005 §4, eqs. 4–9 (HEALPix C++ loc2pix).

/** φ modulo 4 in units of π/2, in [0, 4). */
function fmod4(v: number): number {
  if (v >= 0) return v < 4 ? v : v % 4;
  const t = (v % 4) + 4;
  return t === 4 ? 0 : t;
}

/**
 * Locate (z, φ) at `order` and leave (xyfF, xyfX, xyfY) set. `sth` is sin θ, used near the
 * poles (when `haveSth`) where 1 − |z| loses precision.
 */
export function loc2xyf(order: number, z: number, phi: number, sth: number, haveSth: boolean): void {
  const nside = 2 ** order;
  const za = Math.abs(z);
  const tt = fmod4(phi * INV_HALF_PI);
  if (za <= TWO_THIRD) {
    const temp1 = nside * (0.5 + tt);
    const temp2 = nside * (z * 0.75);
    const jp = Math.trunc(temp1 - temp2);
    const jm = Math.trunc(temp1 + temp2);
    const ifp = Math.floor(jp / nside);
    const ifm = Math.floor(jm / nside);
    xyfF = ifp === ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
    xyfX = jm & (nside - 1);
    xyfY = nside - (jp & (nside - 1)) - 1;
  } else {
    const ntt = Math.min(3, Math.trunc(tt));
    const tp = tt - ntt;
    const tmp =
      za < 0.99 || !haveSth ? nside * Math.sqrt(3 * (1 - za)) : (nside * sth) / Math.sqrt((1 + za) / 3);
    let jp = Math.trunc(tp * tmp);
    let jm = Math.trunc((1 - tp) * tmp);
    if (jp > nside - 1) jp = nside - 1;
    if (jm > nside - 1) jm = nside - 1;
    if (z >= 0) {
      xyfF = ntt;
      xyfX = nside - jm - 1;
      xyfY = nside - jp - 1;
    } else {
      xyfF = ntt + 8;
      xyfX = jp;
      xyfY = jm;
    }
  }
}

/**
 * Locate (z, φ) in the RING scheme and leave (ringR, ringP) set. Separate from loc2xyf because
 * the C++ reference evaluates the equatorial products in a different order for RING
 * (`nside*z*0.75`), and we reproduce its rounding exactly.
 */
export function loc2ringPos(order: number, z: number, phi: number, sth: number, haveSth: boolean): void {
  const nside = 2 ** order;
  const za = Math.abs(z);
  const tt = fmod4(phi * INV_HALF_PI);
  if (za <= TWO_THIRD) {
    const nl4 = 4 * nside;
    const temp1 = nside * (0.5 + tt);
    const temp2 = nside * z * 0.75;
    const jp = Math.trunc(temp1 - temp2);
    const jm = Math.trunc(temp1 + temp2);
    const ir = nside + 1 + jp - jm; // 1..2nside+1, counted from z = 2/3
    const kshift = 1 - (ir & 1);
    const t1 = jp + jm - nside + kshift + 1 + nl4 + nl4;
    const ip = Math.floor(t1 / 2) % nl4;
    ringR = ir - 1 + nside;
    ringP = ip + 1;
    ringEq = true;
  } else {
    const tp = tt - Math.trunc(tt);
    const tmp =
      za < 0.99 || !haveSth ? nside * Math.sqrt(3 * (1 - za)) : (nside * sth) / Math.sqrt((1 + za) / 3);
    const jp = Math.trunc(tp * tmp);
    const jm = Math.trunc((1 - tp) * tmp);
    const ir = jp + jm + 1;
    const ip = Math.trunc(tt * ir);
    ringEq = false;
    if (z > 0) {
      ringR = ir;
      ringP = ip + 1;
    } else {
      ringR = 4 * nside - ir;
      ringP = ip + 1;
    }
  }
}

function distToInt(v: number): number {
  return Math.abs(v - Math.round(v));
}

/**
 * True when (z, φ) lies within a few ulps of z of a pixel edge at this nside, so that a 1-ulp
 * difference in cos θ between libms could change the pixel. Callers then recompute z with the
 * correctly rounded {@link cosAccurate} (what glibc, hence healpy, returns).
 */
export function nearEdge(nside: number, z: number, phi: number, sth: number, haveSth: boolean): boolean {
  const za = Math.abs(z);
  if (Math.abs(za - TWO_THIRD) < 1e-15) return true;
  const tt = fmod4(phi * INV_HALF_PI);
  if (za <= TWO_THIRD) {
    const t1 = nside * (0.5 + tt);
    const t2 = nside * (z * 0.75);
    const eps = nside * 4e-16;
    return distToInt(t1 - t2) < eps || distToInt(t1 + t2) < eps;
  }
  const tp = tt - Math.trunc(tt);
  const useSth = za >= 0.99 && haveSth;
  const tmp = useSth ? (nside * sth) / Math.sqrt((1 + za) / 3) : nside * Math.sqrt(3 * (1 - za));
  const eps = useSth ? tmp * 1e-15 : tmp * (3e-16 / (1 - za) + 1e-15);
  return distToInt(tp * tmp) < eps || distToInt((1 - tp) * tmp) < eps;
}

/**
 * z = cos θ and sin θ (when near a pole) for HEALPix location, matching the reference libm:
 * fast `Math.cos`, refined to the correctly rounded value only next to a pixel edge.
 */
export let thetaZ = 0;
export let thetaSth = 0;
export function thetaToZ(nside: number, theta: number, phi: number, nearPole: boolean): void {
  let z = Math.cos(theta);
  let sth = nearPole ? Math.sin(theta) : 0;
  if (nearEdge(nside, z, phi, sth, nearPole)) {
    z = cosAccurate(theta);
    if (nearPole) sth = sinAccurate(theta);
  }
  thetaZ = z;
  thetaSth = sth;
}

/** Scratch output of {@link pix2locXyf}/{@link pix2locRing}: z = cos θ, φ, sin θ when known. */
export let locZ = 0;
export let locPhi = 0;
export let locSth = 0;
export let locHaveSth = false;

/** Centre of pixel (face, ix, iy) at `order`. HEALPix C++ pix2loc (NESTED branch). */
export function pix2locXyf(order: number, ix: number, iy: number, face: number): void {
  const nside = 2 ** order;
  const npix = 12 * nside * nside;
  const fact2 = 4 / npix;
  const fact1 = 2 * nside * fact2;
  const jr = (JRLL[face] as number) * nside - ix - iy - 1;
  let nr: number;
  locHaveSth = false;
  if (jr < nside) {
    nr = jr;
    const tmp = nr * nr * fact2;
    locZ = 1 - tmp;
    if (locZ > 0.99) {
      locSth = Math.sqrt(tmp * (2 - tmp));
      locHaveSth = true;
    }
  } else if (jr > 3 * nside) {
    nr = nside * 4 - jr;
    const tmp = nr * nr * fact2;
    locZ = tmp - 1;
    if (locZ < -0.99) {
      locSth = Math.sqrt(tmp * (2 - tmp));
      locHaveSth = true;
    }
  } else {
    nr = nside;
    locZ = (2 * nside - jr) * fact1;
  }
  let tmp = (JPLL[face] as number) * nr + ix - iy;
  if (tmp < 0) tmp += 8 * nr;
  locPhi = nr === nside ? 0.75 * HALF_PI * tmp * fact1 : (0.5 * HALF_PI * tmp) / nr;
}

/** Centre of ring pixel (ring, 1-based position). HEALPix C++ pix2loc (RING branch). */
export function pix2locRing(order: number, iring: number, iphi: number): void {
  pix2locRingNside(2 ** order, iring, iphi);
}

/** As {@link pix2locRing} for any nside (RING maps need not have a power-of-two nside). */
export function pix2locRingNside(nside: number, iring: number, iphi: number): void {
  const npix = 12 * nside * nside;
  const fact2 = 4 / npix;
  const fact1 = 2 * nside * fact2;
  locHaveSth = false;
  if (iring < nside) {
    const tmp = iring * iring * fact2;
    locZ = 1 - tmp;
    if (locZ > 0.99) {
      locSth = Math.sqrt(tmp * (2 - tmp));
      locHaveSth = true;
    }
    locPhi = ((iphi - 0.5) * HALF_PI) / iring;
  } else if (iring <= 3 * nside) {
    const fodd = ((iring + nside) & 1) === 1 ? 1 : 0.5;
    locZ = (2 * nside - iring) * fact1;
    locPhi = (iphi - fodd) * Math.PI * 0.75 * fact1;
  } else {
    const ir = 4 * nside - iring;
    const tmp = ir * ir * fact2;
    locZ = tmp - 1;
    if (locZ < -0.99) {
      locSth = Math.sqrt(tmp * (2 - tmp));
      locHaveSth = true;
    }
    locPhi = ((iphi - 0.5) * HALF_PI) / ir;
  }
}

/** Colatitude θ (radians) of the last decoded location. */
export function locTheta(): number {
  return locHaveSth ? Math.atan2(locSth, locZ) : Math.acos(locZ);
}

// ---------------------------------------------------------------------------------------------
// Public scalar API (longitude/latitude in degrees, as healpy's `lonlat=True`).

/** A position on the sphere: longitude (RA) and latitude (Dec) in degrees, any frame. */
export interface LonLat {
  readonly lon: Degrees;
  readonly lat: Degrees;
}

function checkLat(lat: number): void {
  if (!(lat >= -90 && lat <= 90)) {
    throw new SkyError("INVALID_ARGUMENT", `latitude must be within [-90, 90] degrees, got ${lat}`);
  }
}

/** Convert lon/lat (degrees) into the θ, φ of HEALPix and locate it; sets the xyf/ring scratch. */
function locateLonLat(order: number, lon: number, lat: number, scheme: HealpixScheme): void {
  checkLat(lat);
  if (!Number.isFinite(lon)) {
    throw new SkyError("INVALID_ARGUMENT", `longitude must be finite, got ${lon}`);
  }
  const theta = Math.PI / 2 - lat * DEG2RAD;
  const phi = lon * DEG2RAD;
  const nearPole = theta < NEAR_POLE || theta > PI_APPROX - NEAR_POLE;
  thetaToZ(2 ** order, theta, phi, nearPole);
  if (scheme === "nest") loc2xyf(order, thetaZ, phi, thetaSth, nearPole);
  else loc2ringPos(order, thetaZ, phi, thetaSth, nearPole);
}

/**
 * Pixel index containing (lon, lat) in degrees (any frame, e.g. ICRS RA/Dec) at `order` ≤ 24.
 * @throws SkyError `INVALID_ORDER` for order > 24 (use {@link ang2pixBig}); `INVALID_ARGUMENT` for |lat| > 90.
 */
export function ang2pix(order: number, lon: number, lat: number, scheme: HealpixScheme = "nest"): number {
  checkOrder(order, true);
  locateLonLat(order, lon, lat, scheme);
  if (scheme === "nest") return xyf2nestNum(order, xyfX, xyfY, xyfF);
  return ringIndexNum(2 ** order);
}

/** Pixel index containing (lon, lat) in degrees at any `order` 0–29, as a bigint. */
export function ang2pixBig(order: number, lon: number, lat: number, scheme: HealpixScheme = "nest"): bigint {
  checkOrder(order, false);
  locateLonLat(order, lon, lat, scheme);
  if (scheme === "nest") return xyf2nestBig(order, xyfX, xyfY, xyfF);
  return ringIndexBig(2 ** order);
}

/** Validate a pixel index and decode it into the xyf scratch registers. */
export function decodePixel(order: number, pix: number | bigint, scheme: HealpixScheme): void {
  const isBig = typeof pix === "bigint";
  checkOrder(order, !isBig);
  const npix = 12 * 4 ** order;
  const ok = isBig ? pix >= 0n && pix < BigInt(npix) : Number.isInteger(pix) && pix >= 0 && pix < npix;
  if (!ok) {
    throw new SkyError("INVALID_PIXEL", `pixel ${pix} is outside 0..${npix - 1} at order ${order}`);
  }
  const nside = 2 ** order;
  if (scheme === "nest") {
    if (isBig) nest2xyfBig(order, pix);
    else nest2xyfNum(order, pix);
  } else {
    if (isBig) ringDecodeBig(order, pix);
    else ringDecodeNum(order, pix);
    ring2xyf(nside, ringR, ringP);
  }
}

/** Centre of a pixel as (lon, lat) in degrees. Accepts number (order ≤ 24) or bigint indices. */
export function pix2ang(order: number, pix: number | bigint, scheme: HealpixScheme = "nest"): LonLat {
  decodePixel(order, pix, scheme);
  if (scheme === "nest") pix2locXyf(order, xyfX, xyfY, xyfF);
  else pix2locRing(order, ringR, ringP);
  const theta = locTheta();
  return { lon: (locPhi * RAD2DEG) as Degrees, lat: (90 - theta * RAD2DEG) as Degrees };
}

/** Encode the xyf scratch in `scheme`, as a number or bigint like `like`. */
export function encodeXyf<T extends number | bigint>(
  order: number,
  ix: number,
  iy: number,
  face: number,
  scheme: HealpixScheme,
  like: T,
): T {
  const nside = 2 ** order;
  if (typeof like === "bigint") {
    return (scheme === "nest" ? xyf2nestBig(order, ix, iy, face) : xyf2ringBig(nside, ix, iy, face)) as T;
  }
  return (scheme === "nest" ? xyf2nestNum(order, ix, iy, face) : xyf2ringNum(nside, ix, iy, face)) as T;
}

/** NESTED → RING index at `order`; returns the same type as its input. */
export function nest2ring<T extends number | bigint>(order: number, pix: T): T {
  decodePixel(order, pix, "nest");
  return encodeXyf(order, xyfX, xyfY, xyfF, "ring", pix);
}

/** RING → NESTED index at `order`; returns the same type as its input. */
export function ring2nest<T extends number | bigint>(order: number, pix: T): T {
  decodePixel(order, pix, "ring");
  return encodeXyf(order, xyfX, xyfY, xyfF, "nest", pix);
}
