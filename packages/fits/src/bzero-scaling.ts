/**
 * Stored → physical values for images and table columns: value = BZERO + BSCALE × stored
 * (FITS 4.0 §5.3, §7.3.2), with the unsigned-integer conventions of FITS 4.0 Table 11 and BLANK →
 * NaN. Result types follow astropy.io.fits so values compare exactly.
 */
import { allocate, type ElementType, type FitsArray } from "./element-type.js";

/** Linear scaling of stored values. */
export interface LinearScaling {
  scale: number;
  zero: number;
  /** Stored integer that marks an undefined value (BLANK / TNULL), if any. */
  blank?: number | bigint | undefined;
}

/** The type the scaled values get for a stored type and scaling, as astropy gives them. */
export function scaledType(stored: ElementType, s: LinearScaling): ElementType {
  if (s.scale === 1 && s.zero === 0) return stored;
  if (s.scale === 1) {
    // FITS 4.0 Table 11: offsets that map signed storage onto unsigned (or signed byte) values.
    if (stored === "uint8" && s.zero === -128) return "int8";
    if (stored === "int16" && s.zero === 32768) return "uint16";
    if (stored === "int32" && s.zero === 2 ** 31) return "uint32";
    if (stored === "int64" && s.zero === 2 ** 63) return "uint64";
  }
  if (stored === "float64" || stored === "int32" || stored === "int64" || stored === "uint32")
    return "float64";
  return "float32";
}

/** Apply `s` to decoded stored values, returning a new array (or `raw` itself when unscaled). */
export function applyScaling(raw: FitsArray, stored: ElementType, s: LinearScaling): FitsArray {
  const type = scaledType(stored, s);
  if (type === stored) return raw;
  const n = raw.length;
  if (type === "int8") {
    const src = raw as Uint8Array;
    return new Int8Array(src.buffer.slice(src.byteOffset, src.byteOffset + n)).map((v) => v ^ -128);
  }
  if (type === "uint16") {
    const src = raw as Int16Array;
    const out = new Uint16Array(n);
    for (let i = 0; i < n; i++) out[i] = ((src[i] as number) ^ 0x8000) & 0xffff;
    return out;
  }
  if (type === "uint32") {
    const src = raw as Int32Array;
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = ((src[i] as number) ^ 0x80000000) >>> 0;
    return out;
  }
  if (type === "uint64") {
    const src = raw as BigInt64Array;
    return new BigUint64Array(src.buffer.slice(src.byteOffset, src.byteOffset + 8 * n)).map(
      (v) => v ^ 0x8000000000000000n,
    );
  }
  const out = allocate(type, n) as Float32Array | Float64Array;
  const scale = s.scale;
  const zero = s.zero;
  const blank = s.blank;
  const isInt = stored !== "float32" && stored !== "float64";
  if (stored === "int64" || stored === "uint64") {
    const src = raw as BigInt64Array;
    const b = blank === undefined || !isInt ? undefined : BigInt(blank);
    for (let i = 0; i < n; i++) {
      const v = src[i] as bigint;
      out[i] = b !== undefined && v === b ? Number.NaN : Number(v) * scale + zero;
    }
    return out;
  }
  const src = raw as Exclude<FitsArray, BigInt64Array | BigUint64Array>;
  const b = blank === undefined || !isInt ? Number.NaN : Number(blank);
  if (type === "float32") {
    // astropy scales float32 arrays in float32 arithmetic (multiply, then add, in place).
    const fs = Math.fround(scale);
    const fz = Math.fround(zero);
    for (let i = 0; i < n; i++) {
      const v = src[i] as number;
      if (v === b) {
        out[i] = Number.NaN;
        continue;
      }
      let x = Math.fround(v);
      if (scale !== 1) x = Math.fround(x * fs);
      if (zero !== 0) x = Math.fround(x + fz);
      out[i] = x;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = src[i] as number;
    if (v === b) {
      out[i] = Number.NaN;
      continue;
    }
    let x = v;
    if (scale !== 1) x *= scale;
    if (zero !== 0) x += zero;
    out[i] = x;
  }
  return out;
}
