/**
 * HCOMPRESS_1 decompression (FITS 4.0 §10.4.3; White 1992, "High-performance compression of
 * astronomical images"): quadtree-coded bit planes of an H-transform, then the inverse
 * H-transform. Arithmetic is done in doubles with explicit floor/mask helpers so 32-bit images
 * (whose transform sums exceed 2^31, the 64-bit variant in cfitsio) decode exactly too.
 * SMOOTH ≠ 0 (a decoder option: coefficients nudged towards values interpolated from the
 * neighbouring zones, within half the digitisation scale) is applied as cfitsio does.
 */
import { FitsError } from "./errors.js";

const MAGIC0 = 0xdd;
const MAGIC1 = 0x99;

class BitReader {
  #bytes: Uint8Array;
  #pos: number;
  #buffer = 0;
  #bits = 0;

  constructor(bytes: Uint8Array, pos: number) {
    this.#bytes = bytes;
    this.#pos = pos;
  }

  get pos(): number {
    return this.#pos;
  }

  byte(): number {
    const b = this.#bytes[this.#pos++];
    if (b === undefined) throw new FitsError("BAD_COMPRESSED", "HCOMPRESS data end early");
    return b;
  }

  /** Big-endian signed integer of 4 bytes. */
  int32(): number {
    const v = ((this.byte() << 24) | (this.byte() << 16) | (this.byte() << 8) | this.byte()) >> 0;
    return v;
  }

  /**
   * Big-endian signed integer of 8 bytes, as a double: signed high word × 2^32 + unsigned low
   * word, exact below 2^53 (summing the unsigned 64-bit pattern first would round negative sums
   * near 2^64 to a multiple of 4096: the sum of a tile of quantised floats with nulls, whose
   * integers sit near −2^31, is such a number).
   */
  int64(): number {
    const hi = this.int32();
    const lo = this.int32() >>> 0;
    return hi * 4294967296 + lo;
  }

  restart(): void {
    this.#bits = 0;
  }

  bit(): number {
    if (this.#bits === 0) {
      this.#buffer = this.byte();
      this.#bits = 8;
    }
    this.#bits--;
    return (this.#buffer >> this.#bits) & 1;
  }

  nbits(n: number): number {
    if (this.#bits < n) {
      this.#buffer = ((this.#buffer << 8) | this.byte()) & 0xffff;
      this.#bits += 8;
    }
    this.#bits -= n;
    return (this.#buffer >> this.#bits) & ((1 << n) - 1);
  }

  /** Variable-length code of a 4-bit quadtree value (White 1992, Table 1). */
  huffman(): number {
    let c = this.nbits(3);
    if (c < 4) return 1 << c;
    c = this.bit() | (c << 1);
    switch (c) {
      case 8:
        return 3;
      case 9:
        return 5;
      case 10:
        return 10;
      case 11:
        return 12;
      case 12:
        return 15;
    }
    c = this.bit() | (c << 1);
    switch (c) {
      case 26:
        return 6;
      case 27:
        return 7;
      case 28:
        return 9;
      case 29:
        return 11;
      case 30:
        return 13;
    }
    c = this.bit() | (c << 1);
    return c === 62 ? 0 : 14;
  }
}

function log2Ceil(n: number): number {
  // As cfitsio: rounded log2, bumped when n exceeds the power of two.
  let l = Math.trunc(Math.log(Math.fround(n)) / Math.log(2) + 0.5);
  if (n > 2 ** l) l++;
  return l;
}

/** Expand 4-bit codes at a[(nx+1)/2, (ny+1)/2] into single bits of b[nx, ny] (stride n). */
function qtreeCopy(a: Uint8Array, nx: number, ny: number, b: Uint8Array, n: number): void {
  const nx2 = (nx + 1) >> 1;
  const ny2 = (ny + 1) >> 1;
  let k = ny2 * (nx2 - 1) + ny2 - 1;
  for (let i = nx2 - 1; i >= 0; i--) {
    let s00 = 2 * (n * i + ny2 - 1);
    for (let j = ny2 - 1; j >= 0; j--) {
      b[s00] = a[k] as number;
      k--;
      s00 -= 2;
    }
  }
  let i = 0;
  for (; i < nx - 1; i += 2) {
    let s00 = n * i;
    let s10 = s00 + n;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      const v = b[s00] as number;
      b[s10 + 1] = v & 1;
      b[s10] = (v >> 1) & 1;
      b[s00 + 1] = (v >> 2) & 1;
      b[s00] = (v >> 3) & 1;
      s00 += 2;
      s10 += 2;
    }
    if (j < ny) {
      const v = b[s00] as number;
      b[s10] = (v >> 1) & 1;
      b[s00] = (v >> 3) & 1;
    }
  }
  if (i < nx) {
    let s00 = n * i;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      const v = b[s00] as number;
      b[s00 + 1] = (v >> 2) & 1;
      b[s00] = (v >> 3) & 1;
      s00 += 2;
    }
    if (j < ny) b[s00] = ((b[s00] as number) >> 3) & 1;
  }
}

