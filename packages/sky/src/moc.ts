/**
 * Spatial MOC (Multi-Order Coverage map, IVOA MOC 2.0, 2022): a set of HEALPix NESTED cells,
 * stored as sorted disjoint half-open ranges of order-29 indices (MOC 2.0 §3.2, "range"
 * representation). Set operations work on the ranges; cells and NUNIQ values are derived.
 */
import { SkyError } from "./errors.js";
import { ang2pixBig, checkOrder } from "./healpix.js";

/** Deepest MOC order (HEALPix order 29, MOC 2.0 §3.1). */
export const MOC_MAX_ORDER = 29;
/** Number of order-29 cells on the sphere. */
export const NPIX29 = 12n * 4n ** 29n;
const SR_PER_DEG2 = (Math.PI / 180) ** 2;

/** A cell of a MOC: HEALPix order and NESTED index. */
export interface MocCell {
  readonly order: number;
  readonly ipix: bigint;
}

/** Order-29 cells per cell of `order`. */
export function cellSpan(order: number): bigint {
  return 4n ** BigInt(MOC_MAX_ORDER - order);
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sort and merge [start, end) pairs into a normalised flat range list. */
export function normalizeRanges(pairs: readonly bigint[]): bigint[] {
  const n = pairs.length / 2;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((i, j) => cmp(pairs[2 * i] as bigint, pairs[2 * j] as bigint));
  const out: bigint[] = [];
  for (const i of idx) {
    const s = pairs[2 * i] as bigint;
    const e = pairs[2 * i + 1] as bigint;
    if (e <= s) continue;
    const m = out.length;
    if (m > 0 && s <= (out[m - 1] as bigint)) {
      if (e > (out[m - 1] as bigint)) out[m - 1] = e;
    } else out.push(s, e);
  }
  return out;
}

/** Widen ranges outward to multiples of `span` (degrade to a coarser order) and merge. */
function alignRanges(r: readonly bigint[], span: bigint): bigint[] {
  if (span === 1n) return [...r];
  const out: bigint[] = [];
  for (let i = 0; i < r.length; i += 2) {
    const s = ((r[i] as bigint) / span) * span;
    const e = (((r[i + 1] as bigint) + span - 1n) / span) * span;
    const m = out.length;
    if (m > 0 && s <= (out[m - 1] as bigint)) {
      if (e > (out[m - 1] as bigint)) out[m - 1] = e;
    } else out.push(s, e);
  }
  return out;
}

function unionR(a: readonly bigint[], b: readonly bigint[]): bigint[] {
  const out: bigint[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let s: bigint;
    let e: bigint;
    if (j >= b.length || (i < a.length && (a[i] as bigint) <= (b[j] as bigint))) {
      s = a[i] as bigint;
      e = a[i + 1] as bigint;
      i += 2;
    } else {
      s = b[j] as bigint;
      e = b[j + 1] as bigint;
      j += 2;
    }
    const m = out.length;
    if (m > 0 && s <= (out[m - 1] as bigint)) {
      if (e > (out[m - 1] as bigint)) out[m - 1] = e;
    } else out.push(s, e);
  }
  return out;
}

function intersectR(a: readonly bigint[], b: readonly bigint[]): bigint[] {
  const out: bigint[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = (a[i] as bigint) > (b[j] as bigint) ? (a[i] as bigint) : (b[j] as bigint);
    const ea = a[i + 1] as bigint;
    const eb = b[j + 1] as bigint;
    // biome-ignore lint/complexity/useMathMinMax: bigints
    const e = ea < eb ? ea : eb;
    if (s < e) out.push(s, e);
    if (ea < eb) i += 2;
    else j += 2;
  }
  return out;
}

function complementR(a: readonly bigint[]): bigint[] {
  const out: bigint[] = [];
  let prev = 0n;
  for (let i = 0; i < a.length; i += 2) {
    if ((a[i] as bigint) > prev) out.push(prev, a[i] as bigint);
    prev = a[i + 1] as bigint;
  }
  if (prev < NPIX29) out.push(prev, NPIX29);
  return out;
}

/** A spatial MOC at a given maximum order (its resolution). Immutable. */
export class Moc {
  /** The MOC order: the finest cell order it may contain (0–29). */
  readonly order: number;
  /** Normalised flat [start, end) ranges of order-29 NESTED indices, aligned to `order` cells. */
  readonly ranges: readonly bigint[];

  /** Build from order-29 ranges (any order, overlapping allowed); degraded to `order`. */
  constructor(order: number, ranges29: readonly bigint[] = []) {
    checkMocOrder(order);
    if (ranges29.length % 2 !== 0)
      throw new SkyError("INVALID_ARGUMENT", "MOC ranges need an even number of bounds");
    for (const v of ranges29) {
      if (v < 0n || v > NPIX29) {
        throw new SkyError("INVALID_PIXEL", `MOC range bound ${v} is outside 0..${NPIX29} (order 29)`);
      }
    }
    this.order = order;
    this.ranges = alignRanges(normalizeRanges(ranges29), cellSpan(order));
  }

  /** The empty MOC. */
  static empty(order = MOC_MAX_ORDER): Moc {
    return new Moc(order);
  }

  /** The whole sphere. */
  static full(order = 0): Moc {
    return new Moc(order, [0n, NPIX29]);
  }

  /** From cells (order, NESTED index); the MOC order is `order` or the deepest cell order. */
  static fromCells(cells: readonly { order: number; ipix: number | bigint }[], order?: number): Moc {
    let max = order ?? 0;
    const r: bigint[] = [];
    for (const c of cells) {
      checkMocOrder(c.order);
      const p = BigInt(c.ipix);
      if (p < 0n || p >= 12n * 4n ** BigInt(c.order)) {
        throw new SkyError("INVALID_PIXEL", `cell ${c.order}/${p} is outside its order`);
      }
      if (order === undefined && c.order > max) max = c.order;
      const span = cellSpan(c.order);
      r.push(p * span, (p + 1n) * span);
    }
    return new Moc(max, r);
  }

  /** From NUNIQ values (uniq = 4·4^order + ipix, MOC 2.0 §4.3.1). */
  static fromUniq(uniq: readonly (number | bigint)[], order?: number): Moc {
    return Moc.fromCells(
      uniq.map((u) => uniqToCell(BigInt(u))),
      order,
    );
  }

  /** The cells at `order` that contain the given positions (lon, lat in degrees). */
  static fromPoints(lon: ArrayLike<number>, lat: ArrayLike<number>, order: number): Moc {
    checkMocOrder(order);
    if (lon.length !== lat.length) {
      throw new SkyError("INVALID_ARGUMENT", `lon and lat differ in length (${lon.length} vs ${lat.length})`);
    }
    const span = cellSpan(order);
    const r: bigint[] = [];
    for (let i = 0; i < lon.length; i++) {
      const p = ang2pixBig(order, lon[i] as number, lat[i] as number, "nest");
      r.push(p * span, (p + 1n) * span);
    }
    return new Moc(order, r);
  }

  /** Union (the order is the larger of the two). */
  union(other: Moc): Moc {
    return new Moc(Math.max(this.order, other.order), unionR(this.ranges, other.ranges));
  }

  /** Intersection. */
  intersection(other: Moc): Moc {
    return new Moc(Math.max(this.order, other.order), intersectR(this.ranges, other.ranges));
  }

  /** Cells of this MOC not in `other`. */
  difference(other: Moc): Moc {
    return new Moc(Math.max(this.order, other.order), intersectR(this.ranges, complementR(other.ranges)));
  }

  /** The rest of the sphere, at this MOC's order. */
  complement(): Moc {
    return new Moc(this.order, complementR(this.ranges));
  }

  /** Coarsen to `order` (≤ this order): every partly covered cell becomes fully covered. */
  degrade(order: number): Moc {
    checkMocOrder(order);
    if (order >= this.order) return this;
    return new Moc(order, this.ranges);
  }

  /** True when no cell is covered. */
  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /** True when the two MOCs cover the same cells (orders may differ). */
  equals(other: Moc): boolean {
    if (this.ranges.length !== other.ranges.length) return false;
    return this.ranges.every((v, i) => v === other.ranges[i]);
  }

  /** True when the order-29 cell `ipix29` is covered. */
  containsCell29(ipix29: bigint): boolean {
    const r = this.ranges;
    let lo = 0;
    let hi = r.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((r[2 * mid + 1] as bigint) <= ipix29) lo = mid + 1;
      else hi = mid;
    }
    return lo < r.length / 2 && (r[2 * lo] as bigint) <= ipix29;
  }

  /** True when the position (lon, lat in degrees) lies in a covered cell. */
  contains(lon: number, lat: number): boolean {
    return this.containsCell29(ang2pixBig(MOC_MAX_ORDER, lon, lat, "nest"));
  }

  /** For many positions (degrees): 1 where covered, 0 elsewhere. */
  containsMany(lon: ArrayLike<number>, lat: ArrayLike<number>): Uint8Array {
    const out = new Uint8Array(lon.length);
    for (let i = 0; i < lon.length; i++) out[i] = this.contains(lon[i] as number, lat[i] as number) ? 1 : 0;
    return out;
  }

  /** Number of covered order-29 cells. */
  get count29(): bigint {
    let s = 0n;
    for (let i = 0; i < this.ranges.length; i += 2)
      s += (this.ranges[i + 1] as bigint) - (this.ranges[i] as bigint);
    return s;
  }

  /** Covered solid angle in steradians (every HEALPix cell has area 4π/npix). */
  get areaSr(): number {
    return (Number(this.count29) / Number(NPIX29)) * 4 * Math.PI;
  }

  /** Covered area in square degrees. */
  get areaDeg2(): number {
    return this.areaSr / SR_PER_DEG2;
  }

  /** The MOC as the fewest cells (largest possible, MOC 2.0 §3.2), by order then index. */
  cells(): MocCell[] {
    const byOrder: bigint[][] = Array.from({ length: MOC_MAX_ORDER + 1 }, () => []);
    const r = this.ranges;
    for (let i = 0; i < r.length; i += 2) {
      let s = r[i] as bigint;
      const e = r[i + 1] as bigint;
      while (s < e) {
        // Largest aligned cell starting at s that fits in [s, e).
        let o = 0;
        let span = cellSpan(0);
        while (s % span !== 0n || s + span > e) {
          o++;
          span /= 4n;
        }
        (byOrder[o] as bigint[]).push(s / span);
        s += span;
      }
    }
    const out: MocCell[] = [];
    byOrder.forEach((list, order) => {
      list.sort(cmp);
      for (const ipix of list) out.push({ order, ipix });
    });
    return out;
  }

  /** NUNIQ values of {@link cells}, ascending by order then index. */
  uniq(): bigint[] {
    return this.cells().map((c) => cellToUniq(c.order, c.ipix));
  }
}

