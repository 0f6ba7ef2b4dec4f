/**
 * Sorted sets of HEALPix pixel indices stored as half-open ranges [start, end): the result type of
 * the HEALPix queries. Numbers at order ≤ 24, bigints above (indices reach 12·4^29 ≈ 3.5e18).
 */
import { SkyError } from "./errors.js";
import { HEALPIX_MAX_NUMBER_ORDER, type HealpixScheme } from "./healpix.js";

/** Builds a range list by appending ranges in ascending order (merging touching ranges). */
export class RangeBuilder {
  readonly big: boolean;
  readonly num: number[] = [];
  readonly bigs: bigint[] = [];
  constructor(order: number) {
    this.big = order > HEALPIX_MAX_NUMBER_ORDER;
  }
  /** Append [a, b) with numbers (order ≤ 24). Ranges must come in ascending order. */
  appendNum(a: number, b: number): void {
    if (b <= a) return;
    const r = this.num;
    const n = r.length;
    if (n > 0 && a <= (r[n - 1] as number)) {
      if (b > (r[n - 1] as number)) r[n - 1] = b;
    } else {
      r.push(a, b);
    }
  }
  /** Append [a, b) with bigints. */
  appendBig(a: bigint, b: bigint): void {
    if (b <= a) return;
    const r = this.bigs;
    const n = r.length;
    if (n > 0 && a <= (r[n - 1] as bigint)) {
      if (b > (r[n - 1] as bigint)) r[n - 1] = b;
    } else {
      r.push(a, b);
    }
  }
}

/** A set of pixels at one order and scheme, as sorted disjoint half-open ranges. */
export class HealpixRanges {
  readonly order: number;
  readonly scheme: HealpixScheme;
  readonly #num: readonly number[] | null;
  #big: readonly bigint[] | null;

  constructor(order: number, scheme: HealpixScheme, ranges: readonly number[] | readonly bigint[]) {
    this.order = order;
    this.scheme = scheme;
    if (ranges.length % 2 !== 0) {
      throw new SkyError("INVALID_ARGUMENT", "a range list needs an even number of bounds");
    }
    const isBig = ranges.length > 0 && typeof ranges[0] === "bigint";
    this.#num = isBig ? null : (ranges as readonly number[]);
    this.#big = isBig ? (ranges as readonly bigint[]) : null;
    if (!isBig && order > HEALPIX_MAX_NUMBER_ORDER && ranges.length > 0) {
      throw new SkyError("INVALID_ORDER", `order ${order} ranges must be bigints`);
    }
  }

  /** Build from a {@link RangeBuilder}. */
  static from(order: number, scheme: HealpixScheme, b: RangeBuilder): HealpixRanges {
    return new HealpixRanges(order, scheme, b.big ? b.bigs : b.num);
  }

  /** Flat [start0, end0, start1, end1, …] as numbers (order ≤ 24 only). */
  get ranges(): readonly number[] {
    if (this.#num) return this.#num;
    if (this.order > HEALPIX_MAX_NUMBER_ORDER) {
      throw new SkyError(
        "INVALID_ORDER",
        `order ${this.order} needs rangesBig: numbers are exact only to order 24`,
      );
    }
    return [];
  }

  /** Flat [start0, end0, …] as bigints (every order). */
  get rangesBig(): readonly bigint[] {
    if (!this.#big) this.#big = (this.#num ?? []).map((v) => BigInt(v));
    return this.#big;
  }

  /** Number of pixels (exact below 2^53). */
  get size(): number {
    if (this.#num) {
      let s = 0;
      for (let i = 0; i < this.#num.length; i += 2)
        s += (this.#num[i + 1] as number) - (this.#num[i] as number);
      return s;
    }
    return Number(this.sizeBig);
  }

  /** Number of pixels as a bigint. */
  get sizeBig(): bigint {
    const r = this.rangesBig;
    let s = 0n;
    for (let i = 0; i < r.length; i += 2) s += (r[i + 1] as bigint) - (r[i] as bigint);
    return s;
  }

  /** Every pixel index in ascending order, as numbers (order ≤ 24). */
  pixels(): number[] {
    const r = this.ranges;
    const out: number[] = [];
    for (let i = 0; i < r.length; i += 2)
      for (let p = r[i] as number; p < (r[i + 1] as number); p++) out.push(p);
    return out;
  }

  /** Every pixel index in ascending order, as bigints. */
  pixelsBig(): bigint[] {
    const r = this.rangesBig;
    const out: bigint[] = [];
    for (let i = 0; i < r.length; i += 2)
      for (let p = r[i] as bigint; p < (r[i + 1] as bigint); p++) out.push(p);
    return out;
  }
}
