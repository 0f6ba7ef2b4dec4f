/**
 * Vectorised HEALPix over typed arrays: ang2pix on Float64Array longitude/latitude (degrees) into
 * Float64Array (order ≤ 24) or BigInt64Array (any order) indices, and pix2ang back. Same results
 * as the scalar functions in `healpix.ts`, written as tight loops without allocation.
 */
import { SkyError } from "./errors.js";
import {
  ang2pixBig,
  checkOrder,
  compress16,
  decodePixel,
  encodeXyf,
  type HealpixScheme,
  INV_HALF_PI,
  locPhi,
  locTheta,
  pix2locRing,
  pix2locXyf,
  ringP,
  ringR,
  spread16,
  TWO_THIRD,
  thetaSth,
  thetaToZ,
  thetaZ,
  xyfF,
  xyfX,
  xyfY,
} from "./healpix.js";

const DEG2RAD = Math.PI / 180;
const RAD2DEG = 180 / Math.PI;
const TWO32 = 4294967296;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
// biome-ignore lint/suspicious/noApproximativeNumericConstant: the reference code uses this literal, not π.
const POLE_LIMIT = 3.14159 - 0.01;

function checkInputs(lon: ArrayLike<number>, lat: ArrayLike<number>): void {
  if (lon.length !== lat.length) {
    throw new SkyError("INVALID_ARGUMENT", `lon and lat differ in length (${lon.length} vs ${lat.length})`);
  }
}

function badLat(i: number, lat: number, lon: number): SkyError {
  return new SkyError(
    "INVALID_ARGUMENT",
    Number.isFinite(lon)
      ? `latitude at index ${i} must be within [-90, 90] degrees, got ${lat}`
      : `longitude at index ${i} must be finite, got ${lon}`,
  );
}

/**
 * NESTED (face, offset-high, offset-low) for one position; written to the scratch below.
 * Inlined loc2xyf of healpix.ts with the interleave fused in (HEALPix C++ loc2pix, NEST branch).
 */
let outFace = 0;
let outHi = 0;
let outLo = 0;
/**
 * sin x for |x| ≤ π/2 by Taylor polynomials (|x| ≤ π/4 directly, else as cos(π/2 − |x|)), within
 * ~1e-16 absolute: several times faster than Math.sin and accurate enough for the edge guard,
 * which sends anything within a few ulps of a pixel edge to the correctly rounded path.
 */
function fastSin(x: number): number {
  const ax = Math.abs(x);
  if (ax <= 0.7853981633974483) {
    const x2 = x * x;
    let p = -1 / 1307674368000;
    p = p * x2 + 1 / 6227020800;
    p = p * x2 - 1 / 39916800;
    p = p * x2 + 1 / 362880;
    p = p * x2 - 1 / 5040;
    p = p * x2 + 1 / 120;
    p = p * x2 - 1 / 6;
    return x + x * x2 * p;
  }
  const r = 1.5707963267948966 - ax + 6.123233995736766e-17;
  const r2 = r * r;
  let q = 1 / 20922789888000;
  q = q * r2 - 1 / 87178291200;
  q = q * r2 + 1 / 479001600;
  q = q * r2 - 1 / 3628800;
  q = q * r2 + 1 / 40320;
  q = q * r2 - 1 / 720;
  q = q * r2 + 1 / 24;
  q = q * r2 - 0.5;
  const c = 1 + r2 * q;
  return x < 0 ? -c : c;
}

function locateNest(order: number, nside: number, lonDeg: number, latDeg: number): void {
  const latRad = latDeg * DEG2RAD;
  const theta = Math.PI / 2 - latRad;
  const phi = lonDeg * DEG2RAD;
  const nearPole = theta < 0.01 || theta > POLE_LIMIT;
  // z = cos θ = sin(lat) to within ~2e-16 absolute; exactness near edges comes from the guard.
  const z = nearPole ? Math.cos(theta) : fastSin(latRad);
  const sth = nearPole ? Math.sin(theta) : 0;
  if (!locateNestZ(order, nside, z, phi, sth, nearPole, true)) {
    // Within a few ulps of a pixel edge: redo with the correctly rounded cos θ (as glibc/healpy).
    thetaToZ(nside, theta, phi, nearPole);
    locateNestZ(order, nside, thetaZ, phi, thetaSth, nearPole, false);
  }
}

