/**
 * Tagged errors of the file storage. Every failure a {@link Storage} raises is a {@link StorageError}
 * with a literal `code` and the `key` it concerns; the HTTP layer maps codes to statuses.
 */

/** Every code a {@link StorageError} can carry. */
export type StorageErrorCode =
  /** The key is not a valid storage key (empty, `..`, absolute, backslash, NUL, symlink escape, …). */
  | "INVALID_KEY"
  /** An argument other than the key is malformed (range, expected checksum, non-byte chunk, …). */
  | "INVALID_ARGUMENT"
  /** No object is stored under the key. */
  | "NOT_FOUND"
  /** The key clashes with the store's layout: a path segment is an object, or the key is a "directory". */
  | "KEY_CONFLICT"
  /** The written bytes do not hash to the expected sha256. */
  | "CHECKSUM_MISMATCH"
  /** The written byte count differs from the expected size. */
  | "SIZE_MISMATCH"
  /** The source yielded more than `maxBytes`. */
  | "TOO_LARGE"
  /** A byte range lies outside the object. */
  | "RANGE_NOT_SATISFIABLE"
  /** The source stream of a write failed (e.g. the client went away). */
  | "SOURCE_FAILED"
  /** The file system failed (disk full, permissions, …); `errno` names the system code. */
  | "IO_ERROR";

/** Options shared by every {@link StorageError}. */
export interface StorageErrorOptions {
  /** The key the operation was about, when there is one. */
  key?: string;
  /** The underlying error. */
  cause?: unknown;
  /** System error code (ENOSPC, EACCES, …) for IO_ERROR. */
  errno?: string;
  /** Object size in bytes, for RANGE_NOT_SATISFIABLE (lets HTTP answer `Content-Range: bytes *\/size`). */
  size?: number;
}

/** Base class of every error thrown by the storage layer. */
export class StorageError<C extends StorageErrorCode = StorageErrorCode> extends Error {
  override readonly name = "StorageError";
  /** Stable machine-readable tag. */
  readonly code: C;
  /** The key concerned, if any. */
  readonly key: string | undefined;
  /** System error code for IO_ERROR. */
  readonly errno: string | undefined;
  /** Object size in bytes (RANGE_NOT_SATISFIABLE only). */
  readonly size: number | undefined;

  constructor(code: C, message: string, options: StorageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.key = options.key;
    this.errno = options.errno;
    this.size = options.size;
  }
}

/** True when `err` is a {@link StorageError} (with the given code, when one is passed). */
export function isStorageError<C extends StorageErrorCode>(err: unknown, code?: C): err is StorageError<C> {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