/** NUNIQ of a cell: 4·4^order + ipix (MOC 2.0 §4.3.1). */
export function cellToUniq(order: number, ipix: bigint): bigint {
  return 4n * 4n ** BigInt(order) + ipix;
}

/** Cell of a NUNIQ value. @throws SkyError `INVALID_PIXEL` for values that encode no cell. */
export function uniqToCell(uniq: bigint): MocCell {
  if (uniq < 4n) throw new SkyError("INVALID_PIXEL", `NUNIQ value ${uniq} is below 4`);
  let order = 0;
  while (order <= MOC_MAX_ORDER && uniq >= 4n * 4n ** BigInt(order + 1)) order++;
  if (order > MOC_MAX_ORDER) throw new SkyError("INVALID_PIXEL", `NUNIQ value ${uniq} is beyond order 29`);
  const ipix = uniq - 4n * 4n ** BigInt(order);
  if (ipix >= 12n * 4n ** BigInt(order)) {
    throw new SkyError(
      "INVALID_PIXEL",
      `NUNIQ value ${uniq} encodes no cell (pixel ${ipix} at order ${order})`,
    );
  }
  return { order, ipix };
}

function checkMocOrder(order: number): void {
  if (!Number.isInteger(order) || order < 0 || order > MOC_MAX_ORDER) {
    throw new SkyError("INVALID_ORDER", `MOC order must be an integer in 0..29, got ${order}`);
  }
  checkOrder(order, false);
}
