/**
 * NaN-aware image statistics, exact: order statistics by histogram selection (no copy of the
 * image, O(n)), sums accumulated in float64 with Neumaier compensation.
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

/** Percentiles of the finite values of `data` (NaN-aware), exact, without copying the data. */
export function percentiles(data: PixelArray, ps: readonly number[]): number[] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isFinite(v)) continue;
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const h = n > SMALL && min < max ? histogram(data, min, max) : undefined;
  return percentilesOf(data, n, min, max, ps, h);
}

/** Below this many values, order statistics come from a plain sort. */
const SMALL = 4096;
const BINS = 65536;

interface Histogram {
  counts: Uint32Array;
  min: number;
  scale: number;
}

/** Counts of the finite values in 65,536 equal bins over [min, max]. */
function histogram(data: PixelArray, min: number, max: number): Histogram {
  const scale = BINS / (max - min);
  const counts = new Uint32Array(BINS);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isFinite(v)) continue;
    let b = Math.floor((v - min) * scale);
    if (b >= BINS) b = BINS - 1;
    counts[b] = (counts[b] as number) + 1;
  }
  return { counts, min, scale };
}

/**
 * Percentiles by exact histogram selection: the histogram locates the bins that hold the wanted
 * ranks, one more pass gathers only those bins' values, which quickselect then resolves. Linear
 * interpolation between closest ranks, as numpy's default.
 */
function percentilesOf(
  data: PixelArray,
  n: number,
  min: number,
  max: number,
  ps: readonly number[],
  h: Histogram | undefined,
): number[] {
  if (n === 0) return ps.map(() => Number.NaN);
  const ranks = new Set<number>();
  const plan = ps.map((p) => {
    const pos = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
    const lo = Math.floor(pos);
    const frac = pos - lo;
    ranks.add(lo);
    if (frac > 0 && lo + 1 < n) ranks.add(lo + 1);
    return { lo, frac };
  });
  const values = orderStatistics(
    data,
    min,
    max,
    [...ranks].sort((a, b) => a - b),
    h,
  );
  return plan.map(({ lo, frac }) => {
    const vlo = values.get(lo) as number;
    if (frac === 0 || lo + 1 >= n) return vlo;
    const vhi = values.get(lo + 1) as number;
    // numpy's lerp: a + (b − a)·t, switched to b − (b − a)(1 − t) for t ≥ 0.5.
    const d = vhi - vlo;
    return frac >= 0.5 ? vhi - d * (1 - frac) : vlo + d * frac;
  });
}

/** The values of the given 0-based ranks among the finite values of `data` (ranks ascending). */
function orderStatistics(
  data: PixelArray,
  min: number,
  max: number,
  ranks: readonly number[],
  h: Histogram | undefined,
): Map<number, number> {
  const out = new Map<number, number>();
  if (min === max) {
    for (const r of ranks) out.set(r, min);
    return out;
  }
  if (h === undefined) {
    const v = finiteValues(data);
    v.sort();
    for (const r of ranks) out.set(r, v[r] as number);
    return out;
  }
  const { counts, scale } = h;
  // For each rank: its bin, and where the bin starts in rank order.
  const slot = new Int32Array(BINS).fill(-1);
  const bins: { start: number; ranks: number[]; values: Float64Array; fill: number }[] = [];
  let cum = 0;
  let b = 0;
  for (const r of ranks) {
    while (cum + (counts[b] as number) <= r) {
      cum += counts[b] as number;
      b++;
    }
    if (slot[b] === -1) {
      slot[b] = bins.length;
      bins.push({ start: cum, ranks: [], values: new Float64Array(counts[b] as number), fill: 0 });
    }
    bins[slot[b] as number]?.ranks.push(r);
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isFinite(v)) continue;
    let k = Math.floor((v - min) * scale);
    if (k >= BINS) k = BINS - 1;
    const s = slot[k] as number;
    if (s >= 0) {
      const bin = bins[s] as { values: Float64Array; fill: number };
      bin.values[bin.fill++] = v;
    }
  }
  for (const bin of bins) for (const r of bin.ranks) out.set(r, quickselect(bin.values, r - bin.start));
  return out;
}

const DEFAULT_PERCENTILES = [0.5, 1, 5, 25, 75, 95, 99, 99.5];

/** Statistics of the finite values of an image (NaN and ±Infinity are counted as blank). */
export function imageStats(data: PixelArray, options: ImageStatsOptions = {}): ImageStats {
  let n = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isFinite(v)) continue;
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
    // Neumaier-compensated sum.
    const t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  const mean = n > 0 ? (sum + comp) / n : Number.NaN;
  // Second pass: squared deviations and, for large images, the histogram for the percentiles.
  let ss = 0;
  let ssc = 0;
  const big = n > SMALL && min < max;
  const scale = big ? BINS / (max - min) : 0;
  const counts = big ? new Uint32Array(BINS) : undefined;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isFinite(v)) continue;
    const d = v - mean;
    const q = d * d;
    const t = ss + q;
    ssc += ss >= q ? ss - t + q : q - t + ss;
    ss = t;
    if (counts !== undefined) {
      let b = Math.floor((v - min) * scale);
      if (b >= BINS) b = BINS - 1;
      counts[b] = (counts[b] as number) + 1;
    }
  }
  const std = n > 0 ? Math.sqrt((ss + ssc) / n) : Number.NaN;
  const ps = options.percentiles ?? DEFAULT_PERCENTILES;
  const all = percentilesOf(
    data,
    n,
    min,
    max,
    [...ps, 50],
    counts === undefined ? undefined : { counts, min, scale },
  );
  return {
    count: n,
    blank: data.length - n,
    min: n > 0 ? min : Number.NaN,
    max: n > 0 ? max : Number.NaN,
    mean,
    std,
    median: all[ps.length] as number,
    percentiles: ps.map((p, i) => ({ percentile: p, value: all[i] as number })),
  };
}
