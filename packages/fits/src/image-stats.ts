/**
 * NaN-aware image statistics. Exact: values are copied once, order statistics come from
 * quickselect (expected O(n)), sums are accumulated in float64 with Neumaier compensation.
 * Percentiles use linear interpolation between closest ranks, as numpy.percentile's default.
 */

/** Any numeric pixel array (bigint arrays are converted by the caller, see {@link toNumberArray}). */
export type PixelArray = ArrayLike<number>;

/** Statistics of the finite values of an image. */
export interface ImageStats {
  /** Number of finite values. */
  count: number;
  /** Number of NaN or infinite values (blank pixels). */
  blank: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (ddof = 0, as numpy.std). */
  std: number;
  median: number;
  /** Requested percentiles (0–100), in the order asked. */
  percentiles: { percentile: number; value: number }[];
}

/** Options of {@link imageStats}. */
export interface ImageStatsOptions {
  /** Percentiles to compute, in [0, 100]. Default [0.5, 1, 5, 25, 75, 95, 99, 99.5]. */
  percentiles?: readonly number[];
}

/** Convert a bigint array (BITPIX 64) to numbers; other arrays are returned unchanged. */
export function toNumberArray(data: ArrayLike<number> | BigInt64Array | BigUint64Array): ArrayLike<number> {
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
    return out;
  }
  return data;
}

/** Copy the finite values into a Float64Array. */
export function finiteValues(data: PixelArray): Float64Array {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i])) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (Number.isFinite(v)) out[j++] = v;
  }
  return out;
}

/** Rearrange `a` so that a[k] is the k-th smallest value (Floyd–Rivest style quickselect). */
export function quickselect(a: Float64Array, k: number, left = 0, right = a.length - 1): number {
  let l = left;
  let r = right;
  while (r > l) {
    if (r - l > 600) {
      // Floyd & Rivest (1975): recurse on a sample to pick good pivots.
      const n = r - l + 1;
      const m = k - l + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const nl = Math.max(l, Math.floor(k - (m * s) / n + sd));
      const nr = Math.min(r, Math.floor(k + ((n - m) * s) / n + sd));
      quickselect(a, k, nl, nr);
    }
    const t = a[k] as number;
    let i = l;
    let j = r;
    swap(a, l, k);
    if ((a[r] as number) > t) swap(a, l, r);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while ((a[i] as number) < t) i++;
      while ((a[j] as number) > t) j--;
    }
    if (a[l] === t) swap(a, l, j);
    else {
      j++;
      swap(a, j, r);
    }
    if (j <= k) l = j + 1;
    if (k <= j) r = j - 1;
  }
  return a[k] as number;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}

/**
 * Percentile p (0–100) of the values in `a`, which is reordered. Linear interpolation between the
 * closest ranks (numpy's default "linear" method). NaN for an empty array.
 */
export function percentileInPlace(a: Float64Array, p: number): number {
  const n = a.length;
  if (n === 0) return Number.NaN;
  const pos = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
  const lo = Math.floor(pos);
  const frac = pos - lo;
  const vlo = quickselect(a, lo);
  if (frac === 0 || lo + 1 >= n) return vlo;
  // The next order statistic is the minimum of the part above lo.
  let vhi = Number.POSITIVE_INFINITY;
  for (let i = lo + 1; i < n; i++) if ((a[i] as number) < vhi) vhi = a[i] as number;
  // numpy's lerp: a + (b − a)·t, switched to b − (b − a)(1 − t) for t ≥ 0.5.
  const d = vhi - vlo;
  return frac >= 0.5 ? vhi - d * (1 - frac) : vlo + d * frac;
}

/** Percentiles of the finite values of `data` (NaN-aware). */
export function percentiles(data: PixelArray, ps: readonly number[]): number[] {
  const v = finiteValues(data);
  return ps.map((p) => percentileInPlace(v, p));
}

const DEFAULT_PERCENTILES = [0.5, 1, 5, 25, 75, 95, 99, 99.5];

/** Statistics of the finite values of an image (NaN and ±Infinity are counted as blank). */
export function imageStats(data: PixelArray, options: ImageStatsOptions = {}): ImageStats {
  const values = finiteValues(data);
  const n = values.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
    const t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  const mean = n > 0 ? (sum + comp) / n : Number.NaN;
  let ss = 0;
  let ssc = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    const q = d * d;
    const t = ss + q;
    ssc += ss >= q ? ss - t + q : q - t + ss;
    ss = t;
  }
  const std = n > 0 ? Math.sqrt((ss + ssc) / n) : Number.NaN;
  const ps = options.percentiles ?? DEFAULT_PERCENTILES;
  const pct = ps.map((p) => ({ percentile: p, value: percentileInPlace(values, p) }));
  return {
    count: n,
    blank: data.length - n,
    min: n > 0 ? min : Number.NaN,
    max: n > 0 ? max : Number.NaN,
    mean,
    std,
    median: percentileInPlace(values, 50),
    percentiles: pct,
  };
}
