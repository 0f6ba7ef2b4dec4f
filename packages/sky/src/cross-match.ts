/**
 * Positional cross-match of two catalogues on the sphere: nearest neighbour (optionally within a
 * radius) and all pairs within a radius. Positions are (lon, lat) in degrees in one frame (e.g.
 * ICRS RA/Dec); both catalogues must use the same frame. Nearest neighbours use a kd-tree on unit
 * vectors (`kd-tree.ts`), all pairs within a radius declination zones sorted by longitude;
 * separations are exact great-circle angles (atan2(|a×b|, a·b)).
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

/**
 * A catalogue prepared for repeated matching: unit vectors, a kd-tree over them (built on the
 * first nearest-neighbour query) and declination zones sorted by RA (built on the first
 * all-pairs query, per zone height).
 */
export class SkyIndex {
  readonly vectors: UnitVectors;
  #tree: KdTree3 | undefined;
  #lon: Float64Array;
  #lat: Float64Array;
  #zones: Zones | undefined;
  constructor(positions: SkyPositions) {
    this.vectors = toUnitVectors(positions, "indexed catalogue");
    const n = this.vectors.x.length;
    this.#lon = new Float64Array(n);
    this.#lat = Float64Array.from(positions.lat);
    for (let i = 0; i < n; i++) this.#lon[i] = wrap360(positions.lon[i] as number);
  }
  /** The kd-tree over the unit vectors. */
  get tree(): KdTree3 {
    this.#tree ??= new KdTree3(this.vectors.x, this.vectors.y, this.vectors.z);
    return this.#tree;
  }
  /** Number of indexed positions. */
  get size(): number {
    return this.vectors.x.length;
  }
  /** Zones of height `h` degrees (cached for the last height asked). */
  zones(h: number): Zones {
    if (this.#zones?.height !== h) this.#zones = buildZones(this.#lon, this.#lat, h);
    return this.#zones;
  }
}

/** Longitude in [0°, 360°). */
function wrap360(lon: number): number {
  const l = lon - 360 * Math.floor(lon / 360);
  return l >= 360 ? 0 : l;
}

/**
 * Declination zones (Gray et al. 2007, "zones" algorithm): rows bucketed by
 * ⌊(lat + 90°) / height⌋ and sorted by longitude within each zone.
 */
interface Zones {
  readonly height: number;
  readonly count: number;
  /** Zone z holds sorted entries start[z] .. start[z + 1] − 1. */
  readonly start: Uint32Array;
  /** Row of each entry. */
  readonly row: Uint32Array;
  /** Longitude of each entry, [0°, 360°), ascending within a zone. */
  readonly lon: Float64Array;
}

function zoneOf(lat: number, height: number, count: number): number {
  return Math.min(count - 1, Math.max(0, Math.floor((lat + 90) / height)));
}

function buildZones(lon: Float64Array, lat: Float64Array, height: number): Zones {
  const n = lon.length;
  const count = Math.max(1, Math.ceil(180 / height));
  const { order, start } = zoneOrder(lat, height, count);
  const row = order;
  const sortedLon = new Float64Array(n);
  for (let p = 0; p < n; p++) sortedLon[p] = lon[order[p] as number] as number;
  // Sort each zone by longitude (insertion sort for the usual few rows, else a keyed sort).
  for (let z = 0; z < count; z++) {
    const lo = start[z] as number;
    const hi = start[z + 1] as number;
    if (hi - lo <= 32) {
      for (let i = lo + 1; i < hi; i++) {
        const l = sortedLon[i] as number;
        const r = row[i] as number;
        let j = i - 1;
        while (j >= lo && (sortedLon[j] as number) > l) {
          sortedLon[j + 1] = sortedLon[j] as number;
          row[j + 1] = row[j] as number;
          j--;
        }
        sortedLon[j + 1] = l;
        row[j + 1] = r;
      }
    } else {
      const idx = Array.from({ length: hi - lo }, (_, k) => k + lo);
      idx.sort(
        (p, q) =>
          (sortedLon[p] as number) - (sortedLon[q] as number) || (row[p] as number) - (row[q] as number),
      );
      const l2 = idx.map((k) => sortedLon[k] as number);
      const r2 = idx.map((k) => row[k] as number);
      sortedLon.set(l2, lo);
      row.set(r2, lo);
    }
  }
  return { height, count, start, row, lon: sortedLon };
}

/** First entry in [lo, hi) whose longitude is ≥ `value`. */
function lowerBound(lon: Float64Array, lo: number, hi: number, value: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((lon[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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

/** Check lengths and values of a catalogue. @throws SkyError `INVALID_ARGUMENT` naming the bad row. */
function checkPositions(p: SkyPositions, what: string): void {
  const n = p.lon.length;
  if (p.lat.length !== n) {
    throw new SkyError("INVALID_ARGUMENT", `${what}: lon and lat differ in length (${n} vs ${p.lat.length})`);
  }
  for (let i = 0; i < n; i++) {
    const la = p.lat[i] as number;
    if (!(la >= -90 && la <= 90) || !Number.isFinite(p.lon[i] as number)) {
      throw new SkyError(
        "INVALID_ARGUMENT",
        `${what}: row ${i} has an invalid position (${p.lon[i]}, ${la})`,
      );
    }
  }
}

/** Rows ordered by declination zone (counting sort; stable), and where each zone starts. */
function zoneOrder(
  lat: Float64Array,
  height: number,
  count: number,
): { order: Uint32Array; start: Uint32Array } {
  const n = lat.length;
  const start = new Uint32Array(count + 1);
  const zone = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const z = zoneOf(lat[i] as number, height, count);
    zone[i] = z;
    start[z + 1] = (start[z + 1] as number) + 1;
  }
  for (let z = 0; z < count; z++) start[z + 1] = (start[z + 1] as number) + (start[z] as number);
  const order = new Uint32Array(n);
  const fill = start.slice(0, count);
  for (let i = 0; i < n; i++) {
    const z = zone[i] as number;
    const p = fill[z] as number;
    fill[z] = p + 1;
    order[p] = i;
  }
  return { order, start };
}

/**
 * All pairs (i, j) with separation ≤ `radius` degrees between position i of `a` and j of `b`
 * (as astropy `search_around_sky(a, b, radius)`), sorted by i then j.
 *
 * Zones algorithm: `b` is bucketed into declination zones at least `radius` high and sorted by
 * longitude; each row of `a` (visited zone by zone, for cache locality) looks at the zones
 * within `radius` of its latitude and, in each, at the longitudes within asin(sin r / cos δ) of
 * its own (binary search), and keeps the candidates whose exact great-circle angle is ≤ radius.
 */
export function crossMatchWithin(
  a: SkyPositions,
  b: SkyPositions | SkyIndex,
  radius: Degrees | number,
): PairMatch {
  if (!(radius >= 0)) throw new SkyError("INVALID_ARGUMENT", `radius must be ≥ 0 degrees, got ${radius}`);
  const index = b instanceof SkyIndex ? b : new SkyIndex(b);
  checkPositions(a, "first catalogue");
  const { x: bx, y: by, z: bz } = index.vectors;
  const n = a.lon.length;
  // Zones at least `radius` high, a few rows of `b` each on average (at most 2^22 zones).
  const height = Math.min(
    180,
    Math.max(radius, 180 / Math.max(1, Math.floor(index.size / 4)), 180 / 4194304),
  );
  const zones = index.zones(height);
  const { start: zStart, row: zRow, lon: zLon, count: zCount } = zones;
  const aLon = new Float64Array(n);
  const aLat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    aLon[i] = wrap360(a.lon[i] as number);
    aLat[i] = a.lat[i] as number;
  }
  const { order, start: aStart } = zoneOrder(aLat, height, zCount);
  let ia = new Int32Array(1024);
  let ib = new Int32Array(1024);
  let sp = new Float64Array(1024);
  let count = 0;
  let rowB = new Int32Array(64);
  let rowSep = new Float64Array(64);
  const eps = 1e-9;
  const sinR = Math.sin(Math.min(radius, 90) * DEG2RAD);
  const ranges = new Float64Array(4);
  for (let za = 0; za < zCount; za++) {
    const first = aStart[za] as number;
    const last = aStart[za + 1] as number;
    if (first === last) continue;
    // One longitude half-width and one range of zones of `b` for every row in this zone:
    // the rows lie in [latLo, latHi], so the circles of radius r reach at most asin(sin r / cos δ)
    // in longitude at the largest |δ| of the zone.
    const latLo = za * height - 90 - eps;
    const latHi = (za + 1) * height - 90 + eps;
    const maxAbs = Math.max(Math.abs(latLo), Math.abs(latHi));
    const s = radius >= 90 || maxAbs + radius >= 90 - eps ? 2 : sinR / Math.cos(maxAbs * DEG2RAD);
    const halfWidth = s >= 1 ? 360 : Math.asin(s) * RAD2DEG * (1 + eps) + eps;
    const z0 = zoneOf(latLo - radius - eps, height, zCount);
    const z1 = zoneOf(latHi + radius + eps, height, zCount);
    for (let k = first; k < last; k++) {
      const i = order[k] as number;
      const lon = aLon[i] as number;
      const lat = aLat[i] as number;
      let nRanges: number;
      if (halfWidth >= 180) {
        ranges[0] = 0;
        ranges[1] = 360;
        nRanges = 1;
      } else {
        const d = halfWidth;
        const lo = lon - d;
        const hi = lon + d;
        if (lo < 0) {
          ranges[0] = 0;
          ranges[1] = hi;
          ranges[2] = lo + 360;
          ranges[3] = 360;
          nRanges = 2;
        } else if (hi >= 360) {
          ranges[0] = lo;
          ranges[1] = 360;
          ranges[2] = 0;
          ranges[3] = hi - 360;
          nRanges = 2;
        } else {
          ranges[0] = lo;
          ranges[1] = hi;
          nRanges = 1;
        }
      }
      let haveVector = false;
      let qx = 0;
      let qy = 0;
      let qz = 0;
      let found = 0;
      for (let z = z0; z <= z1; z++) {
        const e = zStart[z + 1] as number;
        for (let r = 0; r < nRanges; r++) {
          const from = ranges[2 * r] as number;
          const to = ranges[2 * r + 1] as number;
          for (
            let p = lowerBound(zLon, zStart[z] as number, e, from);
            p < e && (zLon[p] as number) <= to;
            p++
          ) {
            if (!haveVector) {
              sinCosDeg(lat);
              const c = scCos;
              qz = scSin;
              sinCosDeg(a.lon[i] as number);
              qx = c * scCos;
              qy = c * scSin;
              haveVector = true;
            }
            const j = zRow[p] as number;
            const d = angle(qx, qy, qz, bx[j] as number, by[j] as number, bz[j] as number);
            if (d > radius) continue;
            if (found === rowB.length) {
              const grownB = new Int32Array(2 * found);
              grownB.set(rowB);
              rowB = grownB;
              const grownS = new Float64Array(2 * found);
              grownS.set(rowSep);
              rowSep = grownS;
            }
            rowB[found] = j;
            rowSep[found] = d;
            found++;
          }
        }
      }
      if (found === 0) continue;
      const byB = Array.from({ length: found }, (_, q) => q);
      if (found > 1) byB.sort((p, q) => (rowB[p] as number) - (rowB[q] as number));
      for (const q of byB) {
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
        ib[count] = rowB[q] as number;
        sp[count] = rowSep[q] as number;
        count++;
      }
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
