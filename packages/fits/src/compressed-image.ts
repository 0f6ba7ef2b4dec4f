/**
 * Tile-compressed images (FITS 4.0 §10): an image cut into tiles, each compressed into a row of
 * a binary table (COMPRESSED_DATA, or GZIP_COMPRESSED_DATA / UNCOMPRESSED_DATA for tiles that
 * could not be quantised; per-tile ZSCALE, ZZERO, ZBLANK). Only the tiles that overlap the
 * requested box are read and decoded.
 */
import { gunzipSync, unzlibSync } from "fflate";
import { readBinaryTable } from "./bintable.js";
import type { ByteSource } from "./byte-source.js";
import { applyScaling, scaledType } from "./bzero-scaling.js";
import { type QuantizeMethod, unquantize } from "./dither.js";
import {
  allocate,
  type Bitpix,
  bitpixType,
  checkBitpix,
  decodeBigEndian,
  type ElementType,
  elementSize,
  type FitsArray,
} from "./element-type.js";
import { FitsError } from "./errors.js";
import { hdecompress } from "./hcompress.js";
import type { HduInfo } from "./hdu-layout.js";
import { Header, makeCard } from "./header.js";
import { plioDecode } from "./plio.js";
import { type ImageData, imageScaling, type ReadImageOptions, resolveSection } from "./read-image.js";
import { riceDecode } from "./rice.js";

/** Compression algorithms (ZCMPTYPE). */
export type CompressionType =
  | "RICE_1"
  | "RICE_ONE"
  | "GZIP_1"
  | "GZIP_2"
  | "PLIO_1"
  | "HCOMPRESS_1"
  | "NOCOMPRESS";

/** The image a compressed HDU holds. */
export interface CompressedImageInfo {
  bitpix: Bitpix;
  axes: number[];
  tile: number[];
  compression: CompressionType;
  quantize: QuantizeMethod | "NONE" | undefined;
  ditherSeed: number;
  /** The image header, as the uncompressed HDU would have it (FITS 4.0 §10.1.2). */
  imageHeader: Header;
  /** ZNAMEi → ZVALi. */
  parameters: Map<string, number | string>;
}

/** Table keywords that describe the compression, not the image (FITS 4.0 §10.1.1, Table 36). */
const COMPRESSION_KEY =
  /^(ZIMAGE|ZBITPIX|ZNAXIS\d*|ZTILE\d+|ZCMPTYPE|ZNAME\d+|ZVAL\d+|ZMASKCMP|ZQUANTIZ|ZDITHER0|ZSIMPLE|ZTENSION|ZEXTEND|ZBLOCKED|ZPCOUNT|ZGCOUNT|ZHECKSUM|ZDATASUM|ZSCALE|ZZERO|ZBLANK|TFIELDS|THEAP|(TTYPE|TFORM|TUNIT|TDIM|TNULL|TSCAL|TZERO|TDISP)\d+|XTENSION|SIMPLE|BITPIX|NAXIS\d*|PCOUNT|GCOUNT|EXTEND|CHECKSUM|DATASUM)$/;

