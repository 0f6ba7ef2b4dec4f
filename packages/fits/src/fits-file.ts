/**
 * Opening a FITS file: walk the HDUs reading headers only (data is skipped by its size), then read
 * data on demand through the typed readers.
 */
import { gunzipSync } from "fflate";
import { type AsciiColumnData, readAsciiTable } from "./ascii-table.js";
import { type ReadTableOptions, readBinaryTable, type TableData } from "./bintable.js";
import { type ByteSource, bufferSource, readExactly } from "./byte-source.js";
import { compressedImageInfo, readCompressedImage } from "./compressed-image.js";
import { FitsError } from "./errors.js";
import { type HduInfo, layoutHdu, paddedLength } from "./hdu-layout.js";
import type { Header } from "./header.js";
import { BLOCK_SIZE, findEndCard, parseHeaderBytes } from "./header.js";
import { type RandomGroups, readRandomGroups } from "./random-groups.js";
import { type ImageData, type ReadImageOptions, readImageData } from "./read-image.js";

/** Choose an HDU by index, by EXTNAME (case-insensitive) or by EXTNAME and EXTVER. */
export type HduSelector = number | string | { name: string; version?: number };

/** Options of {@link FitsFile.open}. */
export interface OpenOptions {
  /** Stop after this many HDUs (default: all). */
  maxHdus?: number;
}

const MAX_HEADER_CHUNK = 4 * 1024 * 1024;

/** True when `bytes` start with the gzip magic number (RFC 1952 §2.3.1). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** A FITS file opened for reading. */
export class FitsFile {
  /** The bytes the HDUs are read from (decompressed when the input was gzip). */
  readonly source: ByteSource;
  readonly hdus: readonly HduInfo[];
  /** Bytes after the last HDU that do not form an extension (ignored, as astropy does). */
  readonly trailingBytes: number;
  /** True when the input was gzip-compressed and was inflated into memory. */
  readonly gzipped: boolean;

  private constructor(source: ByteSource, hdus: HduInfo[], trailingBytes: number, gzipped: boolean) {
    this.source = source;
    this.hdus = hdus;
    this.trailingBytes = trailingBytes;
    this.gzipped = gzipped;
  }

  /**
   * Open `input` and read every header (no data). A gzip stream (`.fits.gz`) is inflated into
   * memory first, since gzip allows no random access.
   */
  static async open(input: ByteSource | Uint8Array, options: OpenOptions = {}): Promise<FitsFile> {
    let source = input instanceof Uint8Array ? bufferSource(input) : input;
    let gzipped = false;
    // One read serves the gzip test, the SIMPLE test and the first header block.
    let first = await readExactly(source, 0, Math.min(source.size, BLOCK_SIZE));
    if (isGzip(first)) {
      const all = await readExactly(source, 0, source.size);
      let inflated: Uint8Array;
      try {
        inflated = gunzipSync(all);
      } catch (err) {
        throw new FitsError(
          "TRUNCATED",
          "the gzip stream is corrupt or truncated",
          { offset: 0 },
          { cause: err },
        );
      }
      await source.close?.();
      source = bufferSource(inflated);
      gzipped = true;
      first = inflated.subarray(0, Math.min(inflated.length, BLOCK_SIZE));
    }
    if (source.size < BLOCK_SIZE) {
      throw new FitsError("NOT_FITS", `a FITS file has at least 2880 bytes; this has ${source.size}`, {
        offset: 0,
      });
    }
    if (String.fromCharCode(...first.subarray(0, 9)) !== "SIMPLE  =") {
      throw new FitsError("NOT_FITS", "the file does not start with SIMPLE  =", { hdu: 0, offset: 0 });
    }
    const hdus: HduInfo[] = [];
    let offset = 0;
    let trailing = 0;
    const max = options.maxHdus ?? Number.POSITIVE_INFINITY;
    while (offset < source.size && hdus.length < max) {
      const index = hdus.length;
      if (index > 0) {
        if (source.size - offset < BLOCK_SIZE) {
          trailing = source.size - offset;
          break;
        }
        const start = await readExactly(source, offset, 8, index);
        if (String.fromCharCode(...start) !== "XTENSION") {
          trailing = source.size - offset;
          break;
        }
      }
      const { header, byteLength } = await readHeader(source, offset, index, index === 0 ? first : undefined);
      const info = layoutHdu(header, index, offset, byteLength);
      if (info.dataOffset + info.dataLength > source.size) {
        throw new FitsError(
          "TRUNCATED",
          `data of ${info.dataLength} bytes claimed but only ${Math.max(0, source.size - info.dataOffset)} remain`,
          { hdu: index, offset: info.dataOffset },
        );
      }
      hdus.push(info);
      offset = info.dataOffset + paddedLength(info.dataLength);
    }
    return new FitsFile(source, hdus, trailing, gzipped);
  }

