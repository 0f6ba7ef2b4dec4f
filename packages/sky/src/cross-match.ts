/**
 * Positional cross-match of two catalogues on the sphere: nearest neighbour (optionally within a
 * radius) and all pairs within a radius. Positions are (lon, lat) in degrees in one frame (e.g.
 * ICRS RA/Dec); both catalogues must use the same frame. Indexed with a kd-tree on unit vectors
 * (`kd-tree.ts`); separations are exact great-circle angles (atan2(|a×b|, a·b)).
 */
import { SkyError } from "./errors.js";
import { KdTree3 } from "./kd-tree.js";
import type { Degrees } from "./units.js";

const DEG2RAD = Math.PI / 180;
const RAD2DEG = 180 / Math.PI;

/** Catalogue positions: longitude and latitude arrays in degrees (same length). */
export interface SkyPositions {
  readonly lon: ArrayLike<number>;
  readonly lat: ArrayLike<number>;
}

/** Unit vectors of a catalogue, as three Float64Arrays. */
export interface UnitVectors {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
}

/** Convert lon/lat in degrees to unit vectors. @throws SkyError `INVALID_ARGUMENT` naming the bad row. */
export function toUnitVectors(p: SkyPositions, what = "catalogue"): UnitVectors {
  const n = p.lon.length;
  if (p.lat.length !== n) {
    throw new SkyError("INVALID_ARGUMENT", `${what}: lon and lat differ in length (${n} vs ${p.lat.length})`);
  }
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lo = p.lon[i] as number;
    const la = p.lat[i] as number;
    if (!(la >= -90 && la <= 90) || !Number.isFinite(lo)) {
      throw new SkyError(
        "INVALID_ARGUMENT",
        `${what}: row ${i} has an invalid position (${p.lon[i]}, ${la})`,
      );
    }
    sinCosDeg(la);
    const c = scCos;
    z[i] = scSin;
    sinCosDeg(lo);
    x[i] = c * scCos;
    y[i] = c * scSin;
  }
  return { x, y, z };
}

let scSin = 0;
let scCos = 0;
/**
 * sin and cos of an angle in degrees, reduced in degrees to [−45°, 45°] (90° steps add no
 * error) and evaluated by Taylor polynomials to ~1 ulp: several times faster than
 * Math.sin + Math.cos when converting millions of catalogue rows.
 */
function sinCosDeg(deg: number): void {
  const qf = Math.round(deg / 90);
  const r = (deg - qf * 90) * DEG2RAD; // deg − 90q is exact for |deg| < 2^44
  const q = (qf | 0) & 3; // two's complement: −1 & 3 = 3 (valid for |deg| < 2^31·90)
  const r2 = r * r;
  let ps = -1 / 1307674368000;
  ps = ps * r2 + 1 / 6227020800;
  ps = ps * r2 - 1 / 39916800;
  ps = ps * r2 + 1 / 362880;
  ps = ps * r2 - 1 / 5040;
  ps = ps * r2 + 1 / 120;
  ps = ps * r2 - 1 / 6;
  const s = r + r * r2 * ps;
  let pc = 1 / 20922789888000;
  pc = pc * r2 - 1 / 87178291200;
  pc = pc * r2 + 1 / 479001600;
  pc = pc * r2 - 1 / 3628800;
  pc = pc * r2 + 1 / 40320;
  pc = pc * r2 - 1 / 720;
  pc = pc * r2 + 1 / 24;
  pc = pc * r2 - 0.5;
  const c = 1 + r2 * pc;
  if (q === 0) {
    scSin = s;
    scCos = c;
  } else if (q === 1) {
    scSin = c;
    scCos = -s;
  } else if (q === 2) {
    scSin = -s;
    scCos = -c;
  } else {
    scSin = -c;
    scCos = s;
  }
}

/** A catalogue prepared for repeated matching: unit vectors and a kd-tree over them. */
export class SkyIndex {
  readonly vectors: UnitVectors;
  readonly tree: KdTree3;
  constructor(positions: SkyPositions) {
    this.vectors = toUnitVectors(positions, "indexed catalogue");
    this.tree = new KdTree3(this.vectors.x, this.vectors.y, this.vectors.z);
  }
  /** Number of indexed positions. */
  get size(): number {
    return this.tree.size;
  }
}

