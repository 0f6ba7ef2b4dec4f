/**
 * Thumbnails of data files: the first 2-d image of a FITS file (middle plane of a cube),
 * block-averaged strip by strip straight from storage (only the image's bytes are read, never more
 * than a strip of rows at a time), zscale limits, asinh stretch, grey; PNG companions are shrunk.
 * Cached on disk by content (sha256 and size), so a cached thumbnail never goes stale.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type ByteSource, FitsFile, parseStretch, renderPng } from "@meridian/fits";
import { ServerError } from "../errors.js";
import type { Storage } from "../storage/storage.js";
import { blockAverage } from "../viewer/fits-preview.js";
import { pngThumbnail } from "../viewer/png-thumbnail.js";

/** A ranged byte source over a stored object. */
export async function storageSource(storage: Storage, key: string): Promise<ByteSource> {
  const { size } = await storage.stat(key);
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (length === 0) return new Uint8Array(0);
      const chunks: Buffer[] = [];
      for await (const chunk of await storage.get(key, { start: offset, end: offset + length - 1 }))
        chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
}

const FITS_FORMATS = new Set(["fits", "fits.gz", "fz"]);
const isImageKind = (kind: string) => kind === "primary" || kind === "image" || kind === "compressed-image";

async function renderFits(source: ByteSource, size: number): Promise<Uint8Array | null> {
  const fits = await FitsFile.open(source);
  try {
    for (const hdu of fits.hdus) {
      if (!isImageKind(hdu.kind)) continue;
      const header = fits.imageHeader(hdu.index);
      const naxis = header.getNumber("NAXIS") ?? 0;
      const axes: number[] = [];
      for (let i = 1; i <= naxis; i++) axes.push(header.getNumber(`NAXIS${i}`) ?? 0);
      if (axes.length < 2 || axes[0]! < 2 || axes[1]! < 2) continue;
      const [width, height] = [axes[0]!, axes[1]!];
      // Cubes: the middle plane along NAXIS3, the first along further axes.
      const plane = axes.slice(2).map((n, i) => (i === 0 ? Math.floor(n / 2) : 0));
      const f = Math.max(1, Math.ceil(Math.max(width, height) / size));
      const outWidth = Math.ceil(width / f);
      const out = new Float32Array(outWidth * Math.ceil(height / f));
      for (let y0 = 0, row = 0; y0 < height; y0 += f, row++) {
        const y1 = Math.min(height, y0 + f);
        const strip = await fits.readImage(hdu.index, {
          section: { start: [0, y0, ...plane], end: [width, y1, ...plane.map((p) => p + 1)] },
        });
        const small = blockAverage(strip.data as ArrayLike<number>, width, y1 - y0, f);
        out.set(small.data, row * outWidth);
      }
      const outHeight = out.length / outWidth;
      return renderPng(out, outWidth, outHeight, {
        interval: { kind: "zscale" },
        stretch: parseStretch("asinh", out),
        cmap: "gray",
      }).png;
    }
    return null;
  } finally {
    await fits.close();
  }
}

/** Inputs of {@link fileThumbnail}. */
export interface ThumbnailFile {
  readonly storageKey: string;
  readonly sha256: string;
  readonly format: string;
  readonly name: string;
}

/**
 * A PNG thumbnail of `file` whose longer side is at most `size` pixels.
 *
 * @throws ServerError NOT_FOUND when the file holds no 2-d image; BAD_REQUEST when it cannot be read.
 */
export async function fileThumbnail(
  storage: Storage,
  cacheDir: string,
  file: ThumbnailFile,
  size: number,
): Promise<Uint8Array> {
  const path = join(cacheDir, "portal-thumbnails", file.sha256.slice(0, 2), `${file.sha256}-${size}.png`);
  const cached = await readFile(path).catch(() => null);
  if (cached !== null) return cached;
  let png: Uint8Array | null = null;
  try {
    if (FITS_FORMATS.has(file.format))
      png = await renderFits(await storageSource(storage, file.storageKey), size);
    else if (file.format === "png") {
      const chunks: Buffer[] = [];
      for await (const chunk of await storage.get(file.storageKey)) chunks.push(chunk as Buffer);
      png = pngThumbnail(new Uint8Array(Buffer.concat(chunks)), size);
    }
  } catch (err) {
    throw new ServerError(
      "BAD_REQUEST",
      `cannot make a thumbnail of "${file.name}": ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  if (png === null) throw new ServerError("NOT_FOUND", `"${file.name}" has no image to show`);
  await mkdir(join(path, ".."), { recursive: true });
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temp, png);
  await rename(temp, path);
  return png;
}