/** Describe a compressed-image HDU. */
export function compressedImageInfo(hdu: HduInfo): CompressedImageInfo {
  const h = hdu.header;
  const where = { hdu: hdu.index, offset: hdu.headerOffset };
  const bitpix = checkBitpix(h.get("ZBITPIX"), where);
  const naxis = h.getInteger("ZNAXIS");
  if (naxis === undefined || naxis < 0 || naxis > 999) {
    throw new FitsError("BAD_NAXIS", "ZNAXIS is missing or invalid", { ...where, keyword: "ZNAXIS" });
  }
  const axes: number[] = [];
  const tile: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const a = h.getInteger(`ZNAXIS${i}`);
    if (a === undefined || a < 0)
      throw new FitsError("BAD_NAXIS", `ZNAXIS${i} is missing or invalid`, {
        ...where,
        keyword: `ZNAXIS${i}`,
      });
    axes.push(a);
    // Default tiles are whole rows (FITS 4.0 §10.1.1).
    const t = h.getInteger(`ZTILE${i}`) ?? (i === 1 ? a : 1);
    if (t < 1)
      throw new FitsError("BAD_COMPRESSED", `ZTILE${i} = ${t} is invalid`, {
        ...where,
        keyword: `ZTILE${i}`,
      });
    tile.push(t);
  }
  const compression = (h.getString("ZCMPTYPE")?.trim() ?? "") as CompressionType;
  if (
    !["RICE_1", "RICE_ONE", "GZIP_1", "GZIP_2", "PLIO_1", "HCOMPRESS_1", "NOCOMPRESS"].includes(compression)
  ) {
    throw new FitsError("UNSUPPORTED", `ZCMPTYPE '${compression}' is not supported`, {
      ...where,
      keyword: "ZCMPTYPE",
    });
  }
  const parameters = new Map<string, number | string>();
  for (let i = 1; h.has(`ZNAME${i}`); i++) {
    const v = h.get(`ZVAL${i}`);
    parameters.set(
      (h.getString(`ZNAME${i}`) ?? "").trim().toUpperCase(),
      typeof v === "number" || typeof v === "string" ? v : Number(v),
    );
  }
  const q = h.getString("ZQUANTIZ")?.trim().toUpperCase();
  const quantize = q === undefined ? undefined : (q as CompressedImageInfo["quantize"]);
  return {
    bitpix,
    axes,
    tile,
    compression,
    quantize,
    ditherSeed: h.getInteger("ZDITHER0") ?? 1,
    imageHeader: imageHeaderOf(hdu, bitpix, axes),
    parameters,
  };
}

/** FITS 4.0 §10.1.2: the header the image had before compression. */
function imageHeaderOf(hdu: HduInfo, bitpix: number, axes: number[]): Header {
  const h = hdu.header;
  const primary = h.get("ZSIMPLE") === true;
  const cards = [
    primary
      ? makeCard("SIMPLE", true, "conforms to FITS standard")
      : makeCard("XTENSION", h.getString("ZTENSION") ?? "IMAGE", "image extension"),
    makeCard("BITPIX", bitpix, h.comment("ZBITPIX") ?? "array data type"),
    makeCard("NAXIS", axes.length, h.comment("ZNAXIS") ?? "number of array dimensions"),
    ...axes.map((a, i) => makeCard(`NAXIS${i + 1}`, a, h.comment(`ZNAXIS${i + 1}`))),
  ];
  if (primary) {
    if (h.has("ZEXTEND")) cards.push(makeCard("EXTEND", h.get("ZEXTEND"), h.comment("ZEXTEND")));
  } else {
    cards.push(
      makeCard("PCOUNT", h.getInteger("ZPCOUNT") ?? 0),
      makeCard("GCOUNT", h.getInteger("ZGCOUNT") ?? 1),
    );
  }
  const out = new Header(cards);
  for (const c of h.cards) {
    if (c.kind === "value" && COMPRESSION_KEY.test(c.key)) continue;
    // fpack names the table COMPRESSED_IMAGE when the image had no EXTNAME.
    if (c.key === "EXTNAME" && c.value === "COMPRESSED_IMAGE") continue;
    out.append(c);
  }
  if (h.has("ZHECKSUM")) out.set("CHECKSUM", h.get("ZHECKSUM"), h.comment("ZHECKSUM"));
  if (h.has("ZDATASUM")) out.set("DATASUM", h.get("ZDATASUM"), h.comment("ZDATASUM"));
  return out;
}

/** Most pixels decoded in one call (2^30). */
const MAX_DECODED_ELEMENTS = 2 ** 30;

function tileGrid(axes: readonly number[], tile: readonly number[]): number[] {
  return axes.map((a, i) => Math.ceil(a / (tile[i] as number)));
}

