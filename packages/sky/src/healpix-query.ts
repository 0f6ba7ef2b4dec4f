/**
 * HEALPix region queries: discs, convex polygons and lon/lat boxes, in NESTED or RING, at any
 * order 0–29. Two modes (as healpy):
 * - exact (default): the pixels whose centres lie inside the region;
 * - inclusive: every pixel that overlaps the region (a few extra pixels may be included), tested
 *   at `fact` times the resolution (RING: any integer; NESTED: a power of two).
 * Algorithms: Górski et al. 2005 §5 and the HEALPix C++ `query_disc`/`query_multidisc`, whose
 * floating-point steps we follow so results agree with healpy pixel for pixel.
 */
import { SkyError } from "./errors.js";
import {
  checkOrder,
  HALF_PI,
  HEALPIX_MAX_ORDER,
  type HealpixScheme,
  INV_TWO_PI,
  JPLL,
  JRLL,
  loc2ringPos,
  locPhi,
  locZ,
  pix2locRingNside,
  ring2xyf,
  ringDecodeBig,
  ringDecodeNum,
  ringIndexBig,
  ringIndexNum,
  ringLength,
  ringP,
  ringR,
  ringShifted,
  ringStartBig,
  ringStartNum,
  TWO_THIRD,
  xyf2nestBig,
  xyf2nestNum,
  xyf2ringPos,
  xyfF,
  xyfX,
  xyfY,
} from "./healpix.js";
import { HealpixRanges, RangeBuilder } from "./healpix-ranges.js";
import { cosAccurate } from "./healpix-trig.js";

const DEG2RAD = Math.PI / 180;
const TWO_PI = 2 * Math.PI;

/** Options of the HEALPix queries. */
export interface QueryOptions {
  /** Pixel numbering of the result (default "nest"). */
  scheme?: HealpixScheme;
  /** Return every pixel overlapping the region, not only those whose centre is inside. */
  inclusive?: boolean;
  /** Oversampling factor of the inclusive test (default 4; NESTED needs a power of two). */
  fact?: number;
}

// --- small vector helpers (HEALPix C++ vec3 / pointing semantics) ---------------------------

type Vec3 = [number, number, number];

/** (θ, φ) of a vector as HEALPix `pointing(vec3)`, φ in [0, 2π). */
function vecToPointing(v: Vec3): [number, number] {
  const [x, y, z] = v;
  const theta = Math.atan2(Math.sqrt(x * x + y * y), z);
  let phi = x === 0 && y === 0 ? 0 : Math.atan2(y, x);
  if (phi < 0) phi += TWO_PI;
  if (phi >= TWO_PI) phi %= TWO_PI;
  return [theta, phi];
}

function pointingToVec(theta: number, phi: number): Vec3 {
  const st = Math.sin(theta);
  return [st * Math.cos(phi), st * Math.sin(phi), cosAccurate(theta)];
}

/** Unit vector of (lon, lat) in degrees, as healpy `ang2vec(lonlat=True)`. */
export function lonLatToVec(lon: number, lat: number): Vec3 {
  if (!(lat >= -90 && lat <= 90) || !Number.isFinite(lon)) {
    throw new SkyError("INVALID_ARGUMENT", `position (${lon}, ${lat}) is not a valid lon/lat in degrees`);
  }
  return pointingToVec(Math.PI / 2 - lat * DEG2RAD, lon * DEG2RAD);
}

function setZPhi(z: number, phi: number): Vec3 {
  const st = Math.sqrt((1 - z) * (1 + z));
  return [st * Math.cos(phi), st * Math.sin(phi), z];
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
function norm(a: Vec3): Vec3 {
  const l = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
  return [a[0] / l, a[1] / l, a[2] / l];
}
function vAngle(a: Vec3, b: Vec3): number {
  const c = cross(a, b);
  return Math.atan2(Math.sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]), dot(a, b));
}

/** cos of the angle between (z1, φ1) and (z2, φ2). */
function cosdistZPhi(z1: number, phi1: number, z2: number, phi2: number): number {
  return z1 * z2 + fastCos(phi1 - phi2) * Math.sqrt((1 - z1 * z1) * (1 - z2 * z2));
}

/**
 * cos x for |x| ≲ 100 to ~1 ulp: Cody–Waite reduction by π/2 and Taylor polynomials on
 * [−π/4, π/4]. Several times faster than Math.cos in the hot loop of the NESTED walk; like any
 * libm difference it can only matter for pixel centres within ~1e-16 of the query boundary.
 */