/**
 * Locate (z, φ); returns false (without output) when `guard` is set and the point is so close
 * to an edge that the last ulp of z matters (same bounds as `nearEdge` in healpix.ts).
 */
function locateNestZ(
  order: number,
  nside: number,
  z: number,
  phi: number,
  sth: number,
  haveSth: boolean,
  guard: boolean,
): boolean {
  const za = Math.abs(z);
  let t = phi * INV_HALF_PI;
  if (t < 0 || t >= 4) {
    t %= 4;
    if (t < 0) t = t + 4 === 4 ? 0 : t + 4;
  }
  let ix: number;
  let iy: number;
  if (za <= TWO_THIRD) {
    const temp1 = nside * (0.5 + t);
    const temp2 = nside * (z * 0.75);
    const a = temp1 - temp2;
    const b = temp1 + temp2;
    const jp = Math.trunc(a);
    const jm = Math.trunc(b);
    if (guard) {
      const eps = nside * 4e-16;
      if (a - jp < eps || jp + 1 - a < eps || b - jm < eps || jm + 1 - b < eps || TWO_THIRD - za < 1e-15) {
        return false;
      }
    }
    const inv = 1 / nside;
    const ifp = Math.floor(jp * inv);
    const ifm = Math.floor(jm * inv);
    outFace = ifp === ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
    ix = jm & (nside - 1);
    iy = nside - (jp & (nside - 1)) - 1;
  } else {
    const ntt = t < 3 ? Math.trunc(t) : 3;
    const tp = t - ntt;
    const useSth = za >= 0.99 && haveSth;
    const tmp = useSth ? (nside * sth) / Math.sqrt((1 + za) / 3) : nside * Math.sqrt(3 * (1 - za));
    const a = tp * tmp;
    const b = (1 - tp) * tmp;
    let jp = Math.trunc(a);
    let jm = Math.trunc(b);
    if (guard) {
      const eps = useSth ? tmp * 1e-15 : tmp * (3e-16 / (1 - za) + 1e-15);
      if (a - jp < eps || jp + 1 - a < eps || b - jm < eps || jm + 1 - b < eps || za - TWO_THIRD < 1e-15) {
        return false;
      }
    }
    if (jp > nside - 1) jp = nside - 1;
    if (jm > nside - 1) jm = nside - 1;
    if (z >= 0) {
      outFace = ntt;
      ix = nside - jm - 1;
      iy = nside - jp - 1;
    } else {
      outFace = ntt + 8;
      ix = jp;
      iy = jm;
    }
  }
  outLo = (spread16(ix) | (spread16(iy) << 1)) >>> 0;
  outHi = order > 16 ? spread16(ix >>> 16) | (spread16(iy >>> 16) << 1) : 0;
  return true;
}

/**
 * RING index (as a number, order ≤ 24) of (z, φ); NaN when `guard` is set and the point is within
 * a few ulps of a pixel edge (HEALPix C++ loc2pix, RING branch, fused).
 */
function locateRingZ(
  order: number,
  nside: number,
  z: number,
  phi: number,
  sth: number,
  haveSth: boolean,
  guard: boolean,
): number {
  const za = Math.abs(z);
  let t = phi * INV_HALF_PI;
  if (t < 0 || t >= 4) {
    t %= 4;
    if (t < 0) t = t + 4 === 4 ? 0 : t + 4;
  }
  if (za <= TWO_THIRD) {
    const nl4 = 4 * nside;
    const temp1 = nside * (0.5 + t);
    const temp2 = nside * z * 0.75;
    const a = temp1 - temp2;
    const b = temp1 + temp2;
    const jp = Math.trunc(a);
    const jm = Math.trunc(b);
    if (guard) {
      const eps = nside * 4e-16;
      if (a - jp < eps || jp + 1 - a < eps || b - jm < eps || jm + 1 - b < eps || TWO_THIRD - za < 1e-15) {
        return Number.NaN;
      }
    }
    const ir = nside + 1 + jp - jm;
    const kshift = 1 - (ir & 1);
    const t1 = jp + jm - nside + kshift + 1 + nl4 + nl4;
    const ip = order > 0 ? (t1 >>> 1) & (nl4 - 1) : (t1 >>> 1) % nl4;
    return 2 * nside * (nside - 1) + (ir - 1) * nl4 + ip;
  }
  const tp = t - Math.trunc(t);
  const useSth = za >= 0.99 && haveSth;
  const tmp = useSth ? (nside * sth) / Math.sqrt((1 + za) / 3) : nside * Math.sqrt(3 * (1 - za));
  const a = tp * tmp;
  const b = (1 - tp) * tmp;
  const jp = Math.trunc(a);
  const jm = Math.trunc(b);
  if (guard) {
    const eps = useSth ? tmp * 1e-15 : tmp * (3e-16 / (1 - za) + 1e-15);
    if (a - jp < eps || jp + 1 - a < eps || b - jm < eps || jm + 1 - b < eps || za - TWO_THIRD < 1e-15) {
      return Number.NaN;
    }
  }
  const ir = jp + jm + 1;
  const ip = Math.trunc(t * ir);
  return z > 0 ? 2 * ir * (ir - 1) + ip : 12 * nside * nside - 2 * ir * (ir + 1) + ip;
}

