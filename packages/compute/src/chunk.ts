/**
 * Chunks: typed arrays on SharedArrayBuffer with a dtype and a shape. A chunk posted to a worker
 * thread shares its memory (structured clone of a SharedArrayBuffer shares, never copies).
 */

import { ComputeError } from "./errors.js";

/** Element types of a chunk. Complex types are interleaved (re, im) pairs of their float type. */
export type Dtype =
  | "bool"
  | "int8"
  | "uint8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "uint64"
  | "float32"
  | "float64"
  | "complex64"
  | "complex128";

/** The typed array that stores each dtype. */
export interface DtypeArrays {
  bool: Uint8Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  float32: Float32Array;
  float64: Float64Array;
  complex64: Float32Array;
  complex128: Float64Array;
}

/** Any typed array a chunk may hold. */
export type TypedArray = DtypeArrays[Dtype];

/** Typed arrays holding plain numbers (every dtype but int64/uint64). */
export type NumberArray = Exclude<TypedArray, BigInt64Array | BigUint64Array>;

/** A block of an n-dimensional array: C-order elements of `dtype` with `shape`. */
export interface Chunk<D extends Dtype = Dtype> {
  readonly dtype: D;
  /** Extent of each axis; the element count is the product (1 for shape `[]`). */
  readonly shape: readonly number[];
  /** C-order elements; complex dtypes hold 2 numbers per element. Usually SharedArrayBuffer-backed. */
  readonly data: DtypeArrays[D];
}

type ArrayCtor = new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => TypedArray;

const CTORS: Record<Dtype, { ctor: ArrayCtor; per: number }> = {
  bool: { ctor: Uint8Array, per: 1 },
  int8: { ctor: Int8Array, per: 1 },
  uint8: { ctor: Uint8Array, per: 1 },
  int16: { ctor: Int16Array, per: 1 },
  uint16: { ctor: Uint16Array, per: 1 },
  int32: { ctor: Int32Array, per: 1 },
  uint32: { ctor: Uint32Array, per: 1 },
  int64: { ctor: BigInt64Array, per: 1 },
  uint64: { ctor: BigUint64Array, per: 1 },
  float32: { ctor: Float32Array, per: 1 },
  float64: { ctor: Float64Array, per: 1 },
  complex64: { ctor: Float32Array, per: 2 },
  complex128: { ctor: Float64Array, per: 2 },
};

/** True for a known dtype name. */
export function isDtype(x: unknown): x is Dtype {
  return typeof x === "string" && Object.hasOwn(CTORS, x);
}