/** Read a compressed image (or a box of it), decoding only the overlapping tiles. */
export async function readCompressedImage(
  source: ByteSource,
  hdu: HduInfo,
  options: ReadImageOptions = {},
): Promise<ImageData> {
  const info = compressedImageInfo(hdu);
  const { axes, tile } = info;
  const { start, end } = resolveSection(axes, options, hdu.index);
  const shape = start.map((s, i) => (end[i] as number) - s);
  const count = shape.reduce((a, b) => a * b, 1);
  // Compressed sizes say nothing about the image size, so guard the allocation explicitly.
  if (count > MAX_DECODED_ELEMENTS || tile.reduce((a, b) => a * b, 1) > MAX_DECODED_ELEMENTS) {
    throw new FitsError(
      "TOO_LARGE",
      `a ${shape.join("×")} box (tiles ${tile.join("×")}) is too large to decode at once`,
      {
        hdu: hdu.index,
        offset: hdu.headerOffset,
      },
    );
  }
  const stored = bitpixType(info.bitpix);
  const quantized =
    info.bitpix < 0 && info.quantize !== "NONE" && hasColumn(hdu.header, "ZSCALE") !== undefined;
  const constScale = hdu.header.getNumber("ZSCALE");
  const isQuantizedFloat = info.bitpix < 0 && (quantized || constScale !== undefined);
  const out = allocate(stored, count);
  // Tiles overlapping the box.
  const grid = tileGrid(axes, tile);
  const t0 = start.map((s, i) => Math.floor(s / (tile[i] as number)));
  const t1 = end.map((e, i) => Math.floor((e - 1) / (tile[i] as number)));
  const tiles: number[] = [];
  const idx = t0.slice();
  if (axes.length > 0) {
    for (;;) {
      let t = 0;
      for (let i = axes.length - 1; i >= 0; i--) t = t * (grid[i] as number) + (idx[i] as number);
      tiles.push(t);
      let i = 0;
      for (; i < axes.length; i++) {
        idx[i] = (idx[i] as number) + 1;
        if ((idx[i] as number) <= (t1[i] as number)) break;
        idx[i] = t0[i] as number;
      }
      if (i === axes.length) break;
    }
  }
  // Read the needed rows in contiguous runs.
  tiles.sort((a, b) => a - b);
  const columns = [
    "COMPRESSED_DATA",
    "GZIP_COMPRESSED_DATA",
    "UNCOMPRESSED_DATA",
    "ZSCALE",
    "ZZERO",
    "ZBLANK",
  ].filter((c) => hasColumn(hdu.header, c) !== undefined);
  let k = 0;
  while (k < tiles.length) {
    let j = k + 1;
    while (j < tiles.length && tiles[j] === (tiles[j - 1] as number) + 1) j++;
    const first = tiles[k] as number;
    const table = await readBinaryTable(source, hdu, {
      start: first,
      end: (tiles[j - 1] as number) + 1,
      columns,
      raw: true,
    });
    const col = (name: string) => table.columns.find((c) => c.column.name.toUpperCase() === name)?.values;
    for (let r = 0; r < table.rows; r++) {
      const t = first + r;
      const tileIdx: number[] = [];
      let rest = t;
      for (let i = 0; i < axes.length; i++) {
        tileIdx.push(rest % (grid[i] as number));
        rest = Math.floor(rest / (grid[i] as number));
      }
      const tStart = tileIdx.map((ti, i) => ti * (tile[i] as number));
      const tShape = tStart.map((s, i) => Math.min(tile[i] as number, (axes[i] as number) - s));
      const n = tShape.reduce((a, b) => a * b, 1);
      const values = decodeTile(info, hdu, t, n, tShape, stored, isQuantizedFloat, {
        compressed: (col("COMPRESSED_DATA") as FitsArray[] | undefined)?.[r],
        gzip: (col("GZIP_COMPRESSED_DATA") as FitsArray[] | undefined)?.[r],
        uncompressed: (col("UNCOMPRESSED_DATA") as FitsArray[] | undefined)?.[r],
        scale: numberAt(col("ZSCALE"), r) ?? constScale,
        zero: numberAt(col("ZZERO"), r) ?? hdu.header.getNumber("ZZERO"),
        blank: numberAt(col("ZBLANK"), r) ?? hdu.header.getInteger("ZBLANK"),
      });
      copyBox(values, tStart, tShape, out, start, end, shape);
    }
    k = j;
  }
  const axesOut = options.plane !== undefined && !options.section ? shape.slice(0, 2) : shape;
  if (options.raw || isQuantizedFloat) return { axes: axesOut, data: out, type: stored, start };
  const scaling = imageScaling(info.imageHeader);
  return {
    axes: axesOut,
    data: applyScaling(out, stored, scaling),
    type: scaledType(stored, scaling),
    start,
  };
}

