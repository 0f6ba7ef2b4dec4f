/**
 * Element types of FITS arrays and the big-endian decoding of stored bytes (FITS 4.0 §5.2:
 * integers are two's complement, floats IEEE 754, all big-endian).
 */
import { FitsError, type FitsErrorLocation } from "./errors.js";

/** Valid BITPIX values (FITS 4.0 Table 8). */
export type Bitpix = 8 | 16 | 32 | 64 | -32 | -64;

/** Element type names of decoded arrays. */
export type ElementType =
  | "uint8"
  | "int8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "uint64"
  | "float32"
  | "float64";

/** Any typed array the reader returns. */
export type FitsArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** Check that `value` is a valid BITPIX. */
export function checkBitpix(value: unknown, where: FitsErrorLocation): Bitpix {
  if (value === 8 || value === 16 || value === 32 || value === 64 || value === -32 || value === -64)
    return value;
  throw new FitsError("BAD_BITPIX", `BITPIX = ${String(value)} is not one of 8, 16, 32, 64, -32, -64`, {
    ...where,
    keyword: "BITPIX",
  });
}

/** Stored element type of a BITPIX. */
export function bitpixType(bitpix: Bitpix): ElementType {
  switch (bitpix) {
    case 8:
      return "uint8";
    case 16:
      return "int16";
    case 32:
      return "int32";
    case 64:
      return "int64";
    case -32:
      return "float32";
    case -64:
      return "float64";
  }
}

/** Bytes per element of a type. */
export function elementSize(type: ElementType): number {
  switch (type) {
    case "uint8":
    case "int8":
      return 1;
    case "int16":
    case "uint16":
      return 2;
    case "int32":
    case "uint32":
    case "float32":
      return 4;
    default:
      return 8;
  }
}

/** Allocate a typed array of `type` and `length`. */
export function allocate(type: ElementType, length: number): FitsArray {
  switch (type) {
    case "uint8":
      return new Uint8Array(length);
    case "int8":
      return new Int8Array(length);
    case "int16":
      return new Int16Array(length);
    case "uint16":
      return new Uint16Array(length);
    case "int32":
      return new Int32Array(length);
    case "uint32":
      return new Uint32Array(length);
    case "int64":
      return new BigInt64Array(length);
    case "uint64":
      return new BigUint64Array(length);
    case "float32":
      return new Float32Array(length);
    case "float64":
      return new Float64Array(length);
  }
}

/** View an ArrayBuffer region as `type` (offset must be aligned). */
export function view(
  type: ElementType,
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
): FitsArray {
  switch (type) {
    case "uint8":
      return new Uint8Array(buffer, byteOffset, length);
    case "int8":
      return new Int8Array(buffer, byteOffset, length);
    case "int16":
      return new Int16Array(buffer, byteOffset, length);
    case "uint16":
      return new Uint16Array(buffer, byteOffset, length);
    case "int32":
      return new Int32Array(buffer, byteOffset, length);
    case "uint32":
      return new Uint32Array(buffer, byteOffset, length);
    case "int64":
      return new BigInt64Array(buffer, byteOffset, length);
    case "uint64":
      return new BigUint64Array(buffer, byteOffset, length);
    case "float32":
      return new Float32Array(buffer, byteOffset, length);
    case "float64":
      return new Float64Array(buffer, byteOffset, length);
  }
}

/** The part of Node's Buffer used here (looked up at run time; absent in browsers). */
interface NodeBufferLike {
  from(
    buffer: ArrayBufferLike,
    byteOffset: number,
    length: number,
  ): { swap16(): void; swap32(): void; swap64(): void };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverse byte order in place for elements of `size` bytes (2, 4 or 8) in an aligned buffer. */
export function swapInPlace(bytes: Uint8Array, size: number): void {
  if (!LITTLE_ENDIAN || size === 1) return;
  const n = bytes.length / size;
  // Node's Buffer swaps natively (several times faster); browsers use the loops below.
  const NodeBuffer = (globalThis as { Buffer?: NodeBufferLike }).Buffer;
  if (NodeBuffer !== undefined && bytes.length >= 4096) {
    const b = NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    if (size === 2) b.swap16();
    else if (size === 4) b.swap32();
    else b.swap64();
    return;
  }
  if (size === 2) {
    const a = new Uint16Array(bytes.buffer, bytes.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const x = a[i] as number;
      a[i] = ((x & 0xff) << 8) | (x >>> 8);
    }
  } else if (size === 4) {
    // Int32Array keeps every value a small integer in V8 (Uint32 values above 2^31 are boxed).
    const a = new Int32Array(bytes.buffer, bytes.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const x = a[i] as number;
      a[i] = (x >>> 24) | ((x >> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24);
    }
  } else {
    const a = new Int32Array(bytes.buffer, bytes.byteOffset, n * 2);
    for (let i = 0; i < 2 * n; i += 2) {
      const x = a[i] as number;
      const y = a[i + 1] as number;
      a[i] = (y >>> 24) | ((y >> 8) & 0xff00) | ((y & 0xff00) << 8) | (y << 24);
      a[i + 1] = (x >>> 24) | ((x >> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24);
    }
  }
}

/**
 * Decode big-endian stored elements into a new native typed array. `bytes` is copied, never
 * modified.
 */
export function decodeBigEndian(bytes: Uint8Array, type: ElementType): FitsArray {
  const size = elementSize(type);
  const n = Math.floor(bytes.length / size);
  const copy = new Uint8Array(n * size);
  copy.set(bytes.subarray(0, n * size));
  swapInPlace(copy, size);
  return view(type, copy.buffer, 0, n);
}

/** Decode in place: `bytes` must own an aligned buffer region; it is byte-swapped and viewed. */
export function decodeBigEndianInPlace(bytes: Uint8Array, type: ElementType): FitsArray {
  const size = elementSize(type);
  if (bytes.byteOffset % size !== 0) return decodeBigEndian(bytes, type);
  swapInPlace(bytes, size);
  return view(type, bytes.buffer, bytes.byteOffset, bytes.length / size);
}

/** Encode native elements as big-endian bytes (a new buffer). */
export function encodeBigEndian(data: FitsArray): Uint8Array {
  const out = new Uint8Array(data.byteLength);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  swapInPlace(out, data.BYTES_PER_ELEMENT);
  return out;
}

/** Element type of a typed array. */
export function typeOfArray(data: FitsArray): ElementType {
  if (data instanceof Uint8Array) return "uint8";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Uint16Array) return "uint16";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Uint32Array) return "uint32";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof BigUint64Array) return "uint64";
  if (data instanceof Float32Array) return "float32";
  return "float64";
}
