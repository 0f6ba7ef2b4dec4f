/**
 * The interactive FITS viewer's server side: image description (axes, planes, pyramid levels, WCS
 * keywords, statistics), float32 tiles and single pixel values. Files stay open for a short while
 * (a few at a time) so a burst of tile requests does not reparse headers each time.
 */
import { stat } from "node:fs/promises";
import { cardImages, type FitsFile, type Header, parseWcs, toNumberArray } from "@meridian/fits";
import { openFitsFile } from "@meridian/fits/node";
import { ServerError } from "../errors.js";
import {
  type LevelInfo,
  type PlaneKey,
  type PlanePyramid,
  type PlaneStats,
  planePyramid,
  pyramidProgress,
  readStoredTile,
  TILE,
} from "./fits-pyramid.js";

/** WCS keywords as the server understood them (the browser evaluates the WCS from the header). */
export interface WcsSummary {
  readonly ctype: string[];
  readonly cunit: string[];
  readonly crpix: number[];
  readonly crval: number[];
  /** Pixel → intermediate world matrix, row-major (CD, or CDELT·PC). */
  readonly matrix: number[];
  readonly frame: string | null;
  readonly equinox: number | null;
  readonly celestial: boolean;
  readonly warnings: string[];
}

/** What the browser needs to show one plane of an image HDU. */
export interface FitsImageInfo {
  readonly path: string;
  readonly hdu: number;
  /** NAXISn, FITS order. */
  readonly axes: number[];
  readonly bitpix: number;
  readonly bunit: string | null;
  /** Indices of the plane shown along NAXIS3, NAXIS4, … */
  readonly plane: number[];
  readonly tileSize: number;
  readonly levels: LevelInfo[];
  readonly stats: PlaneStats;
  readonly wcs: WcsSummary | null;
  readonly wcsError: string | null;
  /** Changes when the file changes; put it in tile URLs so caches never mix versions. */
  readonly version: string;
  /** The header as 80-character card images (for the browser's WCS and the header view). */
  readonly cards: string[];
}

interface OpenHandle {
  fits: FitsFile;
  users: number;
  timer: NodeJS.Timeout | undefined;
  version: string;
}

const handles = new Map<string, Promise<OpenHandle>>();
/** Largest band of whole rows read for one level-0 tile (bytes). */
const FULL_ROWS_LIMIT = 1024 * 1024;
const IDLE_MS = 20_000;

async function versionOf(real: string): Promise<string> {
  const info = await stat(real);
  return `${info.size.toString(36)}-${Math.round(info.mtimeMs).toString(36)}`;
}

/** Run `fn` with the FITS file at `real` open (shared with concurrent callers). */
export async function withOpenFits<T>(
  real: string,
  fn: (fits: FitsFile, version: string) => Promise<T>,
): Promise<T> {
  const version = await versionOf(real);
  const key = `${real}\0${version}`;
  let entry = handles.get(key);
  if (entry === undefined) {
    entry = openFitsFile(real).then(
      (fits) => ({ fits, users: 0, timer: undefined, version }),
      (err: unknown) => {
        handles.delete(key);
        throw new ServerError("BAD_REQUEST", `not a readable FITS file: ${(err as Error).message}`, {
          cause: err,
        });
      },
    );
    handles.set(key, entry);
  }
  const h = await entry;
  h.users++;
  if (h.timer) clearTimeout(h.timer);
  h.timer = undefined;
  try {
    return await fn(h.fits, version);
  } finally {
    h.users--;
    if (h.users === 0) {
      h.timer = setTimeout(() => {
        if (h.users > 0) return;
        handles.delete(key);
        void h.fits.close();
      }, IDLE_MS);
      h.timer.unref();
    }
  }
}

/** Close every file kept open (when the viewer stops). */
export async function closeOpenFits(): Promise<void> {
  const all = [...handles.values()];
  handles.clear();
  for (const p of all) {
    const h = await p.catch(() => null);
    if (h === null) continue;
    if (h.timer) clearTimeout(h.timer);
    await h.fits.close();
  }
}

function isImageKind(kind: string): boolean {
  return kind === "primary" || kind === "image" || kind === "compressed-image";
}