function fastCos(x: number): number {
  const k = Math.round(x * 0.6366197723675814);
  const r = x - k * 1.5707963267948966 - k * 6.123233995736766e-17;
  const r2 = r * r;
  const q = k & 3;
  if (q === 0 || q === 2) {
    let pc = 1 / 20922789888000;
    pc = pc * r2 - 1 / 87178291200;
    pc = pc * r2 + 1 / 479001600;
    pc = pc * r2 - 1 / 3628800;
    pc = pc * r2 + 1 / 40320;
    pc = pc * r2 - 1 / 720;
    pc = pc * r2 + 1 / 24;
    pc = pc * r2 - 0.5;
    const c = 1 + r2 * pc;
    return q === 0 ? c : -c;
  }
  let ps = -1 / 1307674368000;
  ps = ps * r2 + 1 / 6227020800;
  ps = ps * r2 - 1 / 39916800;
  ps = ps * r2 + 1 / 362880;
  ps = ps * r2 - 1 / 5040;
  ps = ps * r2 + 1 / 120;
  ps = ps * r2 - 1 / 6;
  const sn = r + r * r2 * ps;
  return q === 1 ? -sn : sn;
}

/** Largest centre-to-corner angle of any pixel at this nside (HEALPix C++ `max_pixrad`). */
export function maxPixelRadius(nside: number): number {
  const cached = PIXRAD_CACHE.get(nside);
  if (cached !== undefined) return cached;
  const r = computeMaxPixelRadius(nside);
  if (PIXRAD_CACHE.size < 256) PIXRAD_CACHE.set(nside, r);
  return r;
}
const PIXRAD_CACHE = new Map<number, number>();

function computeMaxPixelRadius(nside: number): number {
  const va = setZPhi(2 / 3, Math.PI / (4 * nside));
  let t1 = 1 - 1 / nside;
  t1 *= t1;
  const vb = setZPhi(1 - t1 / 3, 0);
  return vAngle(va, vb);
}

function ring2z(nside: number, ring: number): number {
  const fact2 = 4 / (12 * nside * nside);
  const fact1 = 2 * nside * fact2;
  if (ring < nside) return 1 - ring * ring * fact2;
  if (ring <= 3 * nside) return (2 * nside - ring) * fact1;
  const r = 4 * nside - ring;
  return r * r * fact2 - 1;
}

/**
 * Half-width in φ of a ring's overlap with a disc, from x = (cos r − z·z0)/sin θ0 and
 * ysq = 1 − z² − x². ysq ≤ 0 means the ring lies wholly inside (x < 0) or, through rounding at
 * tiny radii, wholly outside (x > 0) the disc; the reference code treats both as "inside", which
 * adds a whole ring of pixels to sub-arcsecond discs at high order, so we return 0 for the latter.
 */
function ringHalfWidth(ysq: number, x: number): number {
  if (ysq <= 0) return x > 0 ? 0 : Math.PI - 1e-15;
  return Math.atan2(Math.sqrt(ysq), x);
}

/** Number of the ring just north of z (0 above the first ring). */
function ringAbove(nside: number, z: number): number {
  const az = Math.abs(z);
  if (az <= TWO_THIRD) return Math.trunc(nside * (2 - 1.5 * z));
  const iring = Math.trunc(nside * Math.sqrt(3 * (1 - az)));
  return z > 0 ? iring : 4 * nside - iring - 1;
}

// --- output -----------------------------------------------------------------------------------

class Output {
  readonly b: RangeBuilder;
  constructor(
    readonly order: number,
    readonly nside: number,
  ) {
    this.b = new RangeBuilder(order);
  }
  all(): void {
    if (this.b.big) this.b.appendBig(0n, 12n * 4n ** BigInt(this.order));
    else this.b.appendNum(0, 12 * this.nside * this.nside);
  }
  /** Ring positions [lo, hi) (0-based) of ring `ring`. */
  ring(ring: number, lo: number, hi: number): void {
    if (this.b.big) {
      const s = ringStartBig(this.nside, ring);
      this.b.appendBig(s + BigInt(lo), s + BigInt(hi));
    } else {
      const s = ringStartNum(this.nside, ring);
      this.b.appendNum(s + lo, s + hi);
    }
  }
  /** Whole rings r1..r2 inclusive. */
  rings(r1: number, r2: number): void {
    if (r2 < r1) return;
    const len = ringLength(this.nside, r2);
    if (this.b.big)
      this.b.appendBig(ringStartBig(this.nside, r1), ringStartBig(this.nside, r2) + BigInt(len));
    else this.b.appendNum(ringStartNum(this.nside, r1), ringStartNum(this.nside, r2) + len);
  }
  /** NESTED cell (face, ix, iy) of order o ≤ order: all its sub-pixels at `order`. */
  cell(o: number, face: number, ix: number, iy: number): void {
    const shift = this.order - o;
    const f = 2 ** shift;
    if (this.b.big) {
      const s = xyf2nestBig(this.order, ix * f, iy * f, face);
      this.b.appendBig(s, s + BigInt(f * f));
    } else {
      const s = xyf2nestNum(this.order, ix * f, iy * f, face);
      this.b.appendNum(s, s + f * f);
    }
  }
  result(scheme: HealpixScheme): HealpixRanges {
    return HealpixRanges.from(this.order, scheme, this.b);
  }
}

