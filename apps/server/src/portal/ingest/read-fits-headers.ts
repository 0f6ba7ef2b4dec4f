/**
 * Every HDU header of a FITS file read front to back from a {@link SequentialReader}: headers are
 * parsed, data is skipped by the size the header declares (FITS 4.0 §4.4.1), so memory stays at one
 * header whatever the file size. A file that ends early keeps the headers read so far and says
 * where it ends.
 */
import {
  BLOCK_SIZE,
  findEndCard,
  type HduInfo,
  isFitsError,
  layoutHdu,
  paddedLength,
  parseHeaderBytes,
} from "@meridian/fits";
import { concatBytes } from "./concat-bytes.js";
import type { SequentialReader } from "./sequential-reader.js";

/** Largest header accepted (a guard against a file of blocks with no END card). */
export const MAX_HEADER_BYTES = 16 * 1024 * 1024;

/** Result of {@link readFitsHeaders}. */
export interface FitsHeaders {
  readonly hdus: HduInfo[];
  /** Why reading stopped early (truncated data, a bad header), with the byte offset; else undefined. */
  readonly problem: string | undefined;
  /** Bytes after the last HDU that do not start an extension (ignored, as astropy does). */
  readonly trailingBytes: number;
}

/** The first bytes of every FITS file (FITS 4.0 §4.4.1.1). */
export const FITS_SIGNATURE = "SIMPLE  =";

/** True when `head` (at least 9 bytes) starts like a FITS file. */
export function looksLikeFits(head: Uint8Array): boolean {
  return head.length >= 9 && String.fromCharCode(...head.subarray(0, 9)) === FITS_SIGNATURE;
}

/** Read the headers; `reader` must be at the start of the file. Never throws for bad content. */
export async function readFitsHeaders(reader: SequentialReader): Promise<FitsHeaders> {
  const hdus: HduInfo[] = [];
  try {
    return await walk(reader, hdus);
  } catch (err) {
    // The bytes themselves failed (a corrupt gzip stream, a storage error): keep what was read.
    const detail = err instanceof Error ? err.message : String(err);
    return { hdus, problem: `reading stopped at byte ${reader.position}: ${detail}`, trailingBytes: 0 };
  }
}

async function walk(reader: SequentialReader, hdus: HduInfo[]): Promise<FitsHeaders> {
  let offset = 0;
  for (;;) {
    const index = hdus.length;
    const blocks: Uint8Array[] = [];
    let endCard = -1;
    let headerBytes = 0;
    while (endCard < 0) {
      const block = await reader.read(BLOCK_SIZE);
      if (block.length === 0 && index > 0 && headerBytes === 0) {
        return { hdus, problem: undefined, trailingBytes: 0 };
      }
      if (block.length < BLOCK_SIZE) {
        if (index > 0 && headerBytes === 0) {
          return { hdus, problem: undefined, trailingBytes: block.length };
        }
        return {
          hdus,
          problem: `the file ends inside the header of HDU ${index} (at byte ${offset + headerBytes + block.length})`,
          trailingBytes: 0,
        };
      }
      if (index > 0 && headerBytes === 0 && String.fromCharCode(...block.subarray(0, 8)) !== "XTENSION") {
        const rest = await reader.skip(Number.MAX_SAFE_INTEGER);
        return { hdus, problem: undefined, trailingBytes: block.length + rest };
      }
      blocks.push(block);
      endCard = findEndCard(block);
      headerBytes += BLOCK_SIZE;
      if (endCard < 0 && headerBytes >= MAX_HEADER_BYTES) {
        return {
          hdus,
          problem: `HDU ${index} has no END card in its first ${MAX_HEADER_BYTES} bytes (header at byte ${offset})`,
          trailingBytes: 0,
        };
      }
    }
    const bytes = concatBytes(blocks, headerBytes);
    let info: HduInfo;
    try {
      const { header, byteLength } = parseHeaderBytes(bytes, { hdu: index, offset });
      info = layoutHdu(header, index, offset, byteLength);
    } catch (err) {
      const detail = isFitsError(err) ? err.message : String(err);
      return { hdus, problem: `HDU ${index} header at byte ${offset}: ${detail}`, trailingBytes: 0 };
    }
    hdus.push(info);
    const dataBytes = paddedLength(info.dataLength);
    const skipped = await reader.skip(dataBytes);
    if (skipped < info.dataLength) {
      return {
        hdus,
        problem: `truncated: HDU ${index} declares ${info.dataLength} data bytes at byte ${info.dataOffset} but the file has only ${skipped}`,
        trailingBytes: 0,
      };
    }
    offset = info.dataOffset + dataBytes;
    if (skipped < dataBytes) return { hdus, problem: undefined, trailingBytes: 0 };
  }
}
