/**
 * Small thumbnails of PNG plots, so a gallery of 200 plots does not pull 200 full-size images
 * through an SSH tunnel. Decodes non-interlaced PNGs of every colour type at bit depth 8 (and
 * 16, 1, 2, 4 for the types that allow them; ISO/IEC 15948 §6–§9), box-averages to at most
 * `size` pixels on the longer side, and encodes RGBA. Anything else (interlaced, JPEG, GIF, SVG)
 * is answered with null and the caller sends the original.
 */
import { inflateSync } from "node:zlib";
import { encodePng } from "@meridian/fits";

interface Decoded {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel. */
  rgba: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Refuse to decode images larger than this many pixels (memory). */
const MAX_PIXELS = 40_000_000;

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decode a PNG to RGBA, or null when it uses something this decoder leaves to the browser. */
export function decodePng(bytes: Uint8Array): Decoded | null {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = -1;
  let interlace = 0;
  let palette: Uint8Array | null = null;
  let transparency: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  while (pos + 8 <= bytes.length) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    if (data.length !== length) return null;
    if (type === "IHDR") {
      width = view.getUint32(pos + 8);
      height = view.getUint32(pos + 12);
      depth = bytes[pos + 16]!;
      colorType = bytes[pos + 17]!;
      interlace = bytes[pos + 20]!;
    } else if (type === "PLTE") palette = data;
    else if (type === "tRNS") transparency = data;
    else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    pos += 12 + length;
  }
  const channels = CHANNELS[colorType];
  if (channels === undefined || interlace !== 0 || width < 1 || height < 1 || width * height > MAX_PIXELS)
    return null;
  if (![1, 2, 4, 8, 16].includes(depth) || (colorType === 3 && palette === null)) return null;
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    return null;
  }
  const bitsPerPixel = channels * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  if (raw.length < (stride + 1) * height) return null;
  // Undo the per-row filters (§9.2) in place.
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const out = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? rows[out + x - bpp]! : 0;
      const b = y > 0 ? rows[out - stride + x]! : 0;
      const c = x >= bpp && y > 0 ? rows[out - stride + x - bpp]! : 0;
      const v = raw[src + x]!;
      let r: number;
      switch (filter) {
        case 0:
          r = v;
          break;
        case 1:
          r = v + a;
          break;
        case 2:
          r = v + b;
          break;
        case 3:
          r = v + ((a + b) >> 1);
          break;
        case 4:
          r = v + paeth(a, b, c);
          break;
        default:
          return null;
      }
      rows[out + x] = r & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  const sample = (y: number, i: number): number => {
    // Sample i of row y, scaled to 8 bits.
    if (depth === 8) return rows[y * stride + i]!;
    if (depth === 16) return rows[y * stride + 2 * i]!;
    const bit = i * depth;
    const byte = rows[y * stride + (bit >> 3)]!;
    const value = (byte >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    return colorType === 3 ? value : Math.round((value * 255) / ((1 << depth) - 1));
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const s = x * channels;
      if (colorType === 3) {
        const index = sample(y, s);
        rgba[o] = palette![index * 3] ?? 0;
        rgba[o + 1] = palette![index * 3 + 1] ?? 0;
        rgba[o + 2] = palette![index * 3 + 2] ?? 0;
        rgba[o + 3] = transparency?.[index] ?? 255;
      } else if (colorType === 0 || colorType === 4) {
        const g = sample(y, s);
        rgba[o] = rgba[o + 1] = rgba[o + 2] = g;
        rgba[o + 3] = colorType === 4 ? sample(y, s + 1) : 255;
      } else {
        rgba[o] = sample(y, s);
        rgba[o + 1] = sample(y, s + 1);
        rgba[o + 2] = sample(y, s + 2);
        rgba[o + 3] = colorType === 6 ? sample(y, s + 3) : 255;
      }
    }
  }
  return { width, height, rgba };
}

/** Box-average RGBA pixels down to at most `size` on the longer side (alpha-weighted). */
export function shrinkRgba(image: Decoded, size: number): Decoded {
  const f = Math.max(1, Math.ceil(Math.max(image.width, image.height) / size));
  if (f === 1) return image;
  const w = Math.ceil(image.width / f);
  const h = Math.ceil(image.height / f);
  const acc = new Float64Array(w * h * 5);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 4;
      const o = (Math.floor(y / f) * w + Math.floor(x / f)) * 5;
      const alpha = image.rgba[i + 3]!;
      acc[o]! += image.rgba[i]! * alpha;
      acc[o + 1]! += image.rgba[i + 1]! * alpha;
      acc[o + 2]! += image.rgba[i + 2]! * alpha;
      acc[o + 3]! += alpha;
      acc[o + 4]!++;
    }
  }
  const rgba = new Uint8Array(w * h * 4);
  for (let p = 0; p < w * h; p++) {
    const a = acc[p * 5 + 3]!;
    const n = acc[p * 5 + 4]!;
    if (a > 0) {
      rgba[p * 4] = Math.round(acc[p * 5]! / a);
      rgba[p * 4 + 1] = Math.round(acc[p * 5 + 1]! / a);
      rgba[p * 4 + 2] = Math.round(acc[p * 5 + 2]! / a);
    }
    rgba[p * 4 + 3] = Math.round(a / n);
  }
  return { width: w, height: h, rgba };
}

/** A thumbnail PNG of a PNG file's bytes, or null to send the original. */
export function pngThumbnail(bytes: Uint8Array, size: number): Uint8Array | null {
  const decoded = decodePng(bytes);
  if (decoded === null) return null;
  if (Math.max(decoded.width, decoded.height) <= size) return null;
  const small = shrinkRgba(decoded, size);
  return encodePng(small.rgba, small.width, small.height, "rgba");
}