function resolveFact(order: number, scheme: HealpixScheme, opts: QueryOptions): number {
  if (!opts.inclusive) return 0;
  const fact = opts.fact ?? 4;
  if (!Number.isInteger(fact) || fact < 1) {
    throw new SkyError("INVALID_ARGUMENT", `fact must be a positive integer, got ${fact}`);
  }
  if (scheme === "nest" && (fact & (fact - 1)) !== 0) {
    throw new SkyError("INVALID_ARGUMENT", `fact must be a power of 2 for NESTED queries, got ${fact}`);
  }
  if (2 ** order * fact > 2 ** HEALPIX_MAX_ORDER) {
    throw new SkyError(
      "INVALID_ARGUMENT",
      `fact ${fact} at order ${order} exceeds the maximum resolution (order 29)`,
    );
  }
  return fact;
}

// --- RING helpers for the inclusive test --------------------------------------------------------

interface RingCentre {
  ring: number;
  pos: number;
}

/** The RING pixel containing (z, φ), decoded (HEALPix C++ `zphi2pix`). */
function ringCentrePixel(order: number, nside: number, z: number, phi: number): RingCentre {
  loc2ringPos(order, z, phi, 0, false);
  if (order <= 24) ringDecodeNum(order, ringIndexNum(nside));
  else ringDecodeBig(order, ringIndexBig(nside));
  return { ring: ringR, pos: ringP };
}

/**
 * True when RING pixel `pix` (0-based position in ring `ring` of length nr, may wrap) surely
 * does not overlap the disc: none of its edge points at `fct`× resolution is within the disc.
 */
function checkPixelRing(
  nside: number,
  fct: number,
  ring: number,
  pixIn: number,
  nr: number,
  cz: number,
  cphi: number,
  cosrp2: number,
  cpix: RingCentre,
): boolean {
  let pix = pixIn;
  if (pix >= nr) pix -= nr;
  if (pix < 0) pix += nr;
  if (ring === cpix.ring && pix + 1 === cpix.pos) return false;
  ring2xyf(nside, ring, pix + 1);
  const px = xyfX;
  const py = xyfY;
  const pf = xyfF;
  const nside2 = fct * nside;
  const ox = fct * px;
  const oy = fct * py;
  const far = (x: number, y: number): boolean => {
    xyf2ringPos(nside2, x, y, pf);
    pix2locRingNside(nside2, ringR, ringP);
    return cosdistZPhi(locZ, locPhi, cz, cphi) <= cosrp2;
  };
  for (let i = 0; i < fct - 1; i++) {
    if (!far(ox + i, oy)) return false;
    if (!far(ox + fct - 1, oy + i)) return false;
    if (!far(ox + fct - 1 - i, oy + fct - 1)) return false;
    if (!far(ox, oy + fct - 1 - i)) return false;
  }
  return true;
}

// --- NESTED hierarchical traversal -------------------------------------------------------------

/**
 * Depth-first walk over the NESTED tree. `zoneOf(o, z, φ, vector)` classifies a pixel centre:
 * 0 outside, 1 centre outside but may overlap, 2 centre inside, 3 pixel fully inside.
 */
// Scratch and per-order constants of walkNest (orders 0..29 plus the `fact` refinement levels).
const STACK = {
  f: new Int32Array(0),
  x: new Int32Array(0),
  y: new Int32Array(0),
  o: new Int32Array(0),
  n: new Float64Array(0),
};
const NEST_NSIDE = Float64Array.from({ length: 31 }, (_, o) => 2 ** o);
const NEST_FACT2 = Float64Array.from(NEST_NSIDE, (ns) => 4 / (12 * ns * ns));
const NEST_FACT1 = Float64Array.from(NEST_NSIDE, (ns, o) => 2 * ns * (NEST_FACT2[o] as number));
const SPAN_BELOW = Float64Array.from({ length: 31 }, (_, k) => 4 ** k);

