/**
 * Rice decompression as used by FITS tile compression (RICE_1; Pence, White & Seaman 2010,
 * "Optimal compression of floating-point astronomical images"; FITS 4.0 §10.4.1). Each block of
 * `blockSize` pixel differences has a split-bit count FS; FS = 0 (encoded −1) means all zero
 * differences, FS = FSMAX means raw BBITS-bit differences. Differences are zig-zag mapped.
 */
import { FitsError } from "./errors.js";

/** Decode `count` pixels of `bytepix` bytes (1, 2 or 4) into `out` (Uint8Array, Int16Array or Int32Array). */
export function riceDecode(
  input: Uint8Array,
  count: number,
  bytepix: 1 | 2 | 4,
  blockSize: number,
  out: Uint8Array | Int16Array | Int32Array,
): void {
  const fsbits = bytepix === 1 ? 3 : bytepix === 2 ? 4 : 5;
  const fsmax = bytepix === 1 ? 6 : bytepix === 2 ? 14 : 25;
  const bbits = 8 * bytepix;
  const fail = (): never => {
    throw new FitsError("BAD_COMPRESSED", "Rice data end before the tile is complete");
  };
  let p = 0;
  if (input.length < bytepix + 1) fail();
  // The first pixel is stored raw, big-endian.
  let lastpix = 0;
  for (let k = 0; k < bytepix; k++) lastpix = lastpix * 256 + (input[p++] as number);
  if (bytepix === 4) lastpix |= 0;
  let b = input[p++] as number;
  let nbits = 8;
  const n = input.length;
  const wrap =
    bytepix === 1
      ? (v: number) => v & 0xff
      : bytepix === 2
        ? (v: number) => (v << 16) >> 16
        : (v: number) => v | 0;
  for (let i = 0; i < count; ) {
    nbits -= fsbits;
    while (nbits < 0) {
      if (p >= n) fail();
      b = ((b << 8) | (input[p++] as number)) >>> 0;
      nbits += 8;
    }
    const fs = (b >>> nbits) - 1;
    b &= (1 << nbits) - 1;
    const imax = Math.min(i + blockSize, count);
    if (fs < 0) {
      for (; i < imax; i++) out[i] = lastpix;
    } else if (fs === fsmax) {
      for (; i < imax; i++) {
        let k = bbits - nbits;
        let diff = k >= 32 ? 0 : (b << k) >>> 0;
        for (k -= 8; k >= 0; k -= 8) {
          if (p >= n) fail();
          b = input[p++] as number;
          diff = (diff | (b << k)) >>> 0;
        }
        if (nbits > 0) {
          if (p >= n) fail();
          b = input[p++] as number;
          diff = (diff | (b >>> -k)) >>> 0;
          b &= (1 << nbits) - 1;
        } else b = 0;
        // Zig-zag: even → +d/2, odd → −(d+1)/2.
        const d = (diff & 1) === 0 ? diff >>> 1 : ~(diff >>> 1);
        lastpix = wrap(d + lastpix);
        out[i] = lastpix;
      }
    } else {
      for (; i < imax; i++) {
        while (b === 0) {
          if (p >= n) fail();
          nbits += 8;
          b = input[p++] as number;
        }
        const nzero = nbits - (32 - Math.clz32(b));
        nbits -= nzero + 1;
        b ^= 1 << nbits;
        nbits -= fs;
        while (nbits < 0) {
          if (p >= n) fail();
          b = ((b << 8) | (input[p++] as number)) >>> 0;
          nbits += 8;
        }
        const diff = ((nzero << fs) | (b >>> nbits)) >>> 0;
        b &= (1 << nbits) - 1;
        const d = (diff & 1) === 0 ? diff >>> 1 : ~(diff >>> 1);
        lastpix = wrap(d + lastpix);
        out[i] = lastpix;
      }
    }
  }
}
