/**
 * IRAF's zscale display limits, as astropy.visualization.ZScaleInterval computes them: sample the
 * finite values with a fixed stride, sort, fit a line to the sorted samples with iterative
 * k-sigma rejection (rejected pixels dilated by 1% of the sample), and take the median ± the
 * slope / contrast over the sample's half-length.
 */
import { type PixelArray, percentileInPlace } from "./image-stats.js";

/** Parameters of {@link zscale}; defaults are IRAF's and astropy's. */
export interface ZScaleOptions {
  /** Number of samples (default 1000). */
  nSamples?: number;
  /** Contrast (default 0.25); ≤ 0 keeps the fitted slope. */
  contrast?: number;
  /** Give up (return min/max) when more than this fraction is rejected (default 0.5). */
  maxReject?: number;
  /** Give up when fewer than this many pixels remain (default 5). */
  minNpixels?: number;
  /** Rejection threshold in standard deviations (default 2.5). */
  krej?: number;
  /** Maximum rejection iterations (default 5). */
  maxIterations?: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Counter of finite values in [start, end). Float arrays are read through an integer view of
 * their exponent bits (all ones = NaN or ±Inf), branch-free: faster than Number.isFinite.
 */
function finiteCounter(data: PixelArray): (start: number, end: number) => number {
  if (data instanceof Float32Array && data.byteOffset % 4 === 0) {
    const u = new Uint32Array(data.buffer, data.byteOffset, data.length);
    return (start, end) => {
      let bad = 0;
      for (let i = start; i < end; i++) bad += (((u[i] as number) & 0x7f800000) + 0x00800000) >>> 31;
      return end - start - bad;
    };
  }
  if (data instanceof Float64Array && data.byteOffset % 8 === 0 && LITTLE_ENDIAN) {
    // The high word of each double holds its exponent.
    const u = new Uint32Array(data.buffer, data.byteOffset, 2 * data.length);
    return (start, end) => {
      let bad = 0;
      for (let i = start; i < end; i++) bad += (((u[2 * i + 1] as number) & 0x7ff00000) + 0x00100000) >>> 31;
      return end - start - bad;
    };
  }
  return (start, end) => {
    let k = 0;
    for (let i = start; i < end; i++) if (Number.isFinite(data[i] as number)) k++;
    return k;
  };
}

/** [vmin, vmax] display limits by zscale. NaN limits for an image without finite values. */
export function zscale(data: PixelArray, options: ZScaleOptions = {}): [number, number] {
  const nSamples = options.nSamples ?? 1000;
  const contrast = options.contrast ?? 0.25;
  const maxReject = options.maxReject ?? 0.5;
  const minNpixels = options.minNpixels ?? 5;
  const krej = options.krej ?? 2.5;
  const maxIterations = options.maxIterations ?? 5;

  // Every stride-th finite value (counted over the finite values only), without copying the
  // image: one pass counts finite values per chunk, then only chunks holding a sample are visited,
  // and chunks without blanks are indexed directly.
  const CHUNK = 4096;
  const nChunks = Math.ceil(data.length / CHUNK);
  const chunkFinite = new Uint32Array(nChunks);
  let finite = 0;
  const count = finiteCounter(data);
  for (let c = 0; c < nChunks; c++) {
    const k = count(c * CHUNK, Math.min(data.length, (c + 1) * CHUNK));
    chunkFinite[c] = k;
    finite += k;
  }
  if (finite === 0) return [Number.NaN, Number.NaN];
  const stride = Math.trunc(Math.max(1, finite / nSamples));
  const npix = Math.min(nSamples, Math.ceil(finite / stride));
  const samples = new Float64Array(npix);
  let taken = 0;
  let before = 0;
  for (let c = 0; c < nChunks && taken < npix; c++) {
    const k = chunkFinite[c] as number;
    // Finite-sequence ranks taken[..] * stride that fall in [before, before + k).
    while (taken < npix && taken * stride < before + k) {
      const rank = taken * stride - before;
      const start = c * CHUNK;
      if (k === Math.min(CHUNK, data.length - start)) samples[taken] = data[start + rank] as number;
      else {
        let seen = 0;
        for (let i = start; ; i++) {
          const v = data[i] as number;
          if (!Number.isFinite(v)) continue;
          if (seen === rank) {
            samples[taken] = v;
            break;
          }
          seen++;
        }
      }
      taken++;
    }
    before += k;
  }
  // Keep the sample's original element precision (float32 images sample float32 values).
  samples.sort();
  let vmin = samples[0] as number;
  let vmax = samples[npix - 1] as number;

  const minpix = Math.max(minNpixels, Math.trunc(npix * maxReject));
  let ngoodpix = npix;
  let lastNgoodpix = npix + 1;
  let badpix = new Uint8Array(npix);
  const ngrow = Math.max(1, Math.trunc(npix * 0.01));
  let slope = 0;
  const flat = new Float64Array(npix);
  for (let it = 0; it < maxIterations; it++) {
    if (ngoodpix >= lastNgoodpix || ngoodpix < minpix) break;
    // Least-squares line through the good points (numpy.polyfit with 0/1 weights).
    let sw = 0;
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < npix; i++) {
      if (badpix[i]) continue;
      sw++;
      sx += i;
      sy += samples[i] as number;
    }
    const mx = sx / sw;
    const my = sy / sw;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < npix; i++) {
      if (badpix[i]) continue;
      const dx = i - mx;
      sxx += dx * dx;
      sxy += dx * ((samples[i] as number) - my);
    }
    slope = sxx > 0 ? sxy / sxx : 0;
    const intercept = my - slope * mx;
    let s1 = 0;
    let cnt = 0;
    for (let i = 0; i < npix; i++) {
      const f = (samples[i] as number) - (slope * i + intercept);
      flat[i] = f;
      if (!badpix[i]) {
        s1 += f;
        cnt++;
      }
    }
    const fm = s1 / cnt;
    let s2 = 0;
    for (let i = 0; i < npix; i++) {
      if (badpix[i]) continue;
      const d = (flat[i] as number) - fm;
      s2 += d * d;
    }
    const threshold = krej * Math.sqrt(s2 / cnt);
    for (let i = 0; i < npix; i++) {
      const f = flat[i] as number;
      if (f < -threshold || f > threshold) badpix[i] = 1;
    }
    // Dilate like numpy.convolve(badpix, ones(ngrow), mode="same").
    const h = (ngrow - 1) >> 1;
    const grown = new Uint8Array(npix);
    for (let i = 0; i < npix; i++) {
      if (!badpix[i]) continue;
      const lo = Math.max(0, i - h);
      const hi = Math.min(npix - 1, i - h + ngrow - 1);
      for (let j = lo; j <= hi; j++) grown[j] = 1;
    }
    badpix = grown;
    lastNgoodpix = ngoodpix;
    ngoodpix = 0;
    for (let i = 0; i < npix; i++) if (!badpix[i]) ngoodpix++;
  }
  if (ngoodpix >= minpix) {
    if (contrast > 0) slope /= contrast;
    const centerPixel = Math.trunc((npix - 1) / 2);
    const median = percentileInPlace(Float64Array.from(samples), 50);
    vmin = Math.max(vmin, median - (centerPixel - 1) * slope);
    vmax = Math.min(vmax, median + (npix - centerPixel) * slope);
  }
  return [vmin, vmax];
}