function walkNest(
  out: Output,
  order: number,
  omax: number,
  inclusive: boolean,
  zoneOf: (o: number, z: number, phi: number, sth: number, haveSth: boolean) => number,
): void {
  // Typed stack of (face, x, y, order); depth-first holds ≤ 12 + 3 per level entries. Reused
  // between queries (module scratch; walks never nest).
  const cap = 12 + 4 * (omax + 2);
  if (STACK.f.length < cap) {
    STACK.f = new Int32Array(cap);
    STACK.x = new Int32Array(cap);
    STACK.y = new Int32Array(cap);
    STACK.o = new Int32Array(cap);
    STACK.n = new Float64Array(cap);
  }
  const { f: sf, x: sx, y: sy, o: so, n: sn } = STACK;
  const numeric = omax <= 24;
  let sp = 0;
  for (let i = 0; i < 12; i++) {
    sf[sp] = 11 - i;
    sx[sp] = 0;
    sy[sp] = 0;
    so[sp] = 0;
    sn[sp] = 11 - i;
    sp++;
  }
  const emit = (o: number, f: number, x: number, y: number, pix: number): void => {
    if (numeric) {
      const span = SPAN_BELOW[order - o] as number;
      out.b.appendNum(pix * span, (pix + 1) * span);
    } else out.cell(o, f, x, y);
  };
  // Per-order constants of pix2loc (HEALPix C++ NESTED branch).
  const nsides = NEST_NSIDE;
  const fact1s = NEST_FACT1;
  const fact2s = NEST_FACT2;
  let stacktop = 0;
  while (sp > 0) {
    sp--;
    const f = sf[sp] as number;
    const x = sx[sp] as number;
    const y = sy[sp] as number;
    const o = so[sp] as number;
    const pix = sn[sp] as number;
    // Pixel centre (Górski et al. 2005 eqs. 4–9, as pix2locXyf in healpix.ts).
    const nside = nsides[o] as number;
    const fact2 = fact2s[o] as number;
    const jr = (JRLL[f] as number) * nside - x - y - 1;
    let nr: number;
    let z: number;
    let sth = 0;
    let haveSth = false;
    if (jr < nside) {
      nr = jr;
      const tmp = nr * nr * fact2;
      z = 1 - tmp;
      if (z > 0.99) {
        sth = Math.sqrt(tmp * (2 - tmp));
        haveSth = true;
      }
    } else if (jr > 3 * nside) {
      nr = nside * 4 - jr;
      const tmp = nr * nr * fact2;
      z = tmp - 1;
      if (z < -0.99) {
        sth = Math.sqrt(tmp * (2 - tmp));
        haveSth = true;
      }
    } else {
      nr = nside;
      z = (2 * nside - jr) * (fact1s[o] as number);
    }
    let tp = (JPLL[f] as number) * nr + x - y;
    if (tp < 0) tp += 8 * nr;
    const phi = nr === nside ? 0.75 * HALF_PI * tp * (fact1s[o] as number) : (0.5 * HALF_PI * tp) / nr;
    const zone = zoneOf(o, z, phi, sth, haveSth);
    if (zone === 0) continue;
    let children = false;
    if (o < order) {
      if (zone >= 3) emit(o, f, x, y, pix);
      else children = true;
    } else if (o > order) {
      const sh = 2 ** (o - order);
      if (zone >= 2 || o >= omax) {
        emit(order, f, Math.floor(x / sh), Math.floor(y / sh), Math.floor(pix / (sh * sh)));
        sp = stacktop;
      } else children = true;
    } else if (zone >= 2) {
      emit(order, f, x, y, pix);
    } else if (inclusive) {
      if (order < omax) {
        stacktop = sp;
        children = true;
      } else emit(order, f, x, y, pix);
    }
    if (children) {
      for (let k = 3; k >= 0; k--) {
        sf[sp] = f;
        sx[sp] = 2 * x + (k & 1);
        sy[sp] = 2 * y + (k >> 1);
        so[sp] = o + 1;
        sn[sp] = 4 * pix + k;
        sp++;
      }
    }
  }
}

// --- disc -------------------------------------------------------------------------------------

/**
 * Pixels of a disc centred at (lon, lat) in degrees with angular radius `radius` in degrees.
 * Exact mode: pixels whose centre is within the disc; inclusive: all overlapping pixels.
 * Same results as healpy `query_disc(nside, ang2vec(lon, lat, lonlat=True), radians(radius))`.
 */
export function queryDisc(
  order: number,
  lon: number,
  lat: number,
  radius: number,
  opts: QueryOptions = {},
): HealpixRanges {
  checkOrder(order, false);
  if (!(radius >= 0)) throw new SkyError("INVALID_ARGUMENT", `radius must be ≥ 0 degrees, got ${radius}`);
  const scheme = opts.scheme ?? "nest";
  const fact = resolveFact(order, scheme, opts);
  const [theta, phi] = vecToPointing(lonLatToVec(lon, lat));
  return queryDiscRad(order, theta, phi, radius * DEG2RAD, fact, scheme);
}