function imageAxes(header: Header): number[] {
  const n = header.getNumber("NAXIS") ?? 0;
  const axes: number[] = [];
  for (let i = 1; i <= n; i++) axes.push(header.getNumber(`NAXIS${i}`) ?? 0);
  return axes;
}

/** The first HDU with a 2-d (or larger) image, or the one asked for, checked. */
function imageHdu(
  fits: FitsFile,
  hdu: number | undefined,
): { index: number; header: Header; axes: number[] } {
  const candidates =
    hdu === undefined
      ? fits.hdus.filter((h) => isImageKind(h.kind))
      : fits.hdus.filter((h) => h.index === hdu);
  for (const h of candidates) {
    if (!isImageKind(h.kind))
      throw new ServerError("BAD_REQUEST", `HDU ${h.index} is a ${h.kind}, not an image`);
    const header = fits.imageHeader(h.index);
    const axes = imageAxes(header);
    if (axes.length >= 2 && axes[0]! > 0 && axes[1]! > 0) return { index: h.index, header, axes };
    if (hdu !== undefined) throw new ServerError("BAD_REQUEST", `HDU ${h.index} has no 2-d image`);
  }
  throw new ServerError("NOT_FOUND", hdu === undefined ? "no image HDU in this file" : `no HDU ${hdu}`);
}

/** Parse "3" or "3,0" into plane indices, checked against the cube's axes. */
export function parsePlane(text: string | undefined, axes: readonly number[]): number[] {
  const extra = axes.slice(2);
  const given = text === undefined || text.trim() === "" ? [] : text.split(",").map((s) => Number(s.trim()));
  if (given.length > extra.length)
    throw new ServerError(
      "BAD_REQUEST",
      `plane has ${given.length} indices but the image has ${extra.length} extra axes`,
    );
  return extra.map((n, i) => {
    const v = given[i] ?? 0;
    if (!Number.isInteger(v) || v < 0 || v >= n)
      throw new ServerError("BAD_REQUEST", `plane index ${given[i]} is outside axis ${i + 3} of length ${n}`);
    return v;
  });
}

function wcsSummary(header: Header): { wcs: WcsSummary | null; error: string | null } {
  try {
    const w = parseWcs(header, {
      naxis: Math.max(2, header.getNumber("WCSAXES") ?? header.getNumber("NAXIS") ?? 2),
    });
    return {
      wcs: {
        ctype: w.axes.map((a) => a.ctype),
        cunit: w.axes.map((a) => a.unit),
        crpix: [...w.crpix],
        crval: [...w.crval],
        matrix: [...w.matrix],
        frame: w.frame ?? null,
        equinox: w.equinox ?? null,
        celestial: w.hasCelestial,
        warnings: [...w.warnings],
      },
      error: null,
    };
  } catch (err) {
    return { wcs: null, error: (err as Error).message };
  }
}

function pyramidOf(
  cacheDir: string,
  real: string,
  index: number,
  axes: number[],
  plane: number[],
): Promise<PlanePyramid> {
  const key: PlaneKey = { real, hdu: index, plane };
  // The build reads through its own handle so a long build never holds the shared one.
  return planePyramid(cacheDir, key, () => openFitsFile(real), axes[0]!, axes[1]!).catch((err: unknown) => {
    if (err instanceof ServerError) throw err;
    throw new ServerError("BAD_REQUEST", `reading the image failed: ${(err as Error).message}`, {
      cause: err,
    });
  });
}

/** Describe one plane of an image HDU (building its pyramid and statistics on first use). */
export function fitsImageInfo(
  cacheDir: string,
  real: string,
  rel: string,
  options: { hdu?: number; plane?: string },
): Promise<FitsImageInfo> {
  return withOpenFits(real, async (fits, version) => {
    const { index, header, axes } = imageHdu(fits, options.hdu);
    const plane = parsePlane(options.plane, axes);
    const pyramid = await pyramidOf(cacheDir, real, index, axes, plane);
    const { wcs, error } = wcsSummary(header);
    const bunit = header.get("BUNIT");
    return {
      path: rel,
      hdu: index,
      axes,
      bitpix: header.getNumber("BITPIX") ?? 0,
      bunit: typeof bunit === "string" ? bunit : null,
      plane,
      tileSize: TILE,
      levels: pyramid.levels,
      stats: pyramid.stats,
      wcs,
      wcsError: error,
      version,
      cards: header.cards.flatMap((c) => cardImages(c)),
    };
  });
}