/** Bytes per element of `dtype` (complex64: 8). */
export function dtypeBytes(dtype: Dtype): number {
  const c = CTORS[dtype];
  return (c.ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT * c.per;
}

/** Element count of `shape` (product of extents; 1 for a 0-d chunk). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) {
      throw new ComputeError("INVALID_ARGUMENT", `shape [${shape.join(", ")}] has a bad extent ${s}`);
    }
    n *= s;
  }
  return n;
}

/**
 * A zeroed chunk on a new SharedArrayBuffer. Kernels allocate their outputs with this so results
 * travel between threads without copies.
 */
export function allocateChunk<D extends Dtype>(dtype: D, shape: readonly number[]): Chunk<D> {
  const c = CTORS[dtype];
  if (c === undefined) throw new ComputeError("INVALID_ARGUMENT", `unknown dtype ${JSON.stringify(dtype)}`);
  const length = shapeSize(shape) * c.per;
  const bytes = length * (c.ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const data = new c.ctor(new SharedArrayBuffer(bytes), 0, length) as DtypeArrays[D];
  return { dtype, shape: [...shape], data };
}

/** View `buffer` (shared or not) as a chunk of `dtype` and `shape`, without copying. */
export function chunkFromBuffer<D extends Dtype>(
  dtype: D,
  shape: readonly number[],
  buffer: ArrayBufferLike,
  byteOffset = 0,
): Chunk<D> {
  const c = CTORS[dtype];
  const length = shapeSize(shape) * c.per;
  return { dtype, shape: [...shape], data: new c.ctor(buffer, byteOffset, length) as DtypeArrays[D] };
}

/** True when `x` looks like a {@link Chunk} (dtype, shape and a typed array). */
export function isChunk(x: unknown): x is Chunk {
  if (typeof x !== "object" || x === null) return false;
  const c = x as { dtype?: unknown; shape?: unknown; data?: unknown };
  return isDtype(c.dtype) && Array.isArray(c.shape) && ArrayBuffer.isView(c.data);
}

/** Chunks inside a value: the value itself, or in arrays and plain objects (3 levels deep). */
export function chunksIn(x: unknown, depth = 3): Chunk[] {
  if (isChunk(x)) return [x];
  if (depth === 0 || typeof x !== "object" || x === null || ArrayBuffer.isView(x)) return [];
  const items = Array.isArray(x) ? x : Object.getPrototypeOf(x) === Object.prototype ? Object.values(x) : [];
  return items.flatMap((v) => chunksIn(v, depth - 1));
}

/** Bytes of the chunks a value holds (see {@link chunksIn}); 0 for anything else. */
export function valueBytes(x: unknown): number {
  let n = 0;
  for (const c of chunksIn(x)) n += c.data.byteLength;
  return n;
}

/**
 * Spare shared buffers for reuse, by exact byte length. A worker thread keeps one: the scheduler
 * hands it buffers of chunks nobody needs any more, and `ctx.allocate` takes from it before
 * allocating, so a long computation recycles a bounded set of buffers instead of waiting for
 * the garbage collector of every thread to let go of old ones.
 */
export class BufferPool {
  private readonly spare = new Map<number, SharedArrayBuffer[]>();
  private bytes = 0;

  /**
   * @param capacity Bytes of spare buffers kept at most; more are dropped.
   * @param perSize Spare buffers kept per byte length (a thread needs about one per task in flight).
   */
  constructor(
    readonly capacity: number,
    readonly perSize = Number.POSITIVE_INFINITY,
  ) {}

  /** Offer a buffer for reuse. Its old contents stay until overwritten. */
  give(buffer: SharedArrayBuffer): void {
    if (this.bytes + buffer.byteLength > this.capacity) return;
    let list = this.spare.get(buffer.byteLength);
    if (list === undefined) {
      list = [];
      this.spare.set(buffer.byteLength, list);
    }
    if (list.length >= this.perSize) return;
    list.push(buffer);
    this.bytes += buffer.byteLength;
  }

  /** A spare buffer of exactly `byteLength` bytes, if one is kept. */
  take(byteLength: number): SharedArrayBuffer | undefined {
    const b = this.spare.get(byteLength)?.pop();
    if (b !== undefined) this.bytes -= byteLength;
    return b;
  }

  /**
   * A chunk for a kernel's output: a recycled buffer when one fits (contents unspecified: the
   * kernel writes every element), else a new zeroed one.
   */
  allocate<D extends Dtype>(dtype: D, shape: readonly number[]): Chunk<D> {
    const c = CTORS[dtype];
    if (c === undefined) throw new ComputeError("INVALID_ARGUMENT", `unknown dtype ${JSON.stringify(dtype)}`);
    const length = shapeSize(shape) * c.per;
    const bytes = length * (c.ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    const buf = this.take(bytes);
    if (buf === undefined) return allocateChunk(dtype, shape);
    return { dtype, shape: [...shape], data: new c.ctor(buf, 0, length) as DtypeArrays[D] };
  }
}

/** The shared buffers under a value's chunks (see {@link chunksIn}). */
export function sharedBuffers(x: unknown): SharedArrayBuffer[] {
  const out: SharedArrayBuffer[] = [];
  for (const c of chunksIn(x)) if (c.data.buffer instanceof SharedArrayBuffer) out.push(c.data.buffer);
  return out;
}