function queryDiscRad(
  order: number,
  theta: number,
  phi: number,
  radius: number,
  fact: number,
  scheme: HealpixScheme,
): HealpixRanges {
  const nside = 2 ** order;
  const out = new Output(order, nside);
  const inclusive = fact !== 0;
  if (scheme === "ring") {
    const fct = inclusive ? fact : 1;
    let rsmall: number;
    let rbig: number;
    if (fct > 1) {
      rsmall = radius + maxPixelRadius(fct * nside);
      rbig = radius + maxPixelRadius(nside);
    } else {
      rsmall = rbig = inclusive ? radius + maxPixelRadius(nside) : radius;
    }
    if (rsmall >= Math.PI) {
      out.all();
      return out.result(scheme);
    }
    rbig = Math.min(Math.PI, rbig);
    const cosrsmall = cosAccurate(rsmall);
    const cosrbig = cosAccurate(rbig);
    const z0 = cosAccurate(theta);
    const xa = 1 / Math.sqrt((1 - z0) * (1 + z0));
    const cpix = fct > 1 ? ringCentrePixel(order, nside, z0, phi) : { ring: 0, pos: 0 };
    const rlat1 = theta - rsmall;
    const zmax = cosAccurate(rlat1);
    let irmin = ringAbove(nside, zmax) + 1;
    if (rlat1 <= 0 && irmin > 1) out.rings(1, irmin - 1);
    if (fct > 1 && rlat1 > 0) irmin = Math.max(1, irmin - 1);
    const rlat2 = theta + rsmall;
    const zmin = cosAccurate(rlat2);
    let irmax = ringAbove(nside, zmin);
    if (fct > 1 && rlat2 < Math.PI) irmax = Math.min(4 * nside - 1, irmax + 1);
    const atPole = fct === 1 && Math.abs(z0) === 1;
    for (let iz = irmin; iz <= irmax; iz++) {
      if (atPole) {
        // Centre on a pole: rings irmin..irmax lie wholly inside. (The reference code's
        // dphi = π − 1e-15 would drop the pixel at φ = π from unshifted rings.)
        out.rings(iz, iz);
        continue;
      }
      const z = ring2z(nside, iz);
      const x = (cosrbig - z * z0) * xa;
      const ysq = 1 - z * z - x * x;
      const dphi = ringHalfWidth(ysq, x);
      const nr = ringLength(nside, iz);
      const shift = ringShifted(nside, iz) ? 0.5 : 0;
      let ipLo = Math.floor(nr * INV_TWO_PI * (phi - dphi) - shift) + 1;
      let ipHi = Math.floor(nr * INV_TWO_PI * (phi + dphi) - shift);
      if (fct > 1) {
        while (ipLo <= ipHi && checkPixelRing(nside, fct, iz, ipLo, nr, z0, phi, cosrsmall, cpix)) ++ipLo;
        while (ipHi > ipLo && checkPixelRing(nside, fct, iz, ipHi, nr, z0, phi, cosrsmall, cpix)) --ipHi;
      }
      if (ipLo <= ipHi) {
        if (ipHi >= nr) {
          ipLo -= nr;
          ipHi -= nr;
        }
        if (ipLo < 0) {
          out.ring(iz, 0, ipHi + 1);
          out.ring(iz, ipLo + nr, nr);
        } else {
          out.ring(iz, ipLo, ipHi + 1);
        }
      }
    }
    if (rlat2 >= Math.PI && irmax + 1 < 4 * nside) out.rings(irmax + 1, 4 * nside - 1);
    return out.result(scheme);
  }
  if (radius >= Math.PI) {
    out.all();
    return out.result(scheme);
  }
  const omax = order + (inclusive ? Math.log2(fact) : 0);
  const crpdr: number[] = [];
  const crmdr: number[] = [];
  const cosrad = cosAccurate(radius);
  for (let o = 0; o <= omax; o++) {
    // Safety margins: only pixels a full pixel radius away depend on them, so libm ulps do not matter.
    const dr = maxPixelRadius(2 ** o);
    crpdr.push(radius + dr > Math.PI ? -1 : Math.cos(radius + dr));
    crmdr.push(radius - dr < 0 ? 1 : Math.cos(radius - dr));
  }
  const vz = cosAccurate(theta);
  walkNest(out, order, omax, inclusive, (o, z, pphi) => {
    const c = cosdistZPhi(vz, phi, z, pphi);
    if (!(c > (crpdr[o] as number))) return 0;
    return c < cosrad ? 1 : c <= (crmdr[o] as number) ? 2 : 3;
  });
  return out.result(scheme);
}

// --- intersection of discs (polygons, boxes) ----------------------------------------------------