/** One tile as float32 values (host byte order), cropped to the level's edge. */
export function fitsTile(
  cacheDir: string,
  real: string,
  options: { hdu?: number; plane?: string; level: number; column: number; row: number },
): Promise<{ data: Float32Array; width: number; height: number }> {
  return withOpenFits(real, async (fits) => {
    const { index, axes } = imageHdu(fits, options.hdu);
    const plane = parsePlane(options.plane, axes);
    const { level, column, row } = options;
    if (level === 0) {
      const columns = Math.ceil(axes[0]! / TILE);
      const rows = Math.ceil(axes[1]! / TILE);
      if (column >= columns || row >= rows)
        throw new ServerError(
          "NOT_FOUND",
          `tile (${column}, ${row}) is outside the ${columns}×${rows} grid of level 0`,
        );
      const x0 = column * TILE;
      const y0 = row * TILE;
      const x1 = Math.min(axes[0]!, x0 + TILE);
      const y1 = Math.min(axes[1]!, y0 + TILE);
      const width = x1 - x0;
      const height = y1 - y0;
      // Narrow images: one read of whole rows (a single run) beats one read per tile row.
      const whole = axes[0]! * height * 4 <= FULL_ROWS_LIMIT;
      const image = await fits.readImage(index, {
        section: whole
          ? { start: [0, y0, ...plane], end: [axes[0]!, y1, ...plane.map((p) => p + 1)] }
          : { start: [x0, y0, ...plane], end: [x1, y1, ...plane.map((p) => p + 1)] },
      });
      const values = toNumberArray(image.data);
      if (!whole) return { data: Float32Array.from(values), width, height };
      const out = new Float32Array(width * height);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) out[y * width + x] = values[y * axes[0]! + x0 + x] as number;
      return { data: out, width, height };
    }
    const pyramid = await pyramidOf(cacheDir, real, index, axes, plane);
    const info = pyramid.levels[level];
    if (info === undefined)
      throw new ServerError(
        "NOT_FOUND",
        `level ${level} does not exist (levels 0–${pyramid.levels.length - 1})`,
      );
    if (column >= info.columns || row >= info.rows)
      throw new ServerError(
        "NOT_FOUND",
        `tile (${column}, ${row}) is outside the ${info.columns}×${info.rows} grid of level ${level}`,
      );
    return readStoredTile(pyramid, level, column, row);
  });
}

/** The value of one pixel (1-based FITS pixel indices), reading 1 element. */
export function fitsPixel(
  real: string,
  options: { hdu?: number; plane?: string; x: number; y: number },
): Promise<{ x: number; y: number; value: number | null }> {
  return withOpenFits(real, async (fits) => {
    const { index, axes } = imageHdu(fits, options.hdu);
    const plane = parsePlane(options.plane, axes);
    const { x, y } = options;
    if (x < 1 || y < 1 || x > axes[0]! || y > axes[1]!)
      throw new ServerError("BAD_REQUEST", `pixel (${x}, ${y}) is outside the ${axes[0]}×${axes[1]} image`);
    const image = await fits.readImage(index, {
      section: { start: [x - 1, y - 1, ...plane], end: [x, y, ...plane.map((p) => p + 1)] },
    });
    const v = toNumberArray(image.data)[0] as number;
    return { x, y, value: Number.isFinite(v) ? v : null };
  });
}

/** How far the pyramid and statistics of a plane have been built (null: not building now). */
export function fitsProgress(
  real: string,
  options: { hdu?: number; plane?: string },
): Promise<{ building: boolean; fraction: number | null }> {
  return withOpenFits(real, async (fits) => {
    const { index, axes } = imageHdu(fits, options.hdu);
    const fraction = pyramidProgress({ real, hdu: index, plane: parsePlane(options.plane, axes) });
    return { building: fraction !== null, fraction };
  });
}
