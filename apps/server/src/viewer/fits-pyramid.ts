/**
 * Float32 tile pyramids of FITS image planes for the interactive viewer, built lazily and cached
 * outside the tree. Level 0 is the image itself: its tiles are read straight from the file (only
 * the box under the tile). Levels ≥ 1 halve the previous one with a NaN-aware 2×2 mean
 * (@meridian/fits `downsample`, ⌈n/2⌉ sizes) down to one tile; they are made in one streamed pass
 * over the plane, 256 rows at a time, and stored tile by tile in one file keyed by the file's real
 * path, size, mtime, HDU and plane, so a rewritten file gets a new pyramid. The same pass gathers the
 * plane's statistics: exact min/max/mean, zscale (exact when the plane has no blanks or is sampled
 * whole), percentiles of a regular sample of at most 2^20 pixels (exact up to that size) and a
 * 2048-step quantile table from at most 2^17 of them (histogram and histogram equalisation).
 */
import { createHash } from "node:crypto";
import { access, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  downsample,
  type FitsFile,
  percentiles as percentilesOf,
  toNumberArray,
  zscale,
} from "@meridian/fits";
import { ServerError } from "../errors.js";

/** Tile side in pixels. */
export const TILE = 256;
/** Largest regular sample used for percentiles and quantiles. */
const MAX_SAMPLE = 1 << 20;
/** Number of quantile intervals sent to the browser (histogram and histogram equalisation). */
const QUANTILES = 2048;
/** Values behind the quantile table. */
const QUANTILE_SAMPLE = 1 << 17;
/** Central percentages whose limits are precomputed. */
export const PERCENTS = [90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99] as const;

/** One level of a plane's pyramid. */
export interface LevelInfo {
  readonly level: number;
  readonly width: number;
  readonly height: number;
  readonly columns: number;
  readonly rows: number;
}

/** Statistics of one plane. */
export interface PlaneStats {
  /** Finite pixels. */
  readonly count: number;
  /** NaN or infinite pixels. */
  readonly blank: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly std: number | null;
  /** IRAF/astropy zscale limits. */
  readonly zscale: [number, number] | null;
  /** True when `zscale` used exactly astropy's samples (no blanks, or the whole plane sampled). */
  readonly zscaleExact: boolean;
  /** Central-percentage limits, e.g. "99.5": [0.25th, 99.75th percentile]. */
  readonly percentiles: Record<string, [number, number]>;
  /** Values at q = i/QUANTILES (i = 0…QUANTILES) of the sample, numpy's linear rule. */
  readonly quantiles: number[];
  /** Pixels in the sample (every `sampleStride`-th pixel of the plane, finite ones). */
  readonly sampleSize: number;
  readonly sampleStride: number;
}

/** A built plane: its levels and statistics, and where levels ≥ 1 are stored. */
export interface PlanePyramid {
  readonly levels: LevelInfo[];
  readonly stats: PlaneStats;
  /** File holding levels ≥ 1, tile after tile (TILE×TILE float32 little-endian, NaN-padded). */
  readonly file: string;
  /** Byte offset in `file` of each level (index = level; level 0 is not stored). */
  readonly offsets: number[];
}

/** Sizes of all levels of a width×height plane, full resolution first, until it fits one tile. */
export function pyramidLevels(width: number, height: number): LevelInfo[] {
  const levels: LevelInfo[] = [];
  let w = width;
  let h = height;
  for (let level = 0; ; level++) {
    levels.push({ level, width: w, height: h, columns: Math.ceil(w / TILE), rows: Math.ceil(h / TILE) });
    if (w <= TILE && h <= TILE) return levels;
    w = Math.ceil(w / 2);
    h = Math.ceil(h / 2);
  }
}

/** Values of a sorted array at percentile `p` (0–100), numpy's "linear" method. */
function sortedPercentile(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (p / 100) * (n - 1);
  const lo = Math.floor(pos);
  const frac = pos - lo;
  const a = sorted[lo] as number;
  if (frac === 0 || lo + 1 >= n) return a;
  const b = sorted[lo + 1] as number;
  return frac >= 0.5 ? b - (b - a) * (1 - frac) : a + (b - a) * frac;
}

/** Accumulates statistics over the plane's pixels in row-major order. */
class StatsPass {
  private count = 0;
  private blank = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private sum = 0;
  private sumSq = 0;
  private readonly stride: number;
  private readonly sample: Float64Array;
  private sampleN = 0;
  // astropy's zscale takes every zStride-th finite value, at most 1000; when the plane has no
  // blanks these are pixels k·zStride, known before reading.
  private readonly zStride: number;
  private readonly zCount: number;
  private readonly zSample: Float64Array;
  private zN = 0;
  private index = 0;
  private nextSample = 0;
  private nextZ = 0;