/** Pixels inside every disc (unit-vector centre, radius in radians): HEALPix `query_multidisc`. */
function queryMultidisc(
  order: number,
  normals: Vec3[],
  rad: number[],
  fact: number,
  scheme: HealpixScheme,
  poleWholeRings = false,
  ringBound?: { centre: Vec3; radius: number },
): HealpixRanges {
  const nside = 2 ** order;
  const out = new Output(order, nside);
  const inclusive = fact !== 0;
  const nv = normals.length;
  if (scheme === "ring") {
    const fct = inclusive ? fact : 1;
    let rpsmall: number;
    let rpbig: number;
    if (fct > 1) {
      rpsmall = maxPixelRadius(fct * nside);
      rpbig = maxPixelRadius(nside);
    } else {
      rpsmall = rpbig = inclusive ? maxPixelRadius(nside) : 0;
    }
    let irmin = 1;
    let irmax = 4 * nside - 1;
    if (ringBound && ringBound.radius + maxPixelRadius(nside) < Math.PI) {
      // Rings outside a circle enclosing the region hold none of its pixels: skip them. (The
      // reference code walks every ring of the hemispheres, ~2^31 rings at order 29.)
      const [th] = vecToPointing(ringBound.centre);
      const r = ringBound.radius + maxPixelRadius(nside);
      if (th - r > 0) irmin = Math.max(irmin, ringAbove(nside, Math.cos(th - r)));
      if (th + r < Math.PI) irmax = Math.min(irmax, ringAbove(nside, Math.cos(th + r)) + 1);
    }
    const z0s: number[] = [];
    const xas: number[] = [];
    const cosrsmall: number[] = [];
    const cosrbig: number[] = [];
    const phis: number[] = [];
    const cpixs: RingCentre[] = [];
    for (let i = 0; i < nv; i++) {
      const rsmall = (rad[i] as number) + rpsmall;
      if (rsmall < Math.PI) {
        const rbig = Math.min(Math.PI, (rad[i] as number) + rpbig);
        const [th, ph] = vecToPointing(normals[i] as Vec3);
        cosrsmall.push(cosAccurate(rsmall));
        cosrbig.push(cosAccurate(rbig));
        const cth = cosAccurate(th);
        z0s.push(cth);
        cpixs.push(fct > 1 ? ringCentrePixel(order, nside, cth, ph) : { ring: 0, pos: 0 });
        xas.push(1 / Math.sqrt((1 - cth) * (1 + cth)));
        phis.push(ph);
        const rlat1 = th - rsmall;
        const zmax = cosAccurate(rlat1);
        let irminT = rlat1 <= 0 ? 1 : ringAbove(nside, zmax) + 1;
        if (fct > 1 && rlat1 > 0) irminT = Math.max(1, irminT - 1);
        const rlat2 = th + rsmall;
        const zmin = cosAccurate(rlat2);
        let irmaxT = rlat2 >= Math.PI ? 4 * nside - 1 : ringAbove(nside, zmin);
        if (fct > 1 && rlat2 < Math.PI) irmaxT = Math.min(4 * nside - 1, irmaxT + 1);
        if (irmaxT < irmax) irmax = irmaxT;
        if (irminT > irmin) irmin = irminT;
      }
    }
    for (let iz = irmin; iz <= irmax; iz++) {
      const z = ring2z(nside, iz);
      const nr = ringLength(nside, iz);
      const shift = ringShifted(nside, iz) ? 0.5 : 0;
      let tr: number[] = [0, nr];
      for (let j = 0; j < z0s.length; j++) {
        // A disc centred on a pole covers whole rings (already limited by irmin/irmax).
        if ((fct === 1 || poleWholeRings) && Math.abs(z0s[j] as number) === 1) continue;
        const x = ((cosrbig[j] as number) - z * (z0s[j] as number)) * (xas[j] as number);
        const ysq = 1 - z * z - x * x;
        const dphi = ringHalfWidth(ysq, x);
        const ph = phis[j] as number;
        let ipLo = Math.floor(nr * INV_TWO_PI * (ph - dphi) - shift) + 1;
        let ipHi = Math.floor(nr * INV_TWO_PI * (ph + dphi) - shift);
        if (fct > 1) {
          const cz = z0s[j] as number;
          const cp = cpixs[j] as RingCentre;
          const cr = cosrsmall[j] as number;
          while (ipLo <= ipHi && checkPixelRing(nside, fct, iz, ipLo, nr, cz, ph, cr, cp)) ++ipLo;
          while (ipHi > ipLo && checkPixelRing(nside, fct, iz, ipHi, nr, cz, ph, cr, cp)) --ipHi;
        }
        if (ipHi >= nr) {
          ipLo -= nr;
          ipHi -= nr;
        }
        if (ipLo < 0) tr = localRemove(tr, ipHi + 1, ipLo + nr);
        else tr = localIntersect(tr, ipLo, ipHi + 1);
      }
      for (let k = 0; k < tr.length; k += 2) out.ring(iz, tr[k] as number, tr[k + 1] as number);
    }
    return out.result(scheme);
  }
  const omax = order + (inclusive ? Math.log2(fact) : 0);
  // crlimit[o][i] = [cos(r+dr), cos(r), cos(r−dr)]
  const crlimit: number[][] = [];
  for (let o = 0; o <= omax; o++) {
    const dr = maxPixelRadius(2 ** o);
    const row: number[] = [];
    for (let i = 0; i < nv; i++) {
      const r = rad[i] as number;
      row.push(r + dr > Math.PI ? -1 : Math.cos(r + dr), cosAccurate(r), r - dr < 0 ? 1 : Math.cos(r - dr));
    }
    crlimit.push(row);
  }
  walkNest(out, order, omax, inclusive, (o, z, pphi, sth, haveSth) => {
    const st = haveSth ? sth : Math.sqrt((1 - z) * (1 + z));
    const px = st * Math.cos(pphi);
    const py = st * Math.sin(pphi);
    const pz = z;
    const lim = crlimit[o] as number[];
    let zone = 3;
    for (let i = 0; i < nv; i++) {
      const n = normals[i] as Vec3;
      const crad = px * n[0] + py * n[1] + pz * n[2];
      for (let iz = 0; iz < zone; iz++) {
        if (crad < (lim[3 * i + iz] as number)) {
          zone = iz;
          if (zone === 0) return 0;
        }
      }
    }
    return zone;
  });
  return out.result(scheme);
}

