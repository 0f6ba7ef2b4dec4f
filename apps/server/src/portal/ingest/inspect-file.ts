/**
 * Inspect a stored file: detect its format, and for FITS read every HDU header (plain and .fz files
 * by ranged reads that skip the data; .fits.gz through a streaming gunzip), then extract the
 * searchable metadata and the frame type. Bad content never throws: it becomes warnings.
 */
import { createGunzip } from "node:zlib";
import type { FrameType } from "../../db/portal-schema.js";
import type { Storage } from "../../storage/storage.js";
import { collectBytes } from "./concat-bytes.js";
import { companionFormat, type FileFormat, isGzipMagic, namedLikeFits } from "./file-format.js";
import { type FitsMetadata, fitsMetadata } from "./fits-metadata.js";
import { frameTypeOf } from "./frame-type.js";
import { looksLikeFits, readFitsHeaders } from "./read-fits-headers.js";
import { RangeReader, type SequentialReader, StreamReader } from "./sequential-reader.js";

/** What {@link inspectStoredFile} found. */
export interface FileInspection {
  format: FileFormat;
  /** Metadata for FITS files (also partial ones), null for companions. */
  fits: FitsMetadata | null;
  frameType: FrameType | null;
  /** Everything worth telling the user (metadata warnings included). */
  warnings: string[];
}

const SNIFF_BYTES = 4096;

async function gunzipReader(storage: Storage, key: string): Promise<SequentialReader> {
  const raw = await storage.get(key);
  const gunzip = createGunzip();
  raw.on("error", (err) => gunzip.destroy(err));
  raw.pipe(gunzip);
  return new StreamReader(gunzip, gunzip);
}

/** Inspect the object `key` of `storage`, uploaded as `name` (a path within its dataset). */
export async function inspectStoredFile(
  storage: Storage,
  key: string,
  name: string,
): Promise<FileInspection> {
  const { size } = await storage.stat(key);
  const head =
    size === 0
      ? new Uint8Array(0)
      : await collectBytes(await storage.get(key, { start: 0, end: Math.min(size, SNIFF_BYTES) - 1 }));
  let reader: SequentialReader | undefined;
  let format: FileFormat;
  if (looksLikeFits(head)) {
    reader = new RangeReader((start, end) => storage.get(key, { start, end }), size);
    format = "fits";
  } else if (isGzipMagic(head)) {
    const peek = await gunzipReader(storage, key);
    let inner: Uint8Array;
    try {
      inner = await peek.read(9);
    } catch {
      inner = new Uint8Array(0);
    } finally {
      peek.close();
    }
    if (looksLikeFits(inner)) {
      reader = await gunzipReader(storage, key);
      format = "fits.gz";
    } else {
      format = "other";
    }
  } else {
    format = companionFormat(name, head);
  }
  const warnings: string[] = [];
  if (reader === undefined) {
    if (namedLikeFits(name)) {
      warnings.push(
        `named like a FITS file but is not one: ${isGzipMagic(head) ? "the gzip data does not start" : "it does not start"} with "SIMPLE  =" (stored as ${format})`,
      );
    }
    return { format, fits: null, frameType: frameTypeOf(null, name, false), warnings };
  }
  let fits: FitsMetadata;
  try {
    const found = await readFitsHeaders(reader);
    if (found.problem !== undefined) warnings.push(found.problem);
    if (found.trailingBytes > 0) warnings.push(`${found.trailingBytes} bytes after the last HDU ignored`);
    fits = fitsMetadata(found.hdus);
    if (format === "fits" && (/\.fz$/i.test(name) || found.hdus.some((h) => h.kind === "compressed-image"))) {
      format = "fz";
    }
  } finally {
    reader.close();
  }
  warnings.push(...fits.warnings);
  return { format, fits, frameType: frameTypeOf(fits.imageType, name, true), warnings };
}