  constructor(readonly total: number) {
    this.stride = Math.max(1, Math.ceil(total / MAX_SAMPLE));
    this.sample = new Float64Array(Math.ceil(total / this.stride));
    this.zStride = Math.trunc(Math.max(1, total / 1000));
    this.zCount = Math.min(1000, Math.ceil(total / this.zStride));
    this.zSample = new Float64Array(this.zCount);
  }

  add(values: ArrayLike<number>): void {
    // Sample positions are kept as the next index due, so the loop has no divisions.
    let index = this.index;
    let nextSample = this.nextSample;
    let nextZ = this.nextZ;
    let { count, blank, min, max, sum, sumSq, sampleN, zN } = this;
    for (let i = 0; i < values.length; i++, index++) {
      const v = values[i] as number;
      if (index === nextZ) {
        if (zN < this.zCount) this.zSample[zN++] = v;
        nextZ += this.zStride;
      }
      if (v - v !== 0) {
        // NaN or ±Infinity.
        blank++;
        if (index === nextSample) nextSample += this.stride;
        continue;
      }
      count++;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      sumSq += v * v;
      if (index === nextSample) {
        this.sample[sampleN++] = v;
        nextSample += this.stride;
      }
    }
    Object.assign(this, { index, nextSample, nextZ, count, blank, min, max, sum, sumSq, sampleN, zN });
  }

  finish(): PlaneStats {
    const sample = this.sample.subarray(0, this.sampleN);
    let z: [number, number] | null = null;
    let zscaleExact = false;
    if (this.count > 0) {
      if (this.blank === 0) {
        z = zscale(this.zSample.subarray(0, this.zN));
        zscaleExact = true;
      } else {
        z = zscale(sample);
        zscaleExact = this.stride === 1;
      }
    }
    const percentiles: Record<string, [number, number]> = {};
    const quantiles: number[] = [];
    if (sample.length > 0) {
      const ps = PERCENTS.flatMap((p) => [(100 - p) / 2, 100 - (100 - p) / 2]);
      const values = percentilesOf(sample, ps);
      PERCENTS.forEach((p, i) => {
        percentiles[String(p)] = [values[2 * i] as number, values[2 * i + 1] as number];
      });
      // A 2048-step CDF needs far fewer than 2^20 values: every k-th of the sample, sorted.
      const k = Math.max(1, Math.floor(sample.length / QUANTILE_SAMPLE));
      const sub = new Float64Array(Math.ceil(sample.length / k));
      for (let i = 0, j = 0; i < sample.length; i += k) sub[j++] = sample[i] as number;
      sub.sort();
      for (let i = 0; i <= QUANTILES; i++) quantiles.push(sortedPercentile(sub, (100 * i) / QUANTILES));
    }
    const mean = this.count > 0 ? this.sum / this.count : null;
    return {
      count: this.count,
      blank: this.blank,
      min: this.count > 0 ? this.min : null,
      max: this.count > 0 ? this.max : null,
      mean,
      std: mean === null ? null : Math.sqrt(Math.max(0, this.sumSq / this.count - mean * mean)),
      zscale: z,
      zscaleExact,
      percentiles,
      quantiles,
      sampleSize: sample.length,
      sampleStride: this.stride,
    };
  }
}

/** Reads `rows` full-width rows of the plane starting at row `y0` (0-based). */
export type BandReader = (y0: number, rows: number) => Promise<ArrayLike<number>>;

/**
 * Stream a width×height plane through `read` 256 rows at a time, writing levels ≥ 1 tile by tile
 * to `file` and returning the statistics. Memory: one band per level (≈ 2 × 256 rows of the plane).
 */