  /** The HDU chosen by `selector`. */
  hdu(selector: HduSelector): HduInfo {
    if (typeof selector === "number") {
      const h = this.hdus[selector];
      if (!h)
        throw new FitsError("NOT_FOUND", `no HDU ${selector}; the file has ${this.hdus.length}`, {
          hdu: selector,
        });
      return h;
    }
    const name = (typeof selector === "string" ? selector : selector.name).toUpperCase();
    const version = typeof selector === "string" ? undefined : selector.version;
    const h = this.hdus.find(
      (x) => x.name.toUpperCase() === name && (version === undefined || x.version === version),
    );
    if (!h)
      throw new FitsError(
        "NOT_FOUND",
        `no HDU named ${name}${version === undefined ? "" : ` version ${version}`}`,
      );
    return h;
  }

  /** Read an image HDU (or a box, or a plane of a cube). */
  readImage(selector: HduSelector = 0, options: ReadImageOptions = {}): Promise<ImageData> {
    const hdu = this.hdu(selector);
    if (hdu.kind === "compressed-image") return readCompressedImage(this.source, hdu, options);
    return readImageData(this.source, hdu, options);
  }

  /** The image header of an HDU: for a tile-compressed image the uncompressed image's header. */
  imageHeader(selector: HduSelector): Header {
    const hdu = this.hdu(selector);
    return hdu.kind === "compressed-image" ? compressedImageInfo(hdu).imageHeader : hdu.header;
  }

  /** Read rows (and columns) of a binary table. */
  readTable(selector: HduSelector, options: ReadTableOptions = {}): Promise<TableData> {
    return readBinaryTable(this.source, this.hdu(selector), options);
  }

  /** Read rows (and columns) of an ASCII table. */
  readAsciiTable(
    selector: HduSelector,
    options: { start?: number; end?: number; columns?: readonly (string | number)[] } = {},
  ): Promise<{ rows: number; start: number; columns: AsciiColumnData[] }> {
    return readAsciiTable(this.source, this.hdu(selector), options);
  }

  /** Read groups of a random-groups primary HDU. */
  readGroups(
    selector: HduSelector = 0,
    options: { start?: number; end?: number } = {},
  ): Promise<RandomGroups> {
    return readRandomGroups(this.source, this.hdu(selector), options);
  }

  /** The raw data bytes of an HDU (unpadded), e.g. to copy it elsewhere. */
  readDataBytes(selector: HduSelector): Promise<Uint8Array> {
    const h = this.hdu(selector);
    return readExactly(this.source, h.dataOffset, h.dataLength, h.index);
  }

  /** Release the source. */
  async close(): Promise<void> {
    await this.source.close?.();
  }
}

/**
 * Read the header that starts at `offset`, growing reads until the END card (`firstBlock`: its
 * first 2880 bytes when already read).
 */
async function readHeader(
  source: ByteSource,
  offset: number,
  index: number,
  firstBlock?: Uint8Array,
): Promise<{ header: Header; byteLength: number }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let chunk = BLOCK_SIZE;
  let prefetched = firstBlock?.length === BLOCK_SIZE ? firstBlock : undefined;
  for (;;) {
    const remaining = source.size - offset - total;
    const blocks = Math.floor(remaining / BLOCK_SIZE);
    if (blocks === 0) {
      throw new FitsError(
        total === 0 ? "TRUNCATED" : "BAD_HEADER",
        total === 0 ? "the file ends inside a header" : "header has no END card before the end of the file",
        { hdu: index, offset: offset + total },
      );
    }
    const n = prefetched ? BLOCK_SIZE : Math.min(chunk, blocks * BLOCK_SIZE);
    const bytes = prefetched ?? (await readExactly(source, offset + total, n, index));
    prefetched = undefined;
    chunks.push(bytes);
    total += n;
    const end = findEndCard(bytes);
    if (end >= 0) {
      const used = total - n + Math.ceil((end + 1) / 36) * BLOCK_SIZE;
      let all: Uint8Array;
      if (chunks.length === 1) all = bytes.subarray(0, used);
      else {
        all = new Uint8Array(used);
        let p = 0;
        for (const c of chunks) {
          const take = Math.min(c.length, used - p);
          all.set(c.subarray(0, take), p);
          p += take;
        }
      }
      return parseHeaderBytes(all, { hdu: index, offset });
    }
    chunk = Math.min(chunk * 4, MAX_HEADER_CHUNK);
  }
}