function angle(ax: number, ay: number, az: number, bx: number, by: number, bz: number): number {
  const cx = ay * bz - az * by;
  const cy = az * bx - ax * bz;
  const cz = ax * by - ay * bx;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), ax * bx + ay * by + az * bz) * RAD2DEG;
}

/**
 * Rows of a catalogue in a space-filling (Morton-like) order of their unit vectors, so that
 * successive queries touch the same parts of the tree (cache locality) and the previous match
 * is a good first guess. Radix sort on a 3 × 8-bit interleaved (Morton) cell key.
 */
function spatialOrder(v: UnitVectors): Uint32Array {
  const n = v.x.length;
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const cx = Math.min(255, ((v.x[i] as number) + 1) * 128) | 0;
    const cy = Math.min(255, ((v.y[i] as number) + 1) * 128) | 0;
    const cz = Math.min(255, ((v.z[i] as number) + 1) * 128) | 0;
    keys[i] = spread3(cx) | (spread3(cy) << 1) | (spread3(cz) << 2);
  }
  // LSD radix sort of the 24-bit keys in two 12-bit passes (small count tables stay in cache);
  // keys travel with their rows so both passes read sequentially.
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let tmp = new Uint32Array(n);
  let k1 = keys;
  let k2 = new Uint32Array(n);
  const counts = new Uint32Array(4096);
  for (const shift of [0, 12]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const b = ((k1[i] as number) >>> shift) & 4095;
      counts[b] = (counts[b] as number) + 1;
    }
    let sum = 0;
    for (let b = 0; b < 4096; b++) {
      const c = counts[b] as number;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = k1[i] as number;
      const b = (key >>> shift) & 4095;
      const dst = counts[b] as number;
      tmp[dst] = order[i] as number;
      k2[dst] = key;
      counts[b] = dst + 1;
    }
    [order, tmp] = [tmp, order];
    [k1, k2] = [k2, k1];
  }
  return order;
}

/** Spread 8 bits to every third bit position. */
function spread3(v: number): number {
  let x = v & 0xff;
  x = (x | (x << 8)) & 0x0f00f;
  x = (x | (x << 4)) & 0x0c30c3;
  x = (x | (x << 2)) & 0x249249;
  return x;
}

/** Squared chord length of an angle in degrees (monotonic in the angle on [0°, 180°]). */
function chord2(deg: number): number {
  const s = 2 * Math.sin((Math.min(deg, 180) * DEG2RAD) / 2);
  return s * s;
}

/** Result of {@link crossMatchNearest}, one entry per row of the first catalogue. */
export interface NearestMatch {
  /** Row in the second catalogue of the nearest position, or −1 if none within the radius. */
  readonly index: Int32Array;
  /** Separation in degrees (NaN where there is no match). */
  readonly separation: Float64Array;
}

/**
 * For each position of `a`, the nearest position of `b` (as astropy `match_coordinates_sky(a, b)`),
 * optionally only within `maxSeparation` degrees. `b` may be a prebuilt {@link SkyIndex}.
 */