function hasColumn(h: Header, name: string): number | undefined {
  const n = h.getInteger("TFIELDS") ?? 0;
  for (let i = 1; i <= n; i++) if (h.getString(`TTYPE${i}`)?.trim().toUpperCase() === name) return i;
  return undefined;
}

function numberAt(values: unknown, r: number): number | undefined {
  if (values === undefined || !ArrayBuffer.isView(values)) return undefined;
  const v = (values as FitsArray)[r];
  return v === undefined ? undefined : Number(v);
}

interface TileColumns {
  compressed: FitsArray | undefined;
  gzip: FitsArray | undefined;
  uncompressed: FitsArray | undefined;
  scale: number | undefined;
  zero: number | undefined;
  blank: number | undefined;
}

function bytesOf(a: FitsArray): Uint8Array {
  return a instanceof Uint8Array ? a : new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function inflate(bytes: Uint8Array, hdu: number): Uint8Array {
  try {
    return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : unzlibSync(bytes);
  } catch (err) {
    throw new FitsError("BAD_COMPRESSED", "a GZIP tile cannot be inflated", { hdu }, { cause: err });
  }
}

/** FITS 4.0 §10.4.2: GZIP_2 stores the most significant bytes of all pixels first. */
function unshuffle(bytes: Uint8Array, size: number): Uint8Array {
  const n = bytes.length / size;
  const out = new Uint8Array(bytes.length);
  for (let b = 0; b < size; b++) {
    const base = b * n;
    for (let i = 0; i < n; i++) out[i * size + b] = bytes[base + i] as number;
  }
  return out;
}

function decodeTile(
  info: CompressedImageInfo,
  hdu: HduInfo,
  tileIndex: number,
  n: number,
  tShape: number[],
  stored: ElementType,
  quantized: boolean,
  cols: TileColumns,
): FitsArray {
  const where = { hdu: hdu.index };
  const floatOut = stored === "float32" || stored === "float64";
  // A tile that could not be quantised is stored losslessly (FITS 4.0 §10.3).
  if ((cols.compressed === undefined || cols.compressed.length === 0) && cols.gzip && cols.gzip.length > 0) {
    const raw = inflate(bytesOf(cols.gzip), hdu.index);
    return decodeBigEndian(info.compression === "GZIP_2" ? unshuffle(raw, elementSize(stored)) : raw, stored);
  }
  if (
    (cols.compressed === undefined || cols.compressed.length === 0) &&
    cols.uncompressed &&
    cols.uncompressed.length > 0
  ) {
    return cols.uncompressed;
  }
  const data = cols.compressed;
  if (data === undefined) throw new FitsError("BAD_COMPRESSED", `tile ${tileIndex + 1} has no data`, where);
  // Integers as compressed: quantised floats are 32-bit integers.
  const intType: ElementType = quantized ? "int32" : stored;
  let ints: FitsArray;
  switch (info.compression) {
    case "RICE_1":
    case "RICE_ONE": {
      const bytepix = Number(info.parameters.get("BYTEPIX") ?? (quantized ? 4 : elementSize(stored)));
      const block = Number(info.parameters.get("BLOCKSIZE") ?? 32);
      if (bytepix !== 1 && bytepix !== 2 && bytepix !== 4) {
        throw new FitsError("BAD_COMPRESSED", `RICE_1 BYTEPIX = ${bytepix} is not 1, 2 or 4`, where);
      }
      const buf = bytepix === 1 ? new Uint8Array(n) : bytepix === 2 ? new Int16Array(n) : new Int32Array(n);
      riceDecode(bytesOf(data), n, bytepix, block, buf);
      ints = buf;
      break;
    }
    case "GZIP_1":
    case "GZIP_2": {
      let raw = inflate(bytesOf(data), hdu.index);
      const size = elementSize(intType);
      if (raw.length !== n * size) {
        throw new FitsError(
          "BAD_COMPRESSED",
          `GZIP tile ${tileIndex + 1} has ${raw.length} bytes, expected ${n * size}`,
          where,
        );
      }
      if (info.compression === "GZIP_2") raw = unshuffle(raw, size);
      ints = decodeBigEndian(raw, intType);
      break;
    }
    case "PLIO_1": {
      const words =
        data instanceof Int16Array ? data : (decodeBigEndian(bytesOf(data), "int16") as Int16Array);
      const buf = new Int32Array(n);
      plioDecode(words as Int16Array, n, buf);
      ints = buf;
      break;
    }
    case "HCOMPRESS_1": {
      const smooth = Number(info.parameters.get("SMOOTH") ?? 0);
      // HCOMPRESS works on 2-d tiles: nx is the faster axis.
      ints = hdecompress(bytesOf(data), smooth, tShape[0] ?? n, n / (tShape[0] ?? n));
      break;
    }
    case "NOCOMPRESS":
      ints = decodeBigEndian(bytesOf(data), intType);
      break;
  }
  if (quantized) {
    if (cols.scale === undefined)
      throw new FitsError("BAD_COMPRESSED", "quantised tile without ZSCALE", where);
    const out = allocate(stored, n) as Float32Array | Float64Array;
    const asInt = ints instanceof Int32Array ? ints : Int32Array.from(ints as ArrayLike<number>);
    const method = (
      info.quantize === undefined || info.quantize === "NONE" ? "NO_DITHER" : info.quantize
    ) as QuantizeMethod;
    unquantize(asInt, out, cols.scale, cols.zero ?? 0, method, tileIndex + 1, info.ditherSeed, cols.blank);
    return out;
  }
  if (floatOut) return ints;
  // Integer images: decoded integers of the image type (PLIO and HCOMPRESS give int32).
  if (ints.constructor === allocate(stored, 0).constructor) return ints;
  const out = allocate(stored, n);
  for (let i = 0; i < n; i++) (out as unknown as number[])[i] = Number(ints[i]);
  return out;
}

/** Copy the overlap of a tile (at `tStart`, `tShape`) into the output box. */
function copyBox(
  values: FitsArray,
  tStart: number[],
  tShape: number[],
  out: FitsArray,
  start: number[],
  end: number[],
  shape: number[],
): void {
  const nd = tStart.length;
  const lo = tStart.map((s, i) => Math.max(s, start[i] as number));
  const hi = tStart.map((s, i) => Math.min(s + (tShape[i] as number), end[i] as number));
  if (lo.some((l, i) => l >= (hi[i] as number))) return;
  const idx = lo.slice();
  const run = (hi[0] as number) - (lo[0] as number);
  const dst = out as unknown as { set(a: ArrayLike<number | bigint>, o: number): void };
  for (;;) {
    let src = 0;
    let dstOff = 0;
    let sStride = 1;
    let dStride = 1;
    for (let i = 0; i < nd; i++) {
      src += ((idx[i] as number) - (tStart[i] as number)) * sStride;
      dstOff += ((idx[i] as number) - (start[i] as number)) * dStride;
      sStride *= tShape[i] as number;
      dStride *= shape[i] as number;
    }
    dst.set(
      (values as unknown as { subarray(a: number, b: number): ArrayLike<number> }).subarray(src, src + run),
      dstOff,
    );
    let i = 1;
    for (; i < nd; i++) {
      idx[i] = (idx[i] as number) + 1;
      if ((idx[i] as number) < (hi[i] as number)) break;
      idx[i] = lo[i] as number;
    }
    if (i >= nd) break;
  }
}