/** OR bit plane `bit` from 4-bit codes a[(nx+1)/2, (ny+1)/2] into b[nx, ny] (stride n). */
function qtreeBitins(a: Uint8Array, nx: number, ny: number, b: Float64Array, n: number, bit: number): void {
  const pv = 2 ** bit;
  let k = 0;
  let i = 0;
  for (; i < nx - 1; i += 2) {
    let s00 = n * i;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      const v = a[k] as number;
      if (v & 1) b[s00 + n + 1] = (b[s00 + n + 1] as number) + pv;
      if (v & 2) b[s00 + n] = (b[s00 + n] as number) + pv;
      if (v & 4) b[s00 + 1] = (b[s00 + 1] as number) + pv;
      if (v & 8) b[s00] = (b[s00] as number) + pv;
      s00 += 2;
      k++;
    }
    if (j < ny) {
      const v = a[k] as number;
      if (v & 2) b[s00 + n] = (b[s00 + n] as number) + pv;
      if (v & 8) b[s00] = (b[s00] as number) + pv;
      k++;
    }
  }
  if (i < nx) {
    let s00 = n * i;
    let j = 0;
    for (; j < ny - 1; j += 2) {
      const v = a[k] as number;
      if (v & 4) b[s00 + 1] = (b[s00 + 1] as number) + pv;
      if (v & 8) b[s00] = (b[s00] as number) + pv;
      s00 += 2;
      k++;
    }
    if (j < ny) {
      if ((a[k] as number) & 8) b[s00] = (b[s00] as number) + pv;
      k++;
    }
  }
}

function qtreeDecode(
  r: BitReader,
  a: Float64Array,
  offset: number,
  n: number,
  nqx: number,
  nqy: number,
  planes: number,
): void {
  if (nqx <= 0 || nqy <= 0) return;
  const log2n = log2Ceil(Math.max(nqx, nqy));
  const nqx2 = (nqx + 1) >> 1;
  const nqy2 = (nqy + 1) >> 1;
  // Scratch large enough for every expansion step (up to nqx2 × nqy2 codes, stride nqy2).
  const scratch = new Uint8Array(Math.max(1, nqx2 * nqy2) + 4);
  const view = a.subarray(offset);
  for (let bit = planes - 1; bit >= 0; bit--) {
    const b = r.nbits(4);
    if (b === 0) {
      // Bit plane written directly, 4 pixels a nybble.
      for (let i = 0; i < nqx2 * nqy2; i++) scratch[i] = r.nbits(4);
      qtreeBitins(scratch, nqx, nqy, view, n, bit);
    } else if (b !== 0xf) {
      throw new FitsError("BAD_COMPRESSED", `HCOMPRESS quadtree format code ${b} is invalid`);
    } else {
      scratch[0] = r.huffman();
      let nx = 1;
      let ny = 1;
      let nfx = nqx;
      let nfy = nqy;
      let c = 1 << log2n;
      for (let k = 1; k < log2n; k++) {
        c >>= 1;
        nx <<= 1;
        ny <<= 1;
        if (nfx <= c) nx--;
        else nfx -= c;
        if (nfy <= c) ny--;
        else nfy -= c;
        qtreeCopy(scratch, nx, ny, scratch, ny);
        for (let i = nx * ny - 1; i >= 0; i--) if (scratch[i]) scratch[i] = r.huffman();
      }
      qtreeBitins(scratch, nqx, nqy, view, n, bit);
    }
  }
}