/** tr ∖ [a, b) on a sorted flat range list. */
function localRemove(tr: number[], a: number, b: number): number[] {
  if (b <= a) return tr;
  const out: number[] = [];
  for (let k = 0; k < tr.length; k += 2) {
    const s = tr[k] as number;
    const e = tr[k + 1] as number;
    if (e <= a || s >= b) out.push(s, e);
    else {
      if (s < a) out.push(s, a);
      if (e > b) out.push(b, e);
    }
  }
  return out;
}

/** tr ∩ [a, b). */
function localIntersect(tr: number[], a: number, b: number): number[] {
  const out: number[] = [];
  if (b <= a) return out;
  for (let k = 0; k < tr.length; k += 2) {
    const s = Math.max(tr[k] as number, a);
    const e = Math.min(tr[k + 1] as number, b);
    if (s < e) out.push(s, e);
  }
  return out;
}

// --- polygon ------------------------------------------------------------------------------------

/** Smallest-ish circle enclosing points (HEALPix C++ `find_enclosing_circle`). */
function enclosingCircle(p: Vec3[]): [Vec3, number] {
  const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
  const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
  let center = norm(add(p[0] as Vec3, p[1] as Vec3));
  let cosrad = dot(p[0] as Vec3, center);
  const circle3 = (q1: number, q2: number): void => {
    center = norm(add(p[q1] as Vec3, p[q2] as Vec3));
    cosrad = dot(p[q1] as Vec3, center);
    for (let i = 0; i < q1; i++) {
      if (dot(p[i] as Vec3, center) < cosrad) {
        center = norm(cross(sub(p[q1] as Vec3, p[i] as Vec3), sub(p[q2] as Vec3, p[i] as Vec3)));
        cosrad = dot(p[i] as Vec3, center);
        if (cosrad < 0) {
          center = [-center[0], -center[1], -center[2]];
          cosrad = -cosrad;
        }
      }
    }
  };
  const circle2 = (q: number): void => {
    center = norm(add(p[0] as Vec3, p[q] as Vec3));
    cosrad = dot(p[0] as Vec3, center);
    for (let i = 1; i < q; i++) if (dot(p[i] as Vec3, center) < cosrad) circle3(i, q);
  };
  for (let i = 2; i < p.length; i++) if (dot(p[i] as Vec3, center) < cosrad) circle2(i);
  return [center, cosrad];
}

/**
 * Pixels of a convex spherical polygon whose vertices are given as lon/lat in degrees (edges are
 * great circles; either winding). Same results as healpy `query_polygon`.
 * @throws SkyError `INVALID_ARGUMENT` for fewer than 3 vertices, degenerate corners or a
 *   non-convex polygon (build a MOC from a region for concave shapes).
 */
