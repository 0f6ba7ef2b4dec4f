/**
 * Render an image to colours: interval → stretch → colormap, with FITS row 1 at the bottom (as
 * DS9 and matplotlib's origin="lower" show it). Blank (NaN) pixels get `blankColor`.
 */
import { colormap, colormapIndex } from "./colormap.js";
import type { PixelArray } from "./image-stats.js";
import { type IntervalSpec, intervalLimits } from "./interval.js";
import { encodePng, type PngOptions } from "./png.js";
import { makeStretch, normalize, type StretchFunction, type StretchSpec } from "./stretch.js";

/** Options of {@link renderImage}. */
export interface RenderOptions {
  /** Display interval (default zscale). */
  interval?: IntervalSpec;
  /** Stretch (default linear). */
  stretch?: StretchSpec;
  /** Colormap name (default "grey"). */
  cmap?: string;
  /** RGBA output with blank pixels transparent (default false: RGB). */
  alpha?: boolean;
  /** RGB of blank pixels (default black). */
  blankColor?: readonly [number, number, number];
  /** Keep FITS row order (row 1 first) instead of putting row 1 at the bottom. */
  topDown?: boolean;
}

/** A rendered image: rows top to bottom. */
export interface RenderedImage {
  width: number;
  height: number;
  channels: 3 | 4;
  pixels: Uint8Array;
  /** The display limits used. */
  vmin: number;
  vmax: number;
}

/** Map a 2-d image (NAXIS1 = width fastest) to RGB(A) bytes. */
export function renderImage(
  data: PixelArray,
  width: number,
  height: number,
  options: RenderOptions = {},
): RenderedImage {
  const [vmin, vmax] = intervalLimits(data, options.interval ?? { kind: "zscale" });
  const stretch = makeStretch(options.stretch ?? { kind: "linear" });
  const thresholds = indexThresholds(stretch);
  const { binLo, binHi } = thresholdBins(thresholds);
  const lut = colormap(options.cmap ?? "grey");
  const span = vmax - vmin;
  const channels = options.alpha === true ? 4 : 3;
  const out = new Uint8Array(width * height * channels);
  const blank = options.blankColor ?? [0, 0, 0];
  for (let row = 0; row < height; row++) {
    const outRow = options.topDown === true ? row : height - 1 - row;
    let o = outRow * width * channels;
    const base = row * width;
    for (let x = 0; x < width; x++) {
      const v = data[base + x] as number;
      if (!Number.isFinite(v)) {
        out[o] = blank[0];
        out[o + 1] = blank[1];
        out[o + 2] = blank[2];
        if (channels === 4) out[o + 3] = 0;
      } else {
        let t = span === 0 ? 0 : (v - vmin) / span;
        if (t < 0) t = 0;
        else if (t > 1) t = 1;
        // Table index = number of thresholds ≤ t: read from the bin table, or, in the rare bin
        // that holds a threshold, by binary search between the bin's bounds.
        let j = Math.floor(t * BINS);
        if (j >= BINS) j = BINS - 1;
        let lo = binLo[j] as number;
        let hi = binHi[j] as number;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((thresholds[mid] as number) <= t) lo = mid + 1;
          else hi = mid;
        }
        const i = 3 * lo;
        out[o] = lut[i] as number;
        out[o + 1] = lut[i + 1] as number;
        out[o + 2] = lut[i + 2] as number;
        if (channels === 4) out[o + 3] = 255;
      }
      o += channels;
    }
  }
  return { width, height, channels, pixels: out, vmin, vmax };
}

/**
 * For a monotonic stretch s, the colour-table index of a normalised value x is
 * min(⌊256 s(x)⌋, 255) (matplotlib's rule), so it is the number of thresholds t_k ≤ x, where t_k is
 * the smallest x in [0, 1] whose index is ≥ k (k = 1 … 255). Found by bisection down to adjacent
 * doubles, so the lookup gives the same index as evaluating the stretch at every pixel.
 */
export function indexThresholds(stretch: StretchFunction): Float64Array {
  const index = (x: number): number => colormapIndex(normalize(x, 0, 1, stretch));
  const t = new Float64Array(255);
  for (let k = 1; k <= 255; k++) {
    if (index(0) >= k) {
      t[k - 1] = 0;
      continue;
    }
    if (index(1) < k) {
      t[k - 1] = Number.POSITIVE_INFINITY;
      continue;
    }
    let lo = 0;
    let hi = 1;
    for (let it = 0; it < 200; it++) {
      const mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) break;
      if (index(mid) >= k) hi = mid;
      else lo = mid;
    }
    t[k - 1] = hi;
  }
  return t;
}

const BINS = 65536;

/**
 * For each of 65,536 equal bins of [0, 1], the smallest and largest table index a value in the bin
 * can have (bounds widened by 1e-12 so rounding of t·BINS cannot misplace a value).
 */
function thresholdBins(thresholds: Float64Array): { binLo: Uint8Array; binHi: Uint8Array } {
  const binLo = new Uint8Array(BINS);
  const binHi = new Uint8Array(BINS);
  let lo = 0;
  let hi = 0;
  for (let j = 0; j < BINS; j++) {
    const a = j / BINS - 1e-12;
    const b = (j + 1) / BINS + 1e-12;
    while (lo < 255 && (thresholds[lo] as number) <= a) lo++;
    while (hi < 255 && (thresholds[hi] as number) <= b) hi++;
    binLo[j] = lo;
    binHi[j] = hi;
  }
  return { binLo, binHi };
}

/** Render and encode as PNG in one step. */
export function renderPng(
  data: PixelArray,
  width: number,
  height: number,
  options: RenderOptions & { png?: PngOptions } = {},
): { png: Uint8Array; vmin: number; vmax: number } {
  const r = renderImage(data, width, height, options);
  return {
    png: encodePng(r.pixels, width, height, r.channels === 4 ? "rgba" : "rgb", options.png),
    vmin: r.vmin,
    vmax: r.vmax,
  };
}
