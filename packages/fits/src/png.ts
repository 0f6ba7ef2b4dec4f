/**
 * A PNG encoder (ISO/IEC 15948, PNG 2nd edition): 8-bit grey, RGB and RGBA, and 16-bit grey;
 * zlib by fflate. Scanlines use the Sub/Up filters chosen per row by the minimum sum of absolute
 * differences heuristic (PNG §12.8), or no filter when `fast` is set.
 */
import { zlibSync } from "fflate";
import { FitsError } from "./errors.js";

/** Pixel layout of the input. */
export type PngColor = "grey" | "rgb" | "rgba" | "grey16";

/** Options of {@link encodePng}. */
export interface PngOptions {
  /** zlib level 0–9 (default 6). */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** Skip filtering (faster, larger files). */
  fast?: boolean;
  /**
   * zlib (RFC 1950) compressor to use instead of fflate, e.g. Node's
   * `(b, level) => zlib.deflateSync(b, { level })`, which is several times faster.
   */
  deflate?: (raw: Uint8Array, level: number) => Uint8Array;
}

const CHANNELS: Record<PngColor, number> = { grey: 1, rgb: 3, rgba: 4, grey16: 2 };
const COLOR_TYPE: Record<PngColor, number> = { grey: 0, rgb: 2, rgba: 6, grey16: 0 };

let crcTable: Uint32Array | undefined;

/** |signed byte| of a residual: min(s, 256 − s). */
const ABS8 = Uint8Array.from({ length: 256 }, (_, s) => (s < 128 ? s : 256 - s));

/** CRC-32 of PNG chunks (PNG §5.5, ISO 3309 polynomial). */
export function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = crc;
  for (let i = 0; i < bytes.length; i++)
    c = (crcTable[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return c >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, (crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0);
  return out;
}

/**
 * Encode an image as PNG. `pixels` holds rows top to bottom: bytes for grey/rgb/rgba, or a
 * Uint16Array of samples for grey16 (written big-endian).
 */
export function encodePng(
  pixels: Uint8Array | Uint16Array,
  width: number,
  height: number,
  color: PngColor,
  options: PngOptions = {},
): Uint8Array {
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    width > 2 ** 31 - 1
  ) {
    throw new FitsError("INVALID_ARGUMENT", `bad PNG size ${width}×${height}`);
  }
  const bpp = CHANNELS[color];
  const samples = color === "grey16" ? 1 : bpp;
  if (pixels.length !== width * height * samples) {
    throw new FitsError(
      "INVALID_ARGUMENT",
      `PNG needs ${width * height * samples} samples, got ${pixels.length}`,
    );
  }
  const stride = width * bpp;
  const raw = new Uint8Array((stride + 1) * height);
  let src: Uint8Array;
  if (color === "grey16") {
    src = new Uint8Array(width * height * 2);
    const p16 = pixels as Uint16Array;
    for (let i = 0; i < p16.length; i++) {
      const v = p16[i] as number;
      src[2 * i] = v >>> 8;
      src[2 * i + 1] = v & 0xff;
    }
  } else src = pixels as Uint8Array;
  const subRow = new Uint8Array(stride);
  const upRow = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const r0 = y * stride;
    const o = y * (stride + 1) + 1;
    if (options.fast === true) {
      raw[o - 1] = 0;
      raw.set(src.subarray(r0, r0 + stride), o);
      continue;
    }
    // Sub (1) and Up (2) residuals; keep the one with the smaller sum of |signed residuals| (PNG §12.8).
    let sumSub = 0;
    let sumUp = 0;
    const p0 = r0 - stride;
    for (let i = 0; i < stride; i++) {
      const v = src[r0 + i] as number;
      const s1 = (v - (i >= bpp ? (src[r0 + i - bpp] as number) : 0)) & 0xff;
      const s2 = (v - (y > 0 ? (src[p0 + i] as number) : 0)) & 0xff;
      subRow[i] = s1;
      upRow[i] = s2;
      sumSub += ABS8[s1] as number;
      sumUp += ABS8[s2] as number;
    }
    const up = y > 0 && sumUp < sumSub;
    raw[o - 1] = up ? 2 : 1;
    raw.set(up ? upRow : subRow, o);
  }
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr[8] = color === "grey16" ? 16 : 8;
  ihdr[9] = COLOR_TYPE[color];
  const level = options.level ?? 6;
  const idat = options.deflate !== undefined ? options.deflate(raw, level) : zlibSync(raw, { level });
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array(0)),
  ];
  const total = parts.reduce((s, p) => s + p.length, 0);
  const png = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    png.set(p, off);
    off += p.length;
  }
  return png;
}