export function crossMatchNearest(
  a: SkyPositions,
  b: SkyPositions | SkyIndex,
  opts: { maxSeparation?: Degrees | number } = {},
): NearestMatch {
  const index = b instanceof SkyIndex ? b : new SkyIndex(b);
  const va = toUnitVectors(a, "first catalogue");
  const n = va.x.length;
  const out = new Int32Array(n);
  const sep = new Float64Array(n);
  const max = opts.maxSeparation;
  if (max !== undefined && !(max >= 0)) {
    throw new SkyError("INVALID_ARGUMENT", `maxSeparation must be ≥ 0 degrees, got ${max}`);
  }
  // Slightly widened so rounding in the chord never drops a pair exactly at the limit; the exact
  // angle is re-checked below.
  const maxD2 = max === undefined ? Infinity : chord2(max) * (1 + 1e-12) + 1e-30;
  const tree = index.tree;
  const order = spatialOrder(va);
  // Query vectors gathered into spatial order once (sequential reads in the main loop).
  const qxs = new Float64Array(n);
  const qys = new Float64Array(n);
  const qzs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    qxs[k] = va.x[i] as number;
    qys[k] = va.y[i] as number;
    qzs[k] = va.z[i] as number;
  }
  let prev = -1; // tree position of the previous match
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const qx = qxs[k] as number;
    const qy = qys[k] as number;
    const qz = qzs[k] as number;
    // The previous (spatially adjacent) match bounds the search from the start.
    let bound = maxD2;
    if (prev >= 0) {
      const dx = tree.coordinate(prev, 0) - qx;
      const dy = tree.coordinate(prev, 1) - qy;
      const dz = tree.coordinate(prev, 2) - qz;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 < bound) bound = d2 * (1 + 1e-12) + 1e-300;
    }
    let j = tree.nearestPosition(qx, qy, qz, bound);
    if (j < 0 && bound < maxD2) j = prev;
    if (j < 0) {
      out[i] = -1;
      sep[i] = Number.NaN;
      continue;
    }
    prev = j;
    const d = angle(qx, qy, qz, tree.coordinate(j, 0), tree.coordinate(j, 1), tree.coordinate(j, 2));
    if (max !== undefined && d > max) {
      out[i] = -1;
      sep[i] = Number.NaN;
    } else {
      out[i] = tree.originalIndex(j);
      sep[i] = d;
    }
  }
  return { index: out, separation: sep };
}

/** Result of {@link crossMatchWithin}: every pair, sorted by row of `a` then row of `b`. */
export interface PairMatch {
  readonly indexA: Int32Array;
  readonly indexB: Int32Array;
  /** Separation in degrees. */
  readonly separation: Float64Array;
}

/**
 * All pairs (i, j) with separation ≤ `radius` degrees between position i of `a` and j of `b`
 * (as astropy `search_around_sky(a, b, radius)`), sorted by i then j.
 */
export function crossMatchWithin(
  a: SkyPositions,
  b: SkyPositions | SkyIndex,
  radius: Degrees | number,
): PairMatch {
  if (!(radius >= 0)) throw new SkyError("INVALID_ARGUMENT", `radius must be ≥ 0 degrees, got ${radius}`);
  const index = b instanceof SkyIndex ? b : new SkyIndex(b);
  const va = toUnitVectors(a, "first catalogue");
  const { x: bx, y: by, z: bz } = index.vectors;
  const r2 = chord2(radius) * (1 + 1e-12) + 1e-30;
  let ia = new Int32Array(1024);
  let ib = new Int32Array(1024);
  let sp = new Float64Array(1024);
  let count = 0;
  const row: number[] = [];
  const n = va.x.length;
  // Queries in spatial order (cache locality); pairs are put back in row order at the end.
  const order = spatialOrder(va);
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const qx = va.x[i] as number;
    const qy = va.y[i] as number;
    const qz = va.z[i] as number;
    row.length = 0;
    index.tree.within(qx, qy, qz, r2, (j) => {
      row.push(j);
    });
    if (row.length === 0) continue;
    if (row.length > 1) row.sort((p, q) => p - q);
    for (const j of row) {
      const d = angle(qx, qy, qz, bx[j] as number, by[j] as number, bz[j] as number);
      if (d > radius) continue;
      if (count === ia.length) {
        const m = 2 * count;
        const na = new Int32Array(m);
        na.set(ia);
        ia = na;
        const nb = new Int32Array(m);
        nb.set(ib);
        ib = nb;
        const ns = new Float64Array(m);
        ns.set(sp);
        sp = ns;
      }
      ia[count] = i;
      ib[count] = j;
      sp[count] = d;
      count++;
    }
  }
  // Stable counting sort of the pairs by row of `a` (within a row they are already by `b`).
  const start = new Uint32Array(n + 1);
  for (let p = 0; p < count; p++) start[(ia[p] as number) + 1] = (start[(ia[p] as number) + 1] as number) + 1;
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const oa = new Int32Array(count);
  const ob = new Int32Array(count);
  const os = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    const i = ia[p] as number;
    const dst = start[i] as number;
    start[i] = dst + 1;
    oa[dst] = i;
    ob[dst] = ib[p] as number;
    os[dst] = sp[p] as number;
  }
  return { indexA: oa, indexB: ob, separation: os };
}
