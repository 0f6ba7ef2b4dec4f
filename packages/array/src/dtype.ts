/**
 * Data types: names follow numpy (`"float32"`, `"complex64"`, …). Storage is one typed array; a
 * complex element takes two consecutive slots (real, imaginary), as numpy lays it out.
 */
import { ArrayError } from "./errors.js";

/** Every element type an {@link NDArray} can hold. */
export type DType =
  | "bool"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "float32"
  | "float64"
  | "complex64"
  | "complex128";

/** The typed array behind each dtype. */
export type Storage =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** A complex number. */
export interface Complex {
  re: number;
  im: number;
}

/** One element as JavaScript sees it: bigint for 64-bit integers, {@link Complex} for complex. */
export type Scalar = number | bigint | boolean | Complex;

export const DTYPES: readonly DType[] = [
  "bool",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "float32",
  "float64",
  "complex64",
  "complex128",
];

interface DTypeInfo {
  kind: "b" | "i" | "u" | "f" | "c";
  /** Bytes per element. */
  size: number;
  ctor: new (n: number | ArrayBufferLike, offset?: number, length?: number) => Storage;
  /** Storage slots per element (2 for complex). */
  slots: number;
  min: number;
  max: number;
}

const INFO: Record<DType, DTypeInfo> = {
  bool: { kind: "b", size: 1, ctor: Uint8Array, slots: 1, min: 0, max: 1 },
  int8: { kind: "i", size: 1, ctor: Int8Array, slots: 1, min: -128, max: 127 },
  int16: { kind: "i", size: 2, ctor: Int16Array, slots: 1, min: -32768, max: 32767 },
  int32: { kind: "i", size: 4, ctor: Int32Array, slots: 1, min: -(2 ** 31), max: 2 ** 31 - 1 },
  int64: { kind: "i", size: 8, ctor: BigInt64Array, slots: 1, min: -(2 ** 63), max: 2 ** 63 - 1 },
  uint8: { kind: "u", size: 1, ctor: Uint8Array, slots: 1, min: 0, max: 255 },
  uint16: { kind: "u", size: 2, ctor: Uint16Array, slots: 1, min: 0, max: 65535 },
  uint32: { kind: "u", size: 4, ctor: Uint32Array, slots: 1, min: 0, max: 2 ** 32 - 1 },
  uint64: { kind: "u", size: 8, ctor: BigUint64Array, slots: 1, min: 0, max: 2 ** 64 - 1 },
  float32: { kind: "f", size: 4, ctor: Float32Array, slots: 1, min: -Infinity, max: Infinity },
  float64: { kind: "f", size: 8, ctor: Float64Array, slots: 1, min: -Infinity, max: Infinity },
  complex64: { kind: "c", size: 8, ctor: Float32Array, slots: 2, min: -Infinity, max: Infinity },
  complex128: { kind: "c", size: 16, ctor: Float64Array, slots: 2, min: -Infinity, max: Infinity },
};

const BIGINT_RANGE: Partial<Record<DType, [bigint, bigint]>> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

/** Validate a dtype name from outside. */
export function asDType(name: string, where?: { array?: string }): DType {
  if ((DTYPES as readonly string[]).includes(name)) return name as DType;
  throw new ArrayError("DTYPE_UNSUPPORTED", `unknown dtype "${name}"`, where);
}

/** "b" bool, "i" signed, "u" unsigned, "f" float, "c" complex (numpy's `dtype.kind`). */
export function dtypeKind(dtype: DType): "b" | "i" | "u" | "f" | "c" {
  return INFO[dtype].kind;
}

/** Bytes per element. */
export function itemSize(dtype: DType): number {
  return INFO[dtype].size;
}

/** Storage slots per element: 2 for complex, 1 otherwise. */
export function slotsPerElement(dtype: DType): number {
  return INFO[dtype].slots;
}

export function isBigIntDType(dtype: DType): dtype is "int64" | "uint64" {
  return dtype === "int64" || dtype === "uint64";
}

export function isIntegerDType(dtype: DType): boolean {
  const k = INFO[dtype].kind;
  return k === "i" || k === "u";
}

export function isFloatDType(dtype: DType): boolean {
  return INFO[dtype].kind === "f";
}

export function isComplexDType(dtype: DType): boolean {
  return INFO[dtype].kind === "c";
}

