/**
 * The `Storage` interface: a flat namespace of immutable byte objects under `/`-separated keys.
 * The local-directory implementation is {@link LocalStorage}; an S3-compatible one can follow the
 * same contract (atomic visibility, streaming, ranged reads, tagged errors).
 */
import type { Readable } from "node:stream";

/** Bytes to store: any async iterable of byte chunks (a `Readable` without an encoding is one). */
export type ByteSource = AsyncIterable<Uint8Array> | Readable;

/** Options of {@link Storage.put}. */
export interface PutOptions {
  /** Lower-case or upper-case hex sha256 the bytes must have; on mismatch nothing is stored. */
  readonly expectedSha256?: string;
  /** Exact byte count the source must yield; on mismatch nothing is stored. */
  readonly expectedSize?: number;
  /** Largest accepted byte count; the write stops (TOO_LARGE) as soon as the source exceeds it. */
  readonly maxBytes?: number;
}

/** What {@link Storage.put} stored. */
export interface PutResult {
  readonly key: string;
  /** Bytes written. */
  readonly size: number;
  /** Lower-case hex sha256 of the bytes, computed while streaming. */
  readonly sha256: string;
}

/** Metadata of a stored object. */
export interface ObjectInfo {
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /** Time the object was last written. */
  readonly modifiedAt: Date;
}

/**
 * A byte range of an object: `start` and `end` are 0-based byte offsets, both inclusive (as in
 * HTTP `Range: bytes=start-end`). `end` defaults to the last byte.
 */
export interface ByteRange {
  readonly start: number;
  readonly end?: number;
}

/** Result of {@link Storage.cleanupTemp}. */
export interface CleanupResult {
  /** Number of abandoned temporary files removed. */
  readonly removed: number;
}

/** Options of {@link Storage.cleanupTemp}. */
export interface CleanupOptions {
  /**
   * Remove temporary files not modified for this long, milliseconds, even when their writer may
   * still exist (default one hour). Files of writers known to be dead are always removed.
   */
  readonly olderThanMs?: number;
}

/**
 * Object storage. Keys are `/`-separated relative paths (see `validateKey`): no empty, `.` or `..`
 * segments, no leading `/`, no backslash, NUL or control characters. Every method throws only
 * `StorageError`s.
 */
export interface Storage {
  /**
   * Stream `source` into the object `key`, replacing any previous object atomically: readers see
   * either the old bytes or all the new bytes, never a part. On any failure (source error, size or
   * checksum mismatch, `maxBytes` exceeded) nothing changes under `key`.
   */
  put(key: string, source: ByteSource, options?: PutOptions): Promise<PutResult>;
  /**
   * Stream the object's bytes, or the bytes of `range`. Throws NOT_FOUND, or RANGE_NOT_SATISFIABLE
   * (with the object's `size`) when the range is outside the object, before any byte is sent.
   */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Size and modification time. Throws NOT_FOUND. */
  stat(key: string): Promise<ObjectInfo>;
  /** True when an object is stored under `key`. */
  exists(key: string): Promise<boolean>;
  /** Remove the object; true when one was removed, false when there was none. */
  delete(key: string): Promise<boolean>;
  /**
   * Every object whose key starts with `prefix` (a plain string prefix, as in S3: `"img/2024-"`
   * matches `"img/2024-01.fits"`), in ascending code-unit order of keys.
   */
  list(prefix?: string): AsyncIterable<ObjectInfo>;
  /** Remove temporary files left behind by writers that died (run at start and now and then). */
  cleanupTemp(options?: CleanupOptions): Promise<CleanupResult>;
}
