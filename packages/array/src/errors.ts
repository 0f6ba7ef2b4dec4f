/**
 * Tagged errors of `@meridian/array`. Every failure is an {@link ArrayError} with a literal `code`
 * and, where it applies, the array (variable or store path), the chunk key and the dimension name.
 */

/** Every code an {@link ArrayError} can carry. */
export type ArrayErrorCode =
  /** Shapes cannot be broadcast together or do not match what the operation needs. */
  | "SHAPE_MISMATCH"
  /** Dimension names or sizes disagree (same name, different length; wrong number of dims). */
  | "DIMENSION_MISMATCH"
  /** A dimension name that the array or dataset does not have. */
  | "UNKNOWN_DIMENSION"
  /** A variable or coordinate name that the dataset does not have. */
  | "UNKNOWN_VARIABLE"
  /** A value does not fit the dtype (cast or integer arithmetic out of range). */
  | "DTYPE_OVERFLOW"
  /** A dtype that is not known or not allowed for the operation. */
  | "DTYPE_UNSUPPORTED"
  /** An index outside an axis, or a label that is not in a coordinate. */
  | "INDEX_OUT_OF_RANGE"
  /** A label selection that found nothing. */
  | "LABEL_NOT_FOUND"
  /** An argument outside its domain. */
  | "INVALID_ARGUMENT"
  /** Zarr metadata (.zarray, .zattrs, .zmetadata, zarr.json) that is missing or malformed. */
  | "ZARR_METADATA"
  /** A Zarr chunk that is missing where required, truncated or corrupt. */
  | "ZARR_CHUNK"
  /** A GeoTIFF, FITS or HDF5 input that cannot be read as an array. */
  | "READ_FAILED"
  /** A lazy computation failed in a task. */
  | "COMPUTE_FAILED";

/** Where an {@link ArrayError} happened. */
export interface ArrayErrorOptions {
  cause?: unknown;
  /** The array: variable name or store path. */
  array?: string;
  /** The chunk key (e.g. `"0.3.1"` or `"c/0/3/1"`) or chunk grid index. */
  chunk?: string;
  /** The dimension name. */
  dimension?: string;
}

/** Base class of every error thrown by `@meridian/array`. */
export class ArrayError<C extends ArrayErrorCode = ArrayErrorCode> extends Error {
  readonly code: C;
  readonly array: string | undefined;
  readonly chunk: string | undefined;
  readonly dimension: string | undefined;

  constructor(code: C, message: string, options: ArrayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ArrayError";
    this.code = code;
    this.array = options.array;
    this.chunk = options.chunk;
    this.dimension = options.dimension;
  }
}

/** True when `err` is an {@link ArrayError}, optionally with the given `code`. */
export function isArrayError<C extends ArrayErrorCode>(err: unknown, code?: C): err is ArrayError<C> {
  return err instanceof ArrayError && (code === undefined || err.code === code);
}