/** New zeroed storage for `n` elements. */
export function allocate(dtype: DType, n: number, shared = false): Storage {
  const info = INFO[dtype];
  if (!shared) return new info.ctor(n * info.slots);
  const buf = new SharedArrayBuffer(n * info.size);
  return new info.ctor(buf, 0, n * info.slots);
}

/** A typed-array view of `buffer` for `n` elements of `dtype`. */
export function storageView(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, n: number): Storage {
  const info = INFO[dtype];
  return new info.ctor(buffer, byteOffset, n * info.slots);
}

/** The real component dtype of a complex dtype (float32 for complex64). */
export function componentDType(dtype: DType): DType {
  if (dtype === "complex64") return "float32";
  if (dtype === "complex128") return "float64";
  return dtype;
}

/**
 * Check that `value` fits `dtype` exactly as an integer (or is a finite/any float for float dtypes)
 * and throw DTYPE_OVERFLOW otherwise.
 */
export function checkFits(dtype: DType, value: number | bigint, where: { array?: string } = {}): void {
  const info = INFO[dtype];
  if (info.kind === "f" || info.kind === "c") return;
  if (typeof value === "bigint") {
    const r = BIGINT_RANGE[dtype];
    const lo = r ? r[0] : BigInt(info.min);
    const hi = r ? r[1] : BigInt(info.max);
    if (value < lo || value > hi)
      throw new ArrayError("DTYPE_OVERFLOW", `${value} does not fit ${dtype} [${lo}, ${hi}]`, where);
    return;
  }
  if (info.kind === "b") {
    if (value !== 0 && value !== 1)
      throw new ArrayError("DTYPE_OVERFLOW", `${value} is not a bool (0 or 1)`, where);
    return;
  }
  if (!Number.isFinite(value) || value < info.min || value > info.max) {
    throw new ArrayError(
      "DTYPE_OVERFLOW",
      `${value} does not fit ${dtype} [${info.min}, ${info.max}]`,
      where,
    );
  }
  if (!Number.isInteger(value)) {
    throw new ArrayError("DTYPE_OVERFLOW", `${value} is not an integer; ${dtype} holds integers only`, where);
  }
}

const ORDER: DType[] = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64"];

function smallestInt(bitsSigned: number): DType {
  if (bitsSigned <= 8) return "int8";
  if (bitsSigned <= 16) return "int16";
  if (bitsSigned <= 32) return "int32";
  if (bitsSigned <= 64) return "int64";
  return "float64";
}

/** numpy's `result_type` for two array dtypes (numpy 1.24 promotion table). */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  const ka = INFO[a].kind;
  const kb = INFO[b].kind;
  if (ka === "c" || kb === "c") {
    const wide = a === "complex128" || b === "complex128" || a === "float64" || b === "float64";
    const intWide = [a, b].some((d) => ["int32", "uint32", "int64", "uint64"].includes(d));
    return wide || intWide ? "complex128" : "complex64";
  }
  if (ka === "f" || kb === "f") {
    if (a === "float64" || b === "float64") return "float64";
    const other = ka === "f" ? b : a;
    return ["bool", "int8", "uint8", "int16", "uint16"].includes(other) ? "float32" : "float64";
  }
  if (ka === "b") return b;
  if (kb === "b") return a;
  if (ka === kb) return ORDER.indexOf(a) > ORDER.indexOf(b) ? a : b;
  const s = ka === "i" ? a : b;
  const u = ka === "u" ? a : b;
  const sBits = INFO[s].size * 8;
  const uBits = INFO[u].size * 8;
  return uBits < sBits ? s : smallestInt(uBits * 2);
}

/** Dtype of `array op scalar` under numpy 1.24 value-based casting: the array dtype wins within a kind. */
export function promoteScalar(a: DType, scalar: number | boolean | Complex): DType {
  const k = INFO[a].kind;
  if (typeof scalar === "object") return k === "c" ? a : a === "float32" ? "complex64" : "complex128";
  if (typeof scalar === "boolean") return a;
  if (k === "f" || k === "c") return a;
  if (!Number.isInteger(scalar)) return "float64";
  if (k === "b") return "int64";
  if (scalar >= INFO[a].min && scalar <= INFO[a].max) return a;
  return promote(a, scalar < 0 ? smallestInt(Math.ceil(Math.log2(-scalar)) + 1) : "int64");
}

/** Dtype of a float result from `dtype` (numpy: ints and bool → float64, float32 stays). */
export function floatResult(dtype: DType): DType {
  const k = INFO[dtype].kind;
  if (k === "f" || k === "c") return dtype;
  return "float64";
}
