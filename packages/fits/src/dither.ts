/**
 * Unquantising tile-compressed floating-point images (FITS 4.0 §10.2): values were stored as
 * integers i with value = (i − r + 0.5) × ZSCALE + ZZERO for subtractive dithering, r from the
 * fixed pseudo-random sequence of FITS 4.0 §10.2.2 (Park & Miller 1988 minimal standard
 * generator), exactly as cfitsio draws it.
 */

/** Length of the dither sequence. */
export const N_RANDOM = 10000;

let randoms: Float32Array | undefined;

/** The 10,000 dither values (float32), FITS 4.0 §10.2.2 eq. (9)–(11). */
export function ditherSequence(): Float32Array {
  if (randoms) return randoms;
  const r = new Float32Array(N_RANDOM);
  const a = 16807;
  const m = 2147483647;
  let seed = 1;
  for (let i = 0; i < N_RANDOM; i++) {
    const temp = a * seed;
    seed = temp - m * Math.trunc(temp / m);
    r[i] = seed / m;
  }
  randoms = r;
  return r;
}

/** Integer that marks an exact zero under SUBTRACTIVE_DITHER_2 (FITS 4.0 §10.2.3). */
export const DITHER_ZERO_VALUE = -2147483646;

/** Quantisation methods. */
export type QuantizeMethod = "NO_DITHER" | "SUBTRACTIVE_DITHER_1" | "SUBTRACTIVE_DITHER_2";

/**
 * Restore floats of tile `tile` (1-based tile number) from quantised integers.
 * `nullValue` (ZBLANK) becomes NaN. `out` is Float32Array or Float64Array (values rounded to it).
 */
export function unquantize(
  ints: Int32Array,
  out: Float32Array | Float64Array,
  scale: number,
  zero: number,
  method: QuantizeMethod,
  tile: number,
  ditherSeed: number,
  nullValue: number | undefined,
): void {
  const n = ints.length;
  if (method === "NO_DITHER") {
    for (let i = 0; i < n; i++) {
      const v = ints[i] as number;
      out[i] = v === nullValue ? Number.NaN : v * scale + zero;
    }
    return;
  }
  const r = ditherSequence();
  // cfitsio: the sequence for tile k starts at index (k − 1 + ZDITHER0 − 1) mod 10000.
  let iseed = (tile - 1 + ditherSeed - 1) % N_RANDOM;
  let next = Math.trunc((r[iseed] as number) * 500);
  const zeroMarks = method === "SUBTRACTIVE_DITHER_2";
  for (let i = 0; i < n; i++) {
    const v = ints[i] as number;
    if (v === nullValue) out[i] = Number.NaN;
    else if (zeroMarks && v === DITHER_ZERO_VALUE) out[i] = 0;
    else out[i] = (v - (r[next] as number) + 0.5) * scale + zero;
    next++;
    if (next === N_RANDOM) {
      iseed++;
      if (iseed === N_RANDOM) iseed = 0;
      next = Math.trunc((r[iseed] as number) * 500);
    }
  }
}
