/**
 * NaN-aware reductions along axes (numpy `nan*` semantics, as xarray applies them with
 * `skipna=True`): sum, mean, var, std, min, max, median, quantile, count, prod.
 */
import { type DType, dtypeKind, isBigIntDType, slotsPerElement } from "./dtype.js";
import { ArrayError } from "./errors.js";
import { NDArray, sizeOf } from "./ndarray.js";

/** Reduction names. */
export type Reducer =
  | "sum"
  | "mean"
  | "var"
  | "std"
  | "min"
  | "max"
  | "median"
  | "quantile"
  | "count"
  | "prod";

export interface ReduceOptions {
  /** Skip NaN (default true for float data, as xarray). */
  skipna?: boolean;
  /** Delta degrees of freedom for var/std (default 0). */
  ddof?: number;
  /** Quantile in [0, 1] for `quantile`. */
  q?: number;
  /** Array name for errors. */
  name?: string;
}

/** Result dtype of a reduction (numpy on 64-bit Linux). */
export function reduceDType(reducer: Reducer, dtype: DType): DType {
  const k = dtypeKind(dtype);
  switch (reducer) {
    case "count":
      return "int64";
    case "sum":
    case "prod":
      if (k === "b" || k === "i") return "int64";
      if (k === "u") return "uint64";
      return dtype;
    case "min":
    case "max":
      return dtype;
    default:
      return k === "f" ? dtype : "float64";
  }
}

/** Linear-interpolation quantile of sorted values (numpy method "linear"). */
export function quantileSorted(sorted: Float64Array | number[], n: number, q: number): number {
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  const g = h - lo;
  // numpy _lerp: a + (b - a) * g, evaluated from the other end when g >= 0.5
  return g >= 0.5 ? b - (b - a) * (1 - g) : a + (b - a) * g;
}

/** Reduce `values[0..n)` (already gathered, float64) with NaN skipping when `skipna`. */
export function reduceValues(
  values: Float64Array,
  n: number,
  reducer: Reducer,
  options: ReduceOptions = {},
): number {
  const skipna = options.skipna ?? true;
  if (!skipna) {
    for (let i = 0; i < n; i++)
      if (Number.isNaN(values[i])) return reducer === "count" ? countNonNaN(values, n) : NaN;
  }
  switch (reducer) {
    case "count":
      return countNonNaN(values, n);
    case "sum": {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const v = values[i] as number;
        if (!Number.isNaN(v)) s += v;
      }
      return s;
    }
    case "prod": {
      let s = 1;
      for (let i = 0; i < n; i++) {
        const v = values[i] as number;
        if (!Number.isNaN(v)) s *= v;
      }
      return s;
    }
    case "mean": {
      const m = moments(values, 0, n);
      return m.count === 0 ? NaN : m.mean;
    }
    case "var":
    case "std": {
      const m = moments(values, 0, n);
      const d = m.count - (options.ddof ?? 0);
      const v = d <= 0 ? NaN : m.m2 / d;
      return reducer === "std" ? Math.sqrt(v) : v;
    }
    case "min":
    case "max": {
      let r = NaN;
      for (let i = 0; i < n; i++) {
        const v = values[i] as number;
        if (Number.isNaN(v)) continue;
        if (Number.isNaN(r) || (reducer === "min" ? v < r : v > r)) r = v;
      }
      return r;
    }
    case "median":
    case "quantile": {
      const q = reducer === "median" ? 0.5 : (options.q ?? NaN);
      if (!(q >= 0 && q <= 1))
        throw new ArrayError("INVALID_ARGUMENT", `quantile q=${options.q} outside [0, 1]`);
      let m = 0;
      const buf = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i] as number;
        if (!Number.isNaN(v)) buf[m++] = v;
      }
      const s = buf.subarray(0, m).sort();
      return quantileSorted(s, m, q);
    }
  }
}

function countNonNaN(values: Float64Array, n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i])) c++;
  return c;
}

/** Count, mean and sum of squared deviations (M2) of the non-NaN values: two passes, stable. */
export function moments(
  values: ArrayLike<number>,
  start: number,
  end: number,
): { count: number; mean: number; m2: number } {
  let c = 0;
  let s = 0;
  for (let i = start; i < end; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) {
      s += v;
      c++;
    }
  }
  if (c === 0) return { count: 0, mean: NaN, m2: NaN };
  const mean = s / c;
  let m2 = 0;
  let comp = 0;
  for (let i = start; i < end; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) {
      const d = v - mean;
      m2 += d * d;
      comp += d;
    }
  }
  return { count: c, mean: mean + comp / c, m2: m2 - (comp * comp) / c };
}

