/**
 * FITS in the viewer before the tiled viewer exists: the HDU list with headers, and PNG previews
 * (one plane, block-averaged to the requested size, zscale or other limits, a stretch and a colormap)
 * cached in the viewer's cache directory under a key that includes size and mtime, so an
 * overwritten file gets a new preview and the tree is never written to.
 */
import {
  COLORMAP_NAMES,
  cardImages,
  type FitsFile,
  type Header,
  type IntervalSpec,
  parseInterval,
  parseStretch,
  renderPng,
  STRETCH_NAMES,
} from "@meridian/fits";
import { openFitsFile } from "@meridian/fits/node";
import { ServerError } from "../errors.js";
import { cachedDerivative } from "./thumbnail-cache.js";

export interface FitsHduSummary {
  readonly index: number;
  readonly kind: string;
  readonly name: string;
  /** Image axes (NAXISn, FITS order) for images; table rows × columns-bytes for tables. */
  readonly axes: number[];
  readonly bitpix: number;
  /** The header as 80-character card images. */
  readonly cards: string[];
}

export interface PreviewOptions {
  readonly hdu?: number;
  /** Longest side in pixels. */
  readonly size: number;
  readonly stretch: string;
  readonly cmap: string;
  /** Display limits: "zscale" (default), "minmax", "percentile:99.5", "manual:VMIN:VMAX". */
  readonly interval?: string;
}

function imageAxes(header: Header): number[] {
  const n = header.getNumber("NAXIS") ?? 0;
  const axes: number[] = [];
  for (let i = 1; i <= n; i++) axes.push(header.getNumber(`NAXIS${i}`) ?? 0);
  return axes;
}

function isImageKind(kind: string): boolean {
  return kind === "primary" || kind === "image" || kind === "compressed-image";
}

async function withFits<T>(real: string, fn: (fits: FitsFile) => Promise<T>): Promise<T> {
  let fits: FitsFile;
  try {
    fits = await openFitsFile(real);
  } catch (err) {
    throw new ServerError("BAD_REQUEST", `not a readable FITS file: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    return await fn(fits);
  } finally {
    await fits.close();
  }
}

/** Every HDU of the file with its header. */
export function fitsSummary(real: string): Promise<FitsHduSummary[]> {
  return withFits(real, async (fits) =>
    fits.hdus.map((h) => {
      const header = isImageKind(h.kind) ? fits.imageHeader(h.index) : h.header;
      return {
        index: h.index,
        kind: h.kind === "compressed-image" || h.kind === "primary" ? "image" : h.kind,
        name: h.name,
        axes: isImageKind(h.kind) ? imageAxes(header) : [...h.axes],
        bitpix: header.getNumber("BITPIX") ?? h.bitpix,
        cards: header.cards.flatMap((c) => cardImages(c)),
      };
    }),
  );
}

/** Mean of finite values over `f`×`f` blocks (NaN when a block has none). */
export function blockAverage(
  data: ArrayLike<number>,
  width: number,
  height: number,
  f: number,
): { data: Float32Array; width: number; height: number } {
  if (f <= 1) return { data: Float32Array.from(data), width, height };
  const w = Math.ceil(width / f);
  const h = Math.ceil(height / f);
  const sum = new Float64Array(w * h);
  const count = new Uint32Array(w * h);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / f) * w;
    const base = y * width;
    for (let x = 0; x < width; x++) {
      const v = data[base + x]!;
      if (Number.isFinite(v)) {
        const o = row + Math.floor(x / f);
        sum[o]! += v;
        count[o]!++;
      }
    }
  }
  const out = new Float32Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = count[i]! > 0 ? sum[i]! / count[i]! : Number.NaN;
  return { data: out, width: w, height: h };
}

/** Validate the user's stretch and colormap names. */
export function checkPreviewOptions(stretch: string, cmap: string): void {
  const name = stretch.split(":")[0] ?? "";
  if (!(STRETCH_NAMES as readonly string[]).includes(name)) {
    throw new ServerError(
      "BAD_REQUEST",
      `unknown stretch "${stretch}": use one of ${STRETCH_NAMES.join(", ")}`,
    );
  }
  if (!COLORMAP_NAMES.includes(cmap)) {
    throw new ServerError(
      "BAD_REQUEST",
      `unknown colormap "${cmap}": use one of ${COLORMAP_NAMES.join(", ")}`,
    );
  }
}

/** A PNG preview of an image HDU of `real`, from the cache when it is there. */
export async function fitsPreview(
  real: string,
  cacheDir: string,
  options: PreviewOptions,
): Promise<Uint8Array> {
  checkPreviewOptions(options.stretch, options.cmap);
  const interval = intervalOf(options.interval);
  const variant = [options.hdu ?? null, options.size, options.stretch, options.cmap, interval];
  const png = await cachedDerivative(cacheDir, "fits-previews", real, variant, () =>
    renderPreview(real, options, interval),
  );
  return png!;
}

function intervalOf(text: string | undefined): IntervalSpec {
  if (text === undefined) return { kind: "zscale" };
  try {
    return parseInterval(text);
  } catch (err) {
    throw new ServerError("BAD_REQUEST", (err as Error).message);
  }
}

async function renderPreview(
  real: string,
  options: PreviewOptions,
  interval: IntervalSpec,
): Promise<Uint8Array> {
  return withFits(real, async (fits) => {
    const hdu =
      options.hdu !== undefined
        ? fits.hdus[options.hdu]
        : fits.hdus.find(
            (h) =>
              isImageKind(h.kind) && imageAxes(fits.imageHeader(h.index)).filter((n) => n > 1).length >= 2,
          );
    if (hdu === undefined || !isImageKind(hdu.kind))
      throw new ServerError("NOT_FOUND", "no image HDU to preview");
    const axes = imageAxes(fits.imageHeader(hdu.index));
    if (axes.length < 2 || axes[0]! < 1 || axes[1]! < 1)
      throw new ServerError("BAD_REQUEST", `HDU ${hdu.index} is not an image`);
    // Cubes: the middle plane along NAXIS3 (edge channels are often empty), first along the others.
    const planes = axes.slice(2);
    const plane = planes.map((n, i) => (i === 0 ? Math.floor(n / 2) : 0));
    const image = await fits.readImage(hdu.index, planes.length > 0 ? { plane } : {});
    const width = axes[0]!;
    const height = axes[1]!;
    const values = image.data as ArrayLike<number>;
    const f = Math.max(1, Math.ceil(Math.max(width, height) / options.size));
    const small = blockAverage(values, width, height, f);
    const stretch = parseStretch(options.stretch, small.data);
    return renderPng(small.data, small.width, small.height, {
      interval,
      stretch,
      cmap: options.cmap,
    }).png;
  });
}