/**
 * The NESTED number path as one loop without calls in the common case (order ≤ 24, so every
 * intermediate fits 31 bits and `| 0` / `>>` are exact truncations). Same steps as locateNestZ.
 */
function nestLoopNumber(
  order: number,
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  out: Float64Array,
): void {
  const n = lon.length;
  const nside = 2 ** order;
  const npface = 4 ** order;
  const mask = nside - 1;
  const eps = nside * 4e-16;
  for (let i = 0; i < n; i++) {
    const la = lat[i] as number;
    if (!(la >= -90 && la <= 90) || !Number.isFinite(lon[i])) throw badLat(i, la, lon[i] as number);
    const latRad = la * DEG2RAD;
    const theta = Math.PI / 2 - latRad;
    const phi = (lon[i] as number) * DEG2RAD;
    let t = phi * INV_HALF_PI;
    if (t < 0 || t >= 4) {
      t %= 4;
      if (t < 0) t = t + 4 === 4 ? 0 : t + 4;
    }
    let face = -1;
    let ix = 0;
    let iy = 0;
    if (theta >= 0.01 && theta <= POLE_LIMIT) {
      const z = fastSin(latRad);
      const za = z < 0 ? -z : z;
      if (za <= TWO_THIRD) {
        const temp1 = nside * (0.5 + t);
        const temp2 = nside * (z * 0.75);
        const a = temp1 - temp2;
        const b = temp1 + temp2;
        const jp = a | 0;
        const jm = b | 0;
        if (
          a - jp >= eps &&
          jp + 1 - a >= eps &&
          b - jm >= eps &&
          jm + 1 - b >= eps &&
          TWO_THIRD - za >= 1e-15
        ) {
          const ifp = jp >> order;
          const ifm = jm >> order;
          face = ifp === ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
          ix = jm & mask;
          iy = nside - (jp & mask) - 1;
        }
      } else {
        const ntt = t < 3 ? t | 0 : 3;
        const tp = t - ntt;
        const tmp = nside * Math.sqrt(3 * (1 - za));
        const a = tp * tmp;
        const b = (1 - tp) * tmp;
        let jp = a | 0;
        let jm = b | 0;
        const e2 = tmp * (3e-16 / (1 - za) + 1e-15);
        if (a - jp >= e2 && jp + 1 - a >= e2 && b - jm >= e2 && jm + 1 - b >= e2 && za - TWO_THIRD >= 1e-15) {
          if (jp > mask) jp = mask;
          if (jm > mask) jm = mask;
          if (z >= 0) {
            face = ntt;
            ix = mask - jm;
            iy = mask - jp;
          } else {
            face = ntt + 8;
            ix = jp;
            iy = jm;
          }
        }
      }
    }
    if (face < 0) {
      // near a pole or next to a pixel edge: the general, exactly rounded path
      locateNest(order, nside, lon[i] as number, la);
      out[i] = outFace * npface + outHi * TWO32 + outLo;
      continue;
    }
    let x = ix & 0xffff;
    x = (x | (x << 8)) & 0x00ff00ff;
    x = (x | (x << 4)) & 0x0f0f0f0f;
    x = (x | (x << 2)) & 0x33333333;
    x = (x | (x << 1)) & 0x55555555;
    let y = iy & 0xffff;
    y = (y | (y << 8)) & 0x00ff00ff;
    y = (y | (y << 4)) & 0x0f0f0f0f;
    y = (y | (y << 2)) & 0x33333333;
    y = (y | (y << 1)) & 0x55555555;
    const lo = (x | (y << 1)) >>> 0;
    const hi = order > 16 ? spread16(ix >>> 16) | (spread16(iy >>> 16) << 1) : 0;
    out[i] = face * npface + hi * TWO32 + lo;
  }
}