/** x & −m for a power of two m, in two's complement, on doubles. */
function floorTo(x: number, m: number): number {
  return Math.floor(x / m) * m;
}

/** x & m for a power of two m. */
function bitOf(x: number, m: number): number {
  const q = Math.floor(x / m);
  return q % 2 !== 0 ? m : 0;
}

/** FITS 4.0 §10.4.3: undo the shuffle that put the coefficients of each level together. */
function unshuffle(a: Float64Array, start: number, n: number, n2: number, tmp: Float64Array): void {
  const nhalf = (n + 1) >> 1;
  let pt = 0;
  for (let i = nhalf, p = start + n2 * nhalf; i < n; i++, p += n2) tmp[pt++] = a[p] as number;
  for (
    let i = nhalf - 1, p2 = start + n2 * (nhalf - 1), p1 = start + 2 * n2 * (nhalf - 1);
    i >= 0;
    i--, p2 -= n2, p1 -= 2 * n2
  ) {
    a[p1] = a[p2] as number;
  }
  pt = 0;
  for (let i = 1, p = start + n2; i < n; i += 2, p += 2 * n2) a[p] = tmp[pt++] as number;
}

/** Change of a coefficient towards `diff / unit`, truncated towards zero, limited to ±smax. */
function nudge(diff: number, coefficient: number, unit: number, smax: number): number {
  const s = Math.trunc((diff - coefficient * unit) / unit);
  return Math.max(Math.min(s, smax), -smax);
}

/**
 * Smooth the coefficients of one expansion level (White 1992 §3; cfitsio `hsmooth`): the x, y
 * and cross differences of each 2×2 zone move towards the slopes that would match the means of
 * the neighbouring zones, under monotonicity limits, by at most scale/2. Edge zones are kept.
 * a is indexed [nxtop, ny] (ny fastest) of which [nxtop, nytop] is used.
 */
function hsmooth(a: Float64Array, nxtop: number, nytop: number, ny: number, scale: number): void {
  const smax = Math.floor(scale / 2);
  if (smax <= 0) return;
  const ny2 = 2 * ny;
  // x differences.
  for (let i = 2; i < nxtop - 2; i += 2) {
    for (let j = 0, s00 = ny * i; j < nytop; j += 2, s00 += 2) {
      const hm = a[s00 - ny2] as number;
      const h0 = a[s00] as number;
      const hp = a[s00 + ny2] as number;
      const dmax = Math.max(Math.min(hp - h0, h0 - hm), 0) * 4;
      const dmin = Math.min(Math.max(hp - h0, h0 - hm), 0) * 4;
      if (dmin < dmax) {
        const diff = Math.max(Math.min(hp - hm, dmax), dmin);
        const s10 = s00 + ny;
        a[s10] = (a[s10] as number) + nudge(diff, a[s10] as number, 8, smax);
      }
    }
  }
  // y differences.
  for (let i = 0; i < nxtop; i += 2) {
    for (let j = 2, s00 = ny * i + 2; j < nytop - 2; j += 2, s00 += 2) {
      const hm = a[s00 - 2] as number;
      const h0 = a[s00] as number;
      const hp = a[s00 + 2] as number;
      const dmax = Math.max(Math.min(hp - h0, h0 - hm), 0) * 4;
      const dmin = Math.min(Math.max(hp - h0, h0 - hm), 0) * 4;
      if (dmin < dmax) {
        const diff = Math.max(Math.min(hp - hm, dmax), dmin);
        a[s00 + 1] = (a[s00 + 1] as number) + nudge(diff, a[s00 + 1] as number, 8, smax);
      }
    }
  }
  // Cross (curvature) differences.
  for (let i = 2; i < nxtop - 2; i += 2) {
    for (let j = 2, s00 = ny * i + 2; j < nytop - 2; j += 2, s00 += 2) {
      const s10 = s00 + ny;
      const hmm = a[s00 - ny2 - 2] as number;
      const hpm = a[s00 + ny2 - 2] as number;
      const hmp = a[s00 - ny2 + 2] as number;
      const hpp = a[s00 + ny2 + 2] as number;
      const h0 = a[s00] as number;
      const hx2 = 2 * (a[s10] as number);
      const hy2 = 2 * (a[s00 + 1] as number);
      const dmax =
        Math.min(
          Math.min(Math.max(hpp - h0, 0) - hx2 - hy2, Math.max(h0 - hpm, 0) + hx2 - hy2),
          Math.min(Math.max(h0 - hmp, 0) - hx2 + hy2, Math.max(hmm - h0, 0) + hx2 + hy2),
        ) * 16;
      const dmin =
        Math.max(
          Math.max(Math.min(hpp - h0, 0) - hx2 - hy2, Math.min(h0 - hpm, 0) + hx2 - hy2),
          Math.max(Math.min(h0 - hmp, 0) - hx2 + hy2, Math.min(hmm - h0, 0) + hx2 + hy2),
        ) * 16;
      if (dmin < dmax) {
        const diff = Math.max(Math.min(hpp + hmm - hmp - hpm, dmax), dmin);
        a[s10 + 1] = (a[s10 + 1] as number) + nudge(diff, a[s10 + 1] as number, 64, smax);
      }
    }
  }
}

