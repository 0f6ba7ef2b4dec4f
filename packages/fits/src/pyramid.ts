/**
 * Multi-resolution image pyramids for the viewer: each level halves (by default) the previous one
 * with a NaN-aware block mean or block maximum, down to a single tile. Edge blocks that stick out
 * of the image use the pixels they have; a block without finite pixels is NaN.
 */
import { FitsError } from "./errors.js";
import type { PixelArray } from "./image-stats.js";

/** How blocks are combined. */
export type DownsampleMethod = "mean" | "max";

/** One level of a pyramid (level 0 is full resolution). */
export interface PyramidLevel {
  level: number;
  /** Pixels of the full image per pixel of this level, along each axis. */
  factor: number;
  width: number;
  height: number;
  /** Values, row-major with NAXIS1 fastest, FITS row 1 first. */
  data: Float32Array;
}

/**
 * Downsample a width×height image by an integer `factor` (≥ 2) with a NaN-aware mean or max.
 * Output size is ⌈width/factor⌉ × ⌈height/factor⌉.
 */
export function downsample(
  data: PixelArray,
  width: number,
  height: number,
  method: DownsampleMethod = "mean",
  factor = 2,
): { data: Float32Array; width: number; height: number } {
  if (!Number.isInteger(factor) || factor < 2)
    throw new FitsError("INVALID_ARGUMENT", `downsampling factor must be an integer ≥ 2, got ${factor}`);
  if (data.length !== width * height) {
    throw new FitsError(
      "INVALID_ARGUMENT",
      `image of ${width}×${height} needs ${width * height} values, got ${data.length}`,
    );
  }
  const w = Math.ceil(width / factor);
  const h = Math.ceil(height / factor);
  const out = new Float32Array(w * h);
  // Accumulate one output row at a time: sums (or maxima) and counts per output column.
  const acc = new Float64Array(w);
  const cnt = new Uint32Array(w);
  for (let oy = 0; oy < h; oy++) {
    acc.fill(method === "max" ? Number.NEGATIVE_INFINITY : 0);
    cnt.fill(0);
    const y1 = Math.min(height, (oy + 1) * factor);
    for (let y = oy * factor; y < y1; y++) {
      const base = y * width;
      for (let x = 0; x < width; x++) {
        const v = data[base + x] as number;
        if (!Number.isFinite(v)) continue;
        const ox = (x / factor) | 0;
        if (method === "max") {
          if (v > (acc[ox] as number)) acc[ox] = v;
        } else acc[ox] = (acc[ox] as number) + v;
        cnt[ox] = (cnt[ox] as number) + 1;
      }
    }
    const o = oy * w;
    for (let ox = 0; ox < w; ox++) {
      const c = cnt[ox] as number;
      out[o + ox] = c === 0 ? Number.NaN : method === "max" ? (acc[ox] as number) : (acc[ox] as number) / c;
    }
  }
  return { data: out, width: w, height: h };
}

/** Options of {@link buildPyramid}. */
export interface PyramidOptions {
  method?: DownsampleMethod;
  /** Stop once both sides are ≤ this (default 256, the viewer's tile size). */
  tileSize?: number;
}

/** Build all levels, full resolution first, until the image fits in one tile. */
export function buildPyramid(
  data: PixelArray,
  width: number,
  height: number,
  options: PyramidOptions = {},
): PyramidLevel[] {
  const tile = options.tileSize ?? 256;
  const method = options.method ?? "mean";
  const levels: PyramidLevel[] = [{ level: 0, factor: 1, width, height, data: Float32Array.from(data) }];
  let cur = levels[0] as PyramidLevel;
  while (cur.width > tile || cur.height > tile) {
    const next = downsample(cur.data, cur.width, cur.height, method, 2);
    cur = { level: cur.level + 1, factor: cur.factor * 2, ...next };
    levels.push(cur);
  }
  return levels;
}