/** The RING number path as one loop (order ≤ 24); same steps as locateRingZ. */
function ringLoopNumber(
  order: number,
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  out: Float64Array,
): void {
  const n = lon.length;
  const nside = 2 ** order;
  const nl4 = 4 * nside;
  const ncap = 2 * nside * (nside - 1);
  const npix = 12 * nside * nside;
  const eps = nside * 4e-16;
  for (let i = 0; i < n; i++) {
    const la = lat[i] as number;
    if (!(la >= -90 && la <= 90) || !Number.isFinite(lon[i])) throw badLat(i, la, lon[i] as number);
    const latRad = la * DEG2RAD;
    const theta = Math.PI / 2 - latRad;
    const phi = (lon[i] as number) * DEG2RAD;
    let t = phi * INV_HALF_PI;
    if (t < 0 || t >= 4) {
      t %= 4;
      if (t < 0) t = t + 4 === 4 ? 0 : t + 4;
    }
    let p = -1;
    if (theta >= 0.01 && theta <= POLE_LIMIT) {
      const z = fastSin(latRad);
      const za = z < 0 ? -z : z;
      if (za <= TWO_THIRD) {
        const temp1 = nside * (0.5 + t);
        const temp2 = nside * z * 0.75;
        const a = temp1 - temp2;
        const b = temp1 + temp2;
        const jp = a | 0;
        const jm = b | 0;
        if (
          a - jp >= eps &&
          jp + 1 - a >= eps &&
          b - jm >= eps &&
          jm + 1 - b >= eps &&
          TWO_THIRD - za >= 1e-15
        ) {
          const ir = nside + 1 + jp - jm;
          const kshift = 1 - (ir & 1);
          const t1 = jp + jm - nside + kshift + 1 + nl4 + nl4;
          const ip = order > 0 ? (t1 >>> 1) & (nl4 - 1) : (t1 >>> 1) % nl4;
          p = ncap + (ir - 1) * nl4 + ip;
        }
      } else {
        const tp = t - (t | 0);
        const tmp = nside * Math.sqrt(3 * (1 - za));
        const a = tp * tmp;
        const b = (1 - tp) * tmp;
        const jp = a | 0;
        const jm = b | 0;
        const e2 = tmp * (3e-16 / (1 - za) + 1e-15);
        if (a - jp >= e2 && jp + 1 - a >= e2 && b - jm >= e2 && jm + 1 - b >= e2 && za - TWO_THIRD >= 1e-15) {
          const ir = jp + jm + 1;
          const ip = (t * ir) | 0;
          p = z > 0 ? 2 * ir * (ir - 1) + ip : npix - 2 * ir * (ir + 1) + ip;
        }
      }
    }
    if (p < 0) {
      // near a pole or next to a pixel edge: the general, exactly rounded path
      const nearPole = theta < 0.01 || theta > POLE_LIMIT;
      thetaToZ(nside, theta, phi, nearPole);
      p = locateRingZ(order, nside, thetaZ, phi, thetaSth, nearPole, false);
    }
    out[i] = p;
  }
}

/**
 * Pixel indices of many positions (lon, lat in degrees) at `order` ≤ 24, as exact numbers.
 * @param out optional output array of the same length (reused to avoid allocation)
 */
export function ang2pixArray(
  order: number,
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  scheme: HealpixScheme = "nest",
  out: Float64Array = new Float64Array(lon.length),
): Float64Array {
  checkOrder(order, true);
  checkInputs(lon, lat);
  if (scheme === "nest") {
    nestLoopNumber(order, lon, lat, out);
  } else {
    ringLoopNumber(order, lon, lat, out);
  }
  return out;
}

