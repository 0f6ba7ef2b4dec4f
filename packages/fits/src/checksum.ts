/**
 * FITS checksums (FITS 4.0 §4.4.2.7 and Appendix J; Seaman, Pence & Rots 2002): the 32-bit ones'
 * complement sum of big-endian 32-bit words. DATASUM is the data sum in decimal; CHECKSUM is the
 * 16-character ASCII encoding of the complement of the HDU sum, so a correct HDU sums to −0.
 */

/** Accumulates the ones' complement sum of a byte stream whose pieces are multiples of 4 bytes. */
export class OnesComplementSum {
  #hi = 0;
  #lo = 0;

  /** Add `bytes` (length a multiple of 4; a shorter tail is zero-padded). */
  update(bytes: Uint8Array): this {
    let hi = this.#hi;
    let lo = this.#lo;
    const n = bytes.length - (bytes.length % 4);
    // Halves are summed separately and folded later; doubles hold 2^37 words without loss.
    for (let i = 0; i < n; i += 4) {
      hi += ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
      lo += ((bytes[i + 2] as number) << 8) | (bytes[i + 3] as number);
    }
    if (n < bytes.length) {
      const tail = new Uint8Array(4);
      tail.set(bytes.subarray(n));
      hi += ((tail[0] as number) << 8) | (tail[1] as number);
      lo += ((tail[2] as number) << 8) | (tail[3] as number);
    }
    this.#hi = hi;
    this.#lo = lo;
    return this;
  }

  /** The 32-bit ones' complement sum so far (unsigned). */
  value(): number {
    let hi = this.#hi;
    let lo = this.#lo;
    let hicarry = Math.floor(hi / 65536);
    let locarry = Math.floor(lo / 65536);
    while (hicarry !== 0 || locarry !== 0) {
      hi = (hi % 65536) + locarry;
      lo = (lo % 65536) + hicarry;
      hicarry = Math.floor(hi / 65536);
      locarry = Math.floor(lo / 65536);
    }
    return hi * 65536 + lo;
  }
}

/** Ones' complement sum of `bytes`. */
export function checksumOf(bytes: Uint8Array): number {
  return new OnesComplementSum().update(bytes).value();
}

/** Ones' complement addition of two 32-bit sums. */
export function addSums(a: number, b: number): number {
  const s = a + b;
  return s > 0xffffffff ? s - 0xffffffff : s;
}

const EXCLUDE = [0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60];

/**
 * Encode a 32-bit sum as 16 ASCII characters (Seaman et al. 2002, §3; FITS 4.0 Appendix J):
 * each byte becomes four characters offset from '0' avoiding punctuation, then rotated by one.
 */
export function encodeChecksum(sum: number, complement = true): string {
  const value = complement ? ~sum >>> 0 : sum >>> 0;
  const asc = new Array<number>(16).fill(0);
  for (let i = 0; i < 4; i++) {
    const byte = (value >>> (24 - 8 * i)) & 0xff;
    const quotient = Math.floor(byte / 4) + 0x30;
    const remainder = byte % 4;
    const ch = [quotient + remainder, quotient, quotient, quotient];
    let again = true;
    while (again) {
      again = false;
      for (const k of EXCLUDE) {
        for (let j = 0; j < 4; j += 2) {
          if (ch[j] === k || ch[j + 1] === k) {
            ch[j] = (ch[j] as number) + 1;
            ch[j + 1] = (ch[j + 1] as number) - 1;
            again = true;
          }
        }
      }
    }
    for (let j = 0; j < 4; j++) asc[4 * j + i] = ch[j] as number;
  }
  let out = "";
  for (let i = 0; i < 16; i++) out += String.fromCharCode(asc[(i + 15) % 16] as number);
  return out;
}