/** The number of tiles across and down a level. */
export function tileGrid(
  level: Pick<PyramidLevel, "width" | "height">,
  tileSize = 256,
): { columns: number; rows: number } {
  return { columns: Math.ceil(level.width / tileSize), rows: Math.ceil(level.height / tileSize) };
}

/**
 * One tile of a level as tileSize×tileSize float32 values (NaN beyond the image), tile (0, 0)
 * holding FITS pixel (1, 1).
 */
export function pyramidTile(level: PyramidLevel, column: number, row: number, tileSize = 256): Float32Array {
  const { columns, rows } = tileGrid(level, tileSize);
  if (
    !Number.isInteger(column) ||
    !Number.isInteger(row) ||
    column < 0 ||
    row < 0 ||
    column >= columns ||
    row >= rows
  ) {
    throw new FitsError(
      "INVALID_ARGUMENT",
      `tile (${column}, ${row}) is outside the ${columns}×${rows} grid of level ${level.level}`,
    );
  }
  const out = new Float32Array(tileSize * tileSize).fill(Number.NaN);
  const x0 = column * tileSize;
  const y0 = row * tileSize;
  const w = Math.min(tileSize, level.width - x0);
  const h = Math.min(tileSize, level.height - y0);
  for (let y = 0; y < h; y++) {
    const src = (y0 + y) * level.width + x0;
    out.set(level.data.subarray(src, src + w), y * tileSize);
  }
  return out;
}

/** Reads the box [x0, x1) × [y0, y1) (0-based, NAXIS1 first) of a full-resolution image. */
export type RegionReader = (x0: number, y0: number, x1: number, y1: number) => Promise<ArrayLike<number>>;

/**
 * One pyramid tile computed lazily from a region reader: only the full-resolution pixels under
 * the tile are read (tileSize·2^level square, clipped to the image), then halved `level` times.
 * Tile blocks align with the image origin, so the result equals the same tile of
 * {@link buildPyramid}'s level.
 */
export async function readPyramidTile(
  read: RegionReader,
  width: number,
  height: number,
  level: number,
  column: number,
  row: number,
  options: { method?: DownsampleMethod; tileSize?: number } = {},
): Promise<Float32Array> {
  const tile = options.tileSize ?? 256;
  if (!Number.isInteger(level) || level < 0 || level > 30) {
    throw new FitsError("INVALID_ARGUMENT", `pyramid level must be an integer in [0, 30], got ${level}`);
  }
  const f = 2 ** level;
  const levelWidth = dimensionAt(width, level);
  const levelHeight = dimensionAt(height, level);
  const { columns, rows } = tileGrid({ width: levelWidth, height: levelHeight }, tile);
  if (
    !Number.isInteger(column) ||
    !Number.isInteger(row) ||
    column < 0 ||
    row < 0 ||
    column >= columns ||
    row >= rows
  ) {
    throw new FitsError(
      "INVALID_ARGUMENT",
      `tile (${column}, ${row}) is outside the ${columns}×${rows} grid of level ${level}`,
    );
  }
  const x0 = column * tile * f;
  const y0 = row * tile * f;
  const x1 = Math.min(width, x0 + tile * f);
  const y1 = Math.min(height, y0 + tile * f);
  let cur: { data: ArrayLike<number>; width: number; height: number } = {
    data: await read(x0, y0, x1, y1),
    width: x1 - x0,
    height: y1 - y0,
  };
  for (let l = 0; l < level; l++)
    cur = downsample(cur.data, cur.width, cur.height, options.method ?? "mean", 2);
  const out = new Float32Array(tile * tile).fill(Number.NaN);
  for (let y = 0; y < cur.height; y++) {
    for (let x = 0; x < cur.width; x++) out[y * tile + x] = cur.data[y * cur.width + x] as number;
  }
  return out;
}

/** Size of an axis after `level` halvings (⌈n / 2⌉ each time). */
function dimensionAt(n: number, level: number): number {
  let m = n;
  for (let l = 0; l < level; l++) m = Math.ceil(m / 2);
  return m;
}