/** Pixel indices of many positions (lon, lat in degrees) at any order 0–29, as 64-bit integers. */
export function ang2pixArrayBig(
  order: number,
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  scheme: HealpixScheme = "nest",
  out: BigInt64Array = new BigInt64Array(lon.length),
): BigInt64Array {
  checkOrder(order, false);
  checkInputs(lon, lat);
  const n = lon.length;
  const nside = 2 ** order;
  if (scheme === "nest" && LITTLE_ENDIAN) {
    // Write the two 32-bit halves directly: no BigInt is created per element.
    const words = new Uint32Array(out.buffer, out.byteOffset, 2 * n);
    const faceShift = 2 * order;
    for (let i = 0; i < n; i++) {
      const la = lat[i] as number;
      if (!(la >= -90 && la <= 90) || !Number.isFinite(lon[i])) throw badLat(i, la, lon[i] as number);
      locateNest(order, nside, lon[i] as number, la);
      if (faceShift >= 32) {
        words[2 * i] = outLo;
        words[2 * i + 1] = outHi + outFace * 2 ** (faceShift - 32);
      } else {
        const v = outFace * 2 ** faceShift + outLo;
        words[2 * i] = v >>> 0;
        words[2 * i + 1] = Math.floor(v / TWO32);
      }
    }
    return out;
  }
  if (order <= 24) {
    const tmp = ang2pixArray(order, lon, lat, scheme);
    for (let i = 0; i < n; i++) out[i] = BigInt(tmp[i] as number);
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = ang2pixBig(order, lon[i] as number, lat[i] as number, scheme);
  return out;
}

/**
 * Pixel centres of many pixels as lon, lat in degrees. `pix` holds exact numbers (order ≤ 24)
 * or 64-bit integers (any order).
 */
export function pix2angArray(
  order: number,
  pix: Float64Array | BigInt64Array | readonly number[],
  scheme: HealpixScheme = "nest",
): { lon: Float64Array; lat: Float64Array } {
  const n = pix.length;
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const big = pix instanceof BigInt64Array;
  checkOrder(order, !big);
  if (scheme === "nest" && !big) {
    const npface = 4 ** order;
    for (let i = 0; i < n; i++) {
      const p = pix[i] as number;
      if (!(Number.isInteger(p) && p >= 0 && p < 12 * npface)) decodePixel(order, p, scheme); // throws
      const face = Math.floor(p / npface);
      const rem = p - face * npface;
      const lo = rem >>> 0;
      const hi = (rem - lo) / TWO32;
      const ix = compress16(lo) | (compress16(hi) << 16);
      const iy = compress16(lo >>> 1) | (compress16(hi >>> 1) << 16);
      pix2locXyf(order, ix, iy, face);
      lon[i] = locPhi * RAD2DEG;
      lat[i] = 90 - locTheta() * RAD2DEG;
    }
    return { lon, lat };
  }
  for (let i = 0; i < n; i++) {
    const p = pix[i] as number | bigint;
    if (scheme === "nest") {
      decodePixel(order, p, "nest");
      pix2locXyfFromScratch(order);
    } else {
      decodePixel(order, p, "ring");
      pix2locRing(order, ringR, ringP);
    }
    lon[i] = locPhi * RAD2DEG;
    lat[i] = 90 - locTheta() * RAD2DEG;
  }
  return { lon, lat };
}

function pix2locXyfFromScratch(order: number): void {
  pix2locXyf(order, xyfX, xyfY, xyfF);
}

/** NESTED → RING for many pixels (numbers: order ≤ 24; BigInt64Array: any order). */
export function nest2ringArray<T extends Float64Array | BigInt64Array>(order: number, pix: T): T {
  return convertArray(order, pix, "nest");
}

/** RING → NESTED for many pixels (numbers: order ≤ 24; BigInt64Array: any order). */
export function ring2nestArray<T extends Float64Array | BigInt64Array>(order: number, pix: T): T {
  return convertArray(order, pix, "ring");
}

function convertArray<T extends Float64Array | BigInt64Array>(order: number, pix: T, from: HealpixScheme): T {
  const to: HealpixScheme = from === "nest" ? "ring" : "nest";
  if (pix instanceof BigInt64Array) {
    const out = new BigInt64Array(pix.length);
    for (let i = 0; i < pix.length; i++) {
      decodePixel(order, pix[i] as bigint, from);
      out[i] = encodeXyf(order, xyfX, xyfY, xyfF, to, 0n);
    }
    return out as T;
  }
  const out = new Float64Array(pix.length);
  for (let i = 0; i < pix.length; i++) {
    decodePixel(order, pix[i] as number, from);
    out[i] = encodeXyf(order, xyfX, xyfY, xyfF, to, 0);
  }
  return out as T;
}