export async function buildPlanePyramid(
  read: BandReader,
  width: number,
  height: number,
  file: string,
): Promise<{ levels: LevelInfo[]; offsets: number[]; stats: PlaneStats }> {
  const levels = pyramidLevels(width, height);
  const offsets: number[] = [0];
  let bytes = 0;
  for (const l of levels.slice(1)) {
    offsets.push(bytes);
    bytes += l.columns * l.rows * TILE * TILE * 4;
  }
  const stats = new StatsPass(width * height);
  const fd = levels.length > 1 ? await open(file, "w") : null;
  try {
    // Per level ≥ 1: a band of up to TILE rows waiting to be cut into tiles.
    const bands = levels.map((l) => ({ data: new Float32Array(TILE * l.width), rows: 0, band: 0 }));
    const tileBuf = new Float32Array(TILE * TILE);
    const flush = async (level: number): Promise<void> => {
      const info = levels[level] as LevelInfo;
      const b = bands[level] as (typeof bands)[number];
      if (b.rows === 0) return;
      for (let c = 0; c < info.columns; c++) {
        tileBuf.fill(Number.NaN);
        const x0 = c * TILE;
        const w = Math.min(TILE, info.width - x0);
        for (let y = 0; y < b.rows; y++) {
          const src = y * info.width + x0;
          tileBuf.set(b.data.subarray(src, src + w), y * TILE);
        }
        const pos = (offsets[level] as number) + (b.band * info.columns + c) * TILE * TILE * 4;
        await fd!.write(new Uint8Array(tileBuf.buffer), 0, tileBuf.byteLength, pos);
      }
      const rows = b.rows;
      b.rows = 0;
      b.band++;
      if (level + 1 < levels.length) await push(level + 1, b.data.subarray(0, rows * info.width), rows);
    };
    // Rows of level `level - 1` (an even count, except at the very end) go down one level.
    const push = async (level: number, upper: Float32Array, upperRows: number): Promise<void> => {
      const above = levels[level - 1] as LevelInfo;
      const info = levels[level] as LevelInfo;
      const half = downsample(upper, above.width, upperRows, "mean", 2);
      const b = bands[level] as (typeof bands)[number];
      b.data.set(half.data, b.rows * info.width);
      b.rows += half.height;
      if (b.rows === TILE) await flush(level);
    };
    for (let y0 = 0; y0 < height; y0 += TILE) {
      const rows = Math.min(TILE, height - y0);
      const values = await read(y0, rows);
      stats.add(values);
      if (levels.length > 1)
        await push(1, values instanceof Float32Array ? values : Float32Array.from(values), rows);
    }
    for (let level = 1; level < levels.length; level++) await flush(level);
  } finally {
    await fd?.close();
  }
  return { levels, offsets, stats: stats.finish() };
}

/** What identifies a plane of an image HDU in a file. */
export interface PlaneKey {
  readonly real: string;
  readonly hdu: number;
  /** Indices along NAXIS3, NAXIS4, … (empty for a 2-d image). */
  readonly plane: readonly number[];
}

const building = new Map<string, Promise<PlanePyramid>>();
/** Fraction of rows read by builds under way, by plane. */
const progress = new Map<string, number>();

function progressKey(key: PlaneKey): string {
  return `${key.real}\0${key.hdu}\0${key.plane.join(",")}`;
}

/** How far the build of a plane's pyramid has got (0–1), or null when none is under way. */
export function pyramidProgress(key: PlaneKey): number | null {
  return progress.get(progressKey(key)) ?? null;
}
const memo = new Map<string, PlanePyramid>();
const MEMO_LIMIT = 64;

/** Version of the on-disk layout; bump to orphan old caches. */
const LAYOUT = 1;

/**
 * The pyramid of a plane, built on first use (concurrent callers share one build) and read back
 * from `cacheDir/fits-pyramids` afterwards.
 */