/** Inverse H-transform in place on a[nx, ny] (ny fastest), exact in doubles. */
function hinv(a: Float64Array, nx: number, ny: number, smooth: boolean, scale: number): void {
  const nmax = Math.max(nx, ny);
  const log2n = log2Ceil(nmax);
  const tmp = new Float64Array((nmax + 1) >> 1);
  let shift = 2;
  let bit0 = 2 ** (log2n - 1);
  let bit1 = bit0 * 2;
  const bit2 = bit0 * 4;
  let prnd0 = Math.floor(bit0 / 2);
  let prnd1 = Math.floor(bit1 / 2);
  const prnd2 = Math.floor(bit2 / 2);
  let nrnd0 = prnd0 - 1;
  let nrnd1 = prnd1 - 1;
  const nrnd2 = prnd2 - 1;
  const a0 = a[0] as number;
  a[0] = floorTo(a0 + (a0 < 0 ? nrnd2 : prnd2), bit2);
  let nxtop = 1;
  let nytop = 1;
  let nxf = nx;
  let nyf = ny;
  let c = 2 ** log2n;
  for (let k = log2n - 1; k >= 0; k--) {
    c /= 2;
    nxtop *= 2;
    nytop *= 2;
    if (nxf <= c) nxtop--;
    else nxf -= c;
    if (nyf <= c) nytop--;
    else nyf -= c;
    // Halve sums, except on the last pass which divides by 4 (prnd0 is 0 there).
    let div = 2;
    if (k === 0) {
      nrnd0 = 0;
      div = 4;
    }
    shift = div;
    for (let i = 0; i < nxtop; i++) unshuffle(a, ny * i, nytop, 1, tmp);
    for (let j = 0; j < nytop; j++) unshuffle(a, j, nxtop, ny, tmp);
    if (smooth) hsmooth(a, nxtop, nytop, ny, scale);
    const oddx = nxtop % 2;
    const oddy = nytop % 2;
    let i = 0;
    for (; i < nxtop - oddx; i += 2) {
      let s00 = ny * i;
      let s10 = s00 + ny;
      let j = 0;
      for (; j < nytop - oddy; j += 2) {
        let h0 = a[s00] as number;
        let hx = a[s10] as number;
        let hy = a[s00 + 1] as number;
        let hc = a[s10 + 1] as number;
        hx = floorTo(hx + (hx < 0 ? nrnd1 : prnd1), bit1);
        hy = floorTo(hy + (hy < 0 ? nrnd1 : prnd1), bit1);
        hc = floorTo(hc + (hc < 0 ? nrnd0 : prnd0), bit0);
        const lowbit0 = bitOf(hc, bit0);
        hx = hx >= 0 ? hx - lowbit0 : hx + lowbit0;
        hy = hy >= 0 ? hy - lowbit0 : hy + lowbit0;
        const parity = (bitOf(hc, bit1) + bitOf(hx, bit1) + bitOf(hy, bit1)) / bit1;
        const lowbit1 = parity % 2 === 1 ? bit1 : 0;
        h0 = h0 >= 0 ? h0 + lowbit0 - lowbit1 : h0 + (lowbit0 === 0 ? lowbit1 : lowbit0 - lowbit1);
        a[s10 + 1] = Math.floor((h0 + hx + hy + hc) / shift);
        a[s10] = Math.floor((h0 + hx - hy - hc) / shift);
        a[s00 + 1] = Math.floor((h0 - hx + hy - hc) / shift);
        a[s00] = Math.floor((h0 - hx - hy + hc) / shift);
        s00 += 2;
        s10 += 2;
      }
      if (oddy) {
        let h0 = a[s00] as number;
        let hx = a[s10] as number;
        hx = floorTo(hx < 0 ? hx + nrnd1 : hx + prnd1, bit1);
        const lowbit1 = bitOf(hx, bit1);
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s10] = Math.floor((h0 + hx) / shift);
        a[s00] = Math.floor((h0 - hx) / shift);
      }
    }
    if (oddx) {
      let s00 = ny * i;
      let j = 0;
      for (; j < nytop - oddy; j += 2) {
        let h0 = a[s00] as number;
        let hy = a[s00 + 1] as number;
        hy = floorTo(hy < 0 ? hy + nrnd1 : hy + prnd1, bit1);
        const lowbit1 = bitOf(hy, bit1);
        h0 = h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
        a[s00 + 1] = Math.floor((h0 + hy) / shift);
        a[s00] = Math.floor((h0 - hy) / shift);
        s00 += 2;
      }
      if (oddy) a[s00] = Math.floor((a[s00] as number) / shift);
    }
    bit1 = bit0;
    bit0 = bit0 / 2;
    prnd1 = prnd0;
    prnd0 = Math.floor(prnd0 / 2);
    nrnd1 = nrnd0;
    nrnd0 = prnd0 - 1;
  }
}

