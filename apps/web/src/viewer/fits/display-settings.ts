/**
 * How pixel values become colours: display limits (min/max, zscale, central percentiles from the
 * server's statistics, or manual), a scale (astropy.visualization's stretches: linear, sqrt,
 * squared, power, log, asinh, sinh, histogram equalisation) and a colormap. All of it runs in the
 * shader; this module only computes the numbers it needs from the plane's statistics.
 */
import { COLORMAP_NAMES, colormap } from "@meridian/fits";

export const SCALES = ["linear", "log", "sqrt", "asinh", "power", "squared", "sinh", "histeq"] as const;
export type ScaleName = (typeof SCALES)[number];

/** Shader code of each scale. */
export const SCALE_CODE: Record<ScaleName, number> = {
  linear: 0,
  log: 1,
  sqrt: 2,
  asinh: 3,
  power: 4,
  squared: 5,
  sinh: 6,
  histeq: 7,
};

/** Default parameter `a` of each scale (astropy's defaults; power's exponent). */
export const SCALE_PARAMETER: Record<ScaleName, number | null> = {
  linear: null,
  log: 1000,
  sqrt: null,
  asinh: 0.1,
  power: 2,
  squared: null,
  sinh: 1 / 3,
  histeq: null,
};

export const COLORMAPS: readonly string[] = COLORMAP_NAMES;

export const PERCENT_LIMITS = ["90", "95", "97.5", "99", "99.5", "99.9", "99.95", "99.99"] as const;

/** "minmax", "zscale", "percentile:99.5" or "manual". */
export type LimitMode = string;

export interface PlaneStats {
  readonly count: number;
  readonly blank: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly std: number | null;
  readonly zscale: [number, number] | null;
  readonly zscaleExact: boolean;
  readonly percentiles: Record<string, [number, number]>;
  readonly quantiles: number[];
  readonly sampleSize: number;
  readonly sampleStride: number;
}

/** [vmin, vmax] for a limit mode; manual limits come from `manual`. */
export function limitsOf(stats: PlaneStats, mode: LimitMode, manual: [number, number]): [number, number] {
  if (mode === "manual") return manual;
  if (mode === "zscale" && stats.zscale !== null) return stats.zscale;
  if (mode.startsWith("percentile:")) {
    const p = stats.percentiles[mode.slice("percentile:".length)];
    if (p !== undefined) return p;
  }
  if (stats.min !== null && stats.max !== null) return [stats.min, stats.max];
  return [0, 1];
}

/** Fraction of the sample ≤ v, from the quantile table (linear between quantiles). */
export function cdf(quantiles: readonly number[], v: number): number {
  const n = quantiles.length - 1;
  if (n < 1) return 0;
  if (v < (quantiles[0] as number)) return 0;
  if (v >= (quantiles[n] as number)) return 1;
  // Last index with q[i] ≤ v.
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((quantiles[mid] as number) <= v) lo = mid;
    else hi = mid;
  }
  const a = quantiles[lo] as number;
  const b = quantiles[lo + 1] as number;
  const f = b > a ? (v - a) / (b - a) : 1;
  return (lo + f) / n;
}

/**
 * Histogram equalisation as astropy's HistEqStretch of the clipped, normalised image: the level of
 * x ∈ [0, 1] is the fraction of pixels at or below vmin + x (vmax − vmin) (pixels beyond the limits
 * count as at them). Entry i of the table is the level of x = i/(size−1).
 */
export function histeqTable(
  quantiles: readonly number[],
  vmin: number,
  vmax: number,
  size = 1024,
): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const v = vmin + ((vmax - vmin) * i) / (size - 1);
    out[i] = i === size - 1 ? 1 : cdf(quantiles, v);
  }
  return out;
}

/** Histogram of the sample over [lo, hi] in `bins` bins, as fractions of the sample. */
export function histogramOf(
  quantiles: readonly number[],
  lo: number,
  hi: number,
  bins: number,
): Float64Array {
  const out = new Float64Array(bins);
  let prev = cdf(quantiles, lo);
  for (let i = 0; i < bins; i++) {
    const next = cdf(quantiles, lo + ((hi - lo) * (i + 1)) / bins);
    out[i] = Math.max(0, next - prev);
    prev = next;
  }
  return out;
}

/** A colormap as 256 RGBA bytes (alpha 255), reversed when asked. */
export function colormapRgba(name: string, reverse: boolean): Uint8Array {
  const rgb = colormap(name);
  const out = new Uint8Array(256 * 4);
  for (let i = 0; i < 256; i++) {
    const j = reverse ? 255 - i : i;
    out[4 * i] = rgb[3 * j] as number;
    out[4 * i + 1] = rgb[3 * j + 1] as number;
    out[4 * i + 2] = rgb[3 * j + 2] as number;
    out[4 * i + 3] = 255;
  }
  return out;
}

/** A value with as many digits as a readout needs. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "NaN";
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(4) : v.toPrecision(6);
}
