/**
 * Render an image to colours: interval → stretch → colormap, with FITS row 1 at the bottom (as
 * DS9 and matplotlib's origin="lower" show it). Blank (NaN) pixels get `blankColor`.
 */
import { colormap, colormapIndex } from "./colormap.js";
import type { PixelArray } from "./image-stats.js";
import { type IntervalSpec, intervalLimits } from "./interval.js";
import { encodePng, type PngOptions } from "./png.js";
import { makeStretch, normalize, type StretchSpec } from "./stretch.js";

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
  const lut = colormap(options.cmap ?? "grey");
  const channels = options.alpha === true ? 4 : 3;
  const out = new Uint8Array(width * height * channels);
  const blank = options.blankColor ?? [0, 0, 0];
  // Precompute the colour of every normalised value on a fine grid only when the stretch is
  // costly; here the direct evaluation is cheap enough and exact.
  for (let row = 0; row < height; row++) {
    const outRow = options.topDown === true ? row : height - 1 - row;
    let o = outRow * width * channels;
    const base = row * width;
    for (let x = 0; x < width; x++) {
      const y = normalize(data[base + x] as number, vmin, vmax, stretch);
      if (Number.isNaN(y)) {
        out[o] = blank[0];
        out[o + 1] = blank[1];
        out[o + 2] = blank[2];
        if (channels === 4) out[o + 3] = 0;
      } else {
        const i = 3 * colormapIndex(y);
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