/**
 * Decode an HCOMPRESS_1 tile expected to hold `nx` × `ny` pixels (nx the faster axis). Returns
 * the integers as doubles (exact, like cfitsio's 64-bit variant). `smooth` ≠ 0 smooths during
 * the inverse transform (only lossy tiles, scale > 1, change).
 */
export function hdecompress(bytes: Uint8Array, smooth: number, nx: number, ny: number): Float64Array {
  if (bytes[0] !== MAGIC0 || bytes[1] !== MAGIC1) {
    throw new FitsError("BAD_COMPRESSED", "HCOMPRESS tile does not start with the magic number 0xDD99");
  }
  const r = new BitReader(bytes, 2);
  // In the stream, "nx" is the slower axis and "ny" the faster one (rows of ny pixels).
  const snx = r.int32();
  const sny = r.int32();
  const scale = r.int32();
  if (snx * sny !== nx * ny || snx <= 0 || sny <= 0) {
    throw new FitsError("BAD_COMPRESSED", `HCOMPRESS tile is ${sny}×${snx}, expected ${nx}×${ny}`);
  }
  const sumall = r.int64();
  const planes = [r.byte(), r.byte(), r.byte()];
  const n = snx * sny;
  const a = new Float64Array(n);
  const nx2 = (snx + 1) >> 1;
  const ny2 = (sny + 1) >> 1;
  r.restart();
  qtreeDecode(r, a, 0, sny, nx2, ny2, planes[0] as number);
  qtreeDecode(r, a, ny2, sny, nx2, sny >> 1, planes[1] as number);
  qtreeDecode(r, a, sny * nx2, sny, snx >> 1, ny2, planes[1] as number);
  qtreeDecode(r, a, sny * nx2 + ny2, sny, snx >> 1, sny >> 1, planes[2] as number);
  if (r.nbits(4) !== 0)
    throw new FitsError("BAD_COMPRESSED", "HCOMPRESS bit planes do not end with the EOF code");
  r.restart();
  for (let i = 0; i < n; i++) if (a[i] !== 0 && r.bit() !== 0) a[i] = -(a[i] as number);
  a[0] = sumall;
  if (scale > 1) for (let i = 0; i < n; i++) a[i] = (a[i] as number) * scale;
  hinv(a, snx, sny, smooth !== 0, scale);
  return a;
}
