/**
 * Ranged byte sources: the reader asks only for the byte ranges it needs, so a FITS file can sit
 * in memory, on disk (see `@meridian/fits/node`), behind HTTP range requests or in object storage.
 */
import { FitsError } from "./errors.js";

/** Random access to a byte sequence of known size. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /**
   * Read `length` bytes at `offset`. Implementations may return a view on shared memory; callers
   * must not modify it. Must return exactly `length` bytes when `offset + length <= size`.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: read `target.length` bytes at `offset` straight into `target` (saves a copy for
   * large reads, e.g. a file handle reading into the output array).
   */
  readInto?(offset: number, target: Uint8Array): Promise<void>;
  /** Release resources (file handles). Optional. */
  close?(): Promise<void>;
}

/** A byte source over bytes already in memory (no copy). */
export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset: number, length: number): Promise<Uint8Array> {
      if (offset < 0 || length < 0 || offset + length > bytes.length) {
        return Promise.reject(
          new FitsError("TRUNCATED", `read of ${length} bytes beyond the end (${bytes.length} bytes)`, {
            offset,
          }),
        );
      }
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
}

/** Read a range and check it is complete, mapping any failure to a tagged error. */
export async function readExactly(
  source: ByteSource,
  offset: number,
  length: number,
  hdu?: number,
): Promise<Uint8Array> {
  if (offset + length > source.size) {
    throw new FitsError("TRUNCATED", `needs ${length} bytes at ${offset} but the source has ${source.size}`, {
      hdu,
      offset: Math.min(offset, source.size),
    });
  }
  let bytes: Uint8Array;
  try {
    bytes = await source.read(offset, length);
  } catch (err) {
    if (err instanceof FitsError) throw err;
    throw new FitsError("IO", `reading ${length} bytes failed`, { hdu, offset }, { cause: err });
  }
  if (bytes.length !== length) {
    throw new FitsError("TRUNCATED", `short read: ${bytes.length} of ${length} bytes`, { hdu, offset });
  }
  return bytes;
}

/** A contiguous byte run to gather: `length` bytes at source `offset` go to `target` offset `to`. */
export interface ByteRun {
  offset: number;
  length: number;
  to: number;
}

/**
 * Copy many runs from `source` into `target`, merging nearby runs into one read so a rectangle of
 * an image costs few reads while bytes far outside it are never fetched.
 */
export async function gatherRuns(
  source: ByteSource,
  runs: readonly ByteRun[],
  target: Uint8Array,
  hdu?: number,
  maxGap = 65536,
  maxRead = 8 * 1024 * 1024,
): Promise<void> {
  if (source.readInto) {
    for (const r of runs) {
      if (r.offset + r.length > source.size) {
        throw new FitsError(
          "TRUNCATED",
          `needs ${r.length} bytes at ${r.offset} but the source has ${source.size}`,
          { hdu, offset: r.offset },
        );
      }
      try {
        await source.readInto(r.offset, target.subarray(r.to, r.to + r.length));
      } catch (err) {
        if (err instanceof FitsError) throw err;
        throw new FitsError(
          "IO",
          `reading ${r.length} bytes failed`,
          { hdu, offset: r.offset },
          { cause: err },
        );
      }
    }
    return;
  }
  let i = 0;
  while (i < runs.length) {
    const first = runs[i] as ByteRun;
    let j = i + 1;
    let end = first.offset + first.length;
    while (j < runs.length) {
      const r = runs[j] as ByteRun;
      if (r.offset < end || r.offset - end > maxGap || r.offset + r.length - first.offset > maxRead) break;
      end = r.offset + r.length;
      j++;
    }
    const bytes = await readExactly(source, first.offset, end - first.offset, hdu);
    for (let k = i; k < j; k++) {
      const r = runs[k] as ByteRun;
      target.set(bytes.subarray(r.offset - first.offset, r.offset - first.offset + r.length), r.to);
    }
    i = j;
  }
}