export async function planePyramid(
  cacheDir: string,
  key: PlaneKey,
  fits: () => Promise<FitsFile>,
  width: number,
  height: number,
): Promise<PlanePyramid> {
  const info = await stat(key.real);
  const id = createHash("sha256")
    .update(JSON.stringify([LAYOUT, key.real, info.size, info.mtimeMs, key.hdu, key.plane]))
    .digest("hex")
    .slice(0, 40);
  const dir = join(cacheDir, "fits-pyramids", id.slice(0, 2));
  const file = join(dir, `${id}.f32`);
  const metaFile = join(dir, `${id}.json`);
  // A cache emptied by hand (or by a cleaner) while we run is rebuilt, not an error.
  const present = (levels: number) =>
    levels <= 1 ||
    access(file).then(
      () => true,
      () => false,
    );
  const known = memo.get(id);
  if (known !== undefined && (await present(known.levels.length))) return known;
  memo.delete(id);
  const running = building.get(id);
  if (running !== undefined) return running;
  const work = (async (): Promise<PlanePyramid> => {
    const cached = await readFile(metaFile, "utf8").catch(() => null);
    if (cached !== null) {
      const meta = JSON.parse(cached) as Omit<PlanePyramid, "file">;
      if (await present(meta.levels.length)) return { ...meta, file };
    }
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const f = await fits();
    const pk = progressKey(key);
    progress.set(pk, 0);
    try {
      const axes = key.plane.length;
      const built = await buildPlanePyramid(
        async (y0, rows) => {
          progress.set(pk, y0 / height);
          const image = await f.readImage(key.hdu, {
            section: {
              start: [0, y0, ...key.plane],
              end: [width, y0 + rows, ...key.plane.map((p) => p + 1)],
            },
          });
          if (image.axes.length !== 2 + axes)
            throw new ServerError("INTERNAL_ERROR", "unexpected section shape");
          return toNumberArray(image.data);
        },
        width,
        height,
        tmp,
      );
      if (built.levels.length > 1) await rename(tmp, file);
      const meta = { levels: built.levels, offsets: built.offsets, stats: built.stats };
      const metaTmp = `${metaFile}.${process.pid}.tmp`;
      await writeFile(metaTmp, JSON.stringify(meta));
      await rename(metaTmp, metaFile);
      return { ...meta, file };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    } finally {
      progress.delete(pk);
      await f.close();
    }
  })();
  building.set(id, work);
  try {
    const done = await work;
    memo.set(id, done);
    if (memo.size > MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
    return done;
  } finally {
    building.delete(id);
  }
}

/** One stored tile of level ≥ 1, cropped to the part inside the level. */
export async function readStoredTile(
  pyramid: PlanePyramid,
  level: number,
  column: number,
  row: number,
): Promise<{ data: Float32Array; width: number; height: number }> {
  const info = pyramid.levels[level] as LevelInfo;
  const fd = await open(pyramid.file, "r");
  const full = new Float32Array(TILE * TILE);
  try {
    const pos = (pyramid.offsets[level] as number) + (row * info.columns + column) * TILE * TILE * 4;
    const { bytesRead } = await fd.read(new Uint8Array(full.buffer), 0, full.byteLength, pos);
    if (bytesRead !== full.byteLength)
      throw new ServerError("INTERNAL_ERROR", `pyramid cache file is short at level ${level}`);
  } finally {
    await fd.close();
  }
  const width = Math.min(TILE, info.width - column * TILE);
  const height = Math.min(TILE, info.height - row * TILE);
  if (width === TILE) return { data: full.subarray(0, TILE * height), width, height };
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) out.set(full.subarray(y * TILE, y * TILE + width), y * width);
  return { data: out, width, height };
}

/** Limits of the pyramid cache kept by {@link prunePyramids}. */
export interface PruneLimits {
  /** Entries older than this are removed (default 30 days). */
  readonly maxAgeMs?: number;
  /** Beyond this many bytes the oldest entries go first (default 8 GiB). */
  readonly maxBytes?: number;
}

/**
 * Keep the pyramid cache bounded: entries (a `.f32` file and its `.json`) left by files that
 * changed or were never opened again are removed when older than `maxAgeMs`, and the oldest go
 * first while the cache is over `maxBytes`. Returns the number of files removed.
 */
export async function prunePyramids(
  cacheDir: string,
  limits: PruneLimits = {},
  now = Date.now(),
): Promise<number> {
  const maxAge = limits.maxAgeMs ?? 30 * 24 * 3600 * 1000;
  const maxBytes = limits.maxBytes ?? 8 * 1024 ** 3;
  const root = join(cacheDir, "fits-pyramids");
  const entries: { path: string; size: number; mtimeMs: number }[] = [];
  for (const dir of await readdir(root).catch(() => [] as string[])) {
    for (const name of await readdir(join(root, dir)).catch(() => [] as string[])) {
      const path = join(root, dir, name);
      const info = await stat(path).catch(() => null);
      if (info?.isFile()) entries.push({ path, size: info.size, mtimeMs: info.mtimeMs });
    }
  }
  entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
  let total = entries.reduce((sum, e) => sum + e.size, 0);
  let removed = 0;
  for (const e of entries) {
    if (now - e.mtimeMs <= maxAge && total <= maxBytes) break;
    // A build under way writes `.tmp` files; leave recent ones alone.
    if (e.path.endsWith(".tmp") && now - e.mtimeMs < 3600 * 1000) continue;
    await rm(e.path, { force: true });
    memo.delete(e.path.replace(/^.*\//, "").replace(/\..*$/, ""));
    total -= e.size;
    removed++;
  }
  return removed;
}