/** Normalise axes (negative counts from the end); all axes when undefined. */
export function normaliseAxes(axes: number | readonly number[] | undefined, ndim: number): number[] {
  if (axes === undefined) return [...Array(ndim).keys()];
  const list = typeof axes === "number" ? [axes] : [...axes];
  return list.map((a) => {
    const b = a < 0 ? a + ndim : a;
    if (!Number.isInteger(b) || b < 0 || b >= ndim)
      throw new ArrayError("INDEX_OUT_OF_RANGE", `axis ${a} out of range for ${ndim}-d array`);
    return b;
  });
}

/** Reduce `arr` over `axes` (all when undefined); the reduced axes are removed. */
export function reduce(
  arr: NDArray,
  reducer: Reducer,
  axes?: number | readonly number[],
  options: ReduceOptions = {},
): NDArray {
  if (slotsPerElement(arr.dtype) === 2) return reduceComplex(arr, reducer, axes);
  const ax = normaliseAxes(axes, arr.ndim);
  const keep = [...Array(arr.ndim).keys()].filter((k) => !ax.includes(k));
  const t = arr.transpose([...keep, ...ax]);
  const outShape = keep.map((k) => arr.shape[k] as number);
  const inner = sizeOf(ax.map((k) => arr.shape[k] as number));
  const outer = sizeOf(outShape);
  const dtype = reduceDType(reducer, arr.dtype);
  const out = NDArray.zeros(outShape, dtype);
  const kind = dtypeKind(arr.dtype);
  const skipna = options.skipna ?? kind === "f";
  if (
    isBigIntDType(arr.dtype) &&
    (reducer === "sum" || reducer === "min" || reducer === "max" || reducer === "prod")
  ) {
    reduceBigInt(t, reducer, outer, inner, out);
    return out;
  }
  const flat = t.isContiguous("C") ? null : t.copy("C");
  const src = flat ?? t;
  const data = src.data;
  const buf = new Float64Array(inner);
  const big = isBigIntDType(arr.dtype);
  for (let o = 0; o < outer; o++) {
    const base = src.offset + o * inner;
    if (big) for (let i = 0; i < inner; i++) buf[i] = Number(data[base + i]);
    else for (let i = 0; i < inner; i++) buf[i] = data[base + i] as number;
    let v = reduceValues(buf, inner, reducer, { ...options, skipna });
    if ((reducer === "min" || reducer === "max") && inner === 0)
      throw new ArrayError(
        "INVALID_ARGUMENT",
        `${reducer} of an empty axis`,
        options.name === undefined ? {} : { array: options.name },
      );
    if (kind === "b" && (reducer === "min" || reducer === "max")) v = v ? 1 : 0;
    if (isBigIntDType(dtype)) (out.data as BigInt64Array)[o] = BigInt(v);
    else (out.data as Float64Array)[o] = v;
  }
  return out;
}

function reduceBigInt(t: NDArray, reducer: Reducer, outer: number, inner: number, out: NDArray): void {
  const src = t.isContiguous("C") ? t : t.copy("C");
  const data = src.data as BigInt64Array;
  const dst = out.data as BigInt64Array;
  for (let o = 0; o < outer; o++) {
    const base = src.offset + o * inner;
    let acc: bigint = reducer === "prod" ? 1n : reducer === "sum" ? 0n : (data[base] as bigint);
    for (let i = 0; i < inner; i++) {
      const v = data[base + i] as bigint;
      if (reducer === "sum") acc += v;
      else if (reducer === "prod") acc *= v;
      else if (reducer === "min" ? v < acc : v > acc) acc = v;
    }
    dst[o] = acc;
  }
}

function reduceComplex(arr: NDArray, reducer: Reducer, axes?: number | readonly number[]): NDArray {
  if (reducer !== "sum" && reducer !== "mean" && reducer !== "count")
    throw new ArrayError(
      "DTYPE_UNSUPPORTED",
      `${reducer} of ${arr.dtype} is not defined; reduce real() or abs()`,
    );
  const ax = normaliseAxes(axes, arr.ndim);
  const keep = [...Array(arr.ndim).keys()].filter((k) => !ax.includes(k));
  const t = arr.transpose([...keep, ...ax]).copy("C");
  const outShape = keep.map((k) => arr.shape[k] as number);
  const inner = sizeOf(ax.map((k) => arr.shape[k] as number));
  const out = NDArray.zeros(outShape, reducer === "count" ? "int64" : arr.dtype);
  const d = t.data as Float64Array;
  for (let o = 0; o < sizeOf(outShape); o++) {
    let re = 0;
    let im = 0;
    let c = 0;
    for (let i = 0; i < inner; i++) {
      const r = d[2 * (o * inner + i)] as number;
      const m = d[2 * (o * inner + i) + 1] as number;
      if (Number.isNaN(r) || Number.isNaN(m)) continue;
      re += r;
      im += m;
      c++;
    }
    if (reducer === "count") (out.data as BigInt64Array)[o] = BigInt(c);
    else {
      const k = reducer === "mean" ? c : 1;
      (out.data as Float64Array)[2 * o] = re / k;
      (out.data as Float64Array)[2 * o + 1] = im / k;
    }
  }
  return out;
}