export function queryPolygon(
  order: number,
  vertices: readonly { lon: number; lat: number }[],
  opts: QueryOptions = {},
): HealpixRanges {
  checkOrder(order, false);
  const scheme = opts.scheme ?? "nest";
  const fact = resolveFact(order, scheme, opts);
  const nv = vertices.length;
  if (nv < 3) throw new SkyError("INVALID_ARGUMENT", `a polygon needs at least 3 vertices, got ${nv}`);
  const vv: Vec3[] = vertices.map((v) => {
    const [t, p] = vecToPointing(lonLatToVec(v.lon, v.lat));
    return pointingToVec(t, p);
  });
  const normals: Vec3[] = [];
  let flip = 0;
  for (let i = 0; i < nv; i++) {
    // Edge normal, normalised before the handedness test (as HEALPix C++ 3.8 in Debian's healpy).
    const n = norm(cross(vv[i] as Vec3, vv[(i + 1) % nv] as Vec3));
    const hnd = dot(n, vv[(i + 2) % nv] as Vec3);
    if (!(Math.abs(hnd) > 1e-10)) {
      throw new SkyError("INVALID_ARGUMENT", `polygon has a degenerate corner at vertex ${(i + 1) % nv}`);
    }
    if (i === 0) flip = hnd < 0 ? -1 : 1;
    else if (!(flip * hnd > 0)) {
      throw new SkyError("INVALID_ARGUMENT", `polygon is not convex at vertex ${(i + 1) % nv}`);
    }
    normals.push([n[0] * flip, n[1] * flip, n[2] * flip]);
  }
  const rad = normals.map(() => Math.PI / 2);
  const [c, cosrad] = enclosingCircle(vv);
  if (fact !== 0) {
    normals.push(c);
    rad.push(Math.acos(cosrad));
  }
  return queryMultidisc(order, normals, rad, fact, scheme, false, { centre: c, radius: Math.acos(cosrad) });
}

// --- box ----------------------------------------------------------------------------------------

/**
 * Pixels of a lon/lat box: longitudes from `lon1` eastward to `lon2` (wrapping through 360; equal
 * values or a 360° span mean all longitudes) and latitudes `lat1` ≤ lat ≤ `lat2`, in degrees.
 * Meridian edges are great circles and latitude edges small circles, so the box is an
 * intersection of discs (Górski et al. 2005 §5); exact mode selects pixel centres inside it.
 */
export function queryBox(
  order: number,
  lon1: number,
  lon2: number,
  lat1: number,
  lat2: number,
  opts: QueryOptions = {},
): HealpixRanges {
  checkOrder(order, false);
  const scheme = opts.scheme ?? "nest";
  const fact = resolveFact(order, scheme, opts);
  for (const v of [lon1, lon2, lat1, lat2]) {
    if (!Number.isFinite(v)) throw new SkyError("INVALID_ARGUMENT", `box bounds must be finite, got ${v}`);
  }
  if (lat1 > lat2 || lat1 < -90 || lat2 > 90) {
    throw new SkyError(
      "INVALID_ARGUMENT",
      `box latitudes must satisfy -90 ≤ lat1 ≤ lat2 ≤ 90, got ${lat1}, ${lat2}`,
    );
  }
  let width = (((lon2 - lon1) % 360) + 360) % 360;
  if (width === 0 && lon2 !== lon1) width = 360;
  if (lon2 - lon1 >= 360 || lon1 === lon2) width = 360;
  const latDiscs = (normals: Vec3[], rad: number[]): void => {
    if (lat1 > -90) {
      normals.push([0, 0, 1]);
      rad.push((90 - lat1) * DEG2RAD);
    }
    if (lat2 < 90) {
      normals.push([0, 0, -1]);
      rad.push((90 + lat2) * DEG2RAD);
    }
  };
  const run = (a: number, w: number): HealpixRanges => {
    const normals: Vec3[] = [];
    const rad: number[] = [];
    latDiscs(normals, rad);
    if (w < 360) {
      const l1 = a * DEG2RAD;
      const l2 = (a + w) * DEG2RAD;
      normals.push([-Math.sin(l1), Math.cos(l1), 0], [Math.sin(l2), -Math.cos(l2), 0]);
      rad.push(Math.PI / 2, Math.PI / 2);
    }
    if (normals.length === 0) {
      const out = new Output(order, 2 ** order);
      out.all();
      return out.result(scheme);
    }
    return queryMultidisc(order, normals, rad, fact, scheme, true);
  };
  if (width <= 180 || width === 360) return run(lon1, width);
  return unionRanges(run(lon1, width / 2), run(lon1 + width / 2, width / 2));
}

/** Union of two range sets of the same order and scheme. */
export function unionRanges(a: HealpixRanges, b: HealpixRanges): HealpixRanges {
  const ra = a.rangesBig;
  const rb = b.rangesBig;
  const all: [bigint, bigint][] = [];
  for (let i = 0; i < ra.length; i += 2) all.push([ra[i] as bigint, ra[i + 1] as bigint]);
  for (let i = 0; i < rb.length; i += 2) all.push([rb[i] as bigint, rb[i + 1] as bigint]);
  all.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out = new RangeBuilder(a.order);
  const big = out.big;
  for (const [s, e] of all) {
    if (big) out.appendBig(s, e);
    else out.appendNum(Number(s), Number(e));
  }
  return HealpixRanges.from(a.order, a.scheme, out);
}
