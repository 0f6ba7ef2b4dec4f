/**
 * NDArray: a typed buffer with a shape, element strides and an offset, so transposes, slices and
 * broadcasts are views that copy nothing. C (row-major) and Fortran (column-major) layouts.
 */
import {
  allocate,
  type Complex,
  checkFits,
  type DType,
  dtypeKind,
  isBigIntDType,
  type Scalar,
  type Storage,
  slotsPerElement,
} from "./dtype.js";
import { ArrayError } from "./errors.js";

/** Memory layout: C is row-major (last axis fastest), F is column-major (first axis fastest). */
export type Order = "C" | "F";

/** A Python-style slice; `stop` is exclusive, negative values count from the end. */
export interface Slice {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/** One axis of an index expression: an integer drops the axis, a slice keeps it. */
export type AxisIndex = number | Slice | null;

/** Nested JavaScript arrays, as `toArray()` returns and `NDArray.from` accepts. */
export type Nested = Scalar | readonly Nested[];

/** Element strides of a contiguous array of `shape` in `order`. */
export function contiguousStrides(shape: readonly number[], order: Order = "C"): number[] {
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  if (order === "C") {
    for (let i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= shape[i] ?? 1;
    }
  } else {
    for (let i = 0; i < shape.length; i++) {
      strides[i] = s;
      s *= shape[i] ?? 1;
    }
  }
  return strides;
}

/** Number of elements of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function checkShape(shape: readonly number[]): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new ArrayError("INVALID_ARGUMENT", `bad shape [${shape.join(", ")}]`);
  }
}

/** Normalise a slice against an axis of length `n`: start, count, step. */
export function resolveSlice(s: Slice, n: number): { start: number; count: number; step: number } {
  const step = s.step ?? 1;
  if (step === 0 || !Number.isInteger(step))
    throw new ArrayError("INVALID_ARGUMENT", "slice step must be a non-zero integer");
  const norm = (v: number, dflt: number, lo: number, hi: number) => {
    if (v < 0) v += n;
    return Math.min(Math.max(v, lo), hi) ?? dflt;
  };
  let start: number;
  let stop: number;
  if (step > 0) {
    start = s.start == null ? 0 : norm(s.start, 0, 0, n);
    stop = s.stop == null ? n : norm(s.stop, n, 0, n);
  } else {
    start = s.start == null ? n - 1 : norm(s.start, n - 1, -1, n - 1);
    stop = s.stop == null ? -1 : norm(s.stop, -1, -1, n - 1);
    if (s.stop != null && s.stop < -n) stop = -1;
  }
  const count =
    step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((stop - start) / step));
  return { start, count, step };
}

/** An n-dimensional array over a typed buffer. */
export class NDArray {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Element strides (not bytes); 0 on broadcast axes. */
  readonly strides: readonly number[];
  /** Element offset of index [0, …, 0] into `data`. */
  readonly offset: number;
  /** The storage; complex elements take two slots. */
  readonly data: Storage;

  constructor(
    dtype: DType,
    shape: readonly number[],
    data?: Storage,
    strides?: readonly number[],
    offset = 0,
  ) {
    checkShape(shape);
    this.dtype = dtype;
    this.shape = [...shape];
    const n = sizeOf(shape);
    this.data = data ?? allocate(dtype, n);
    this.strides = strides ? [...strides] : contiguousStrides(shape);
    this.offset = offset;
    if (!strides && this.data.length < n * slotsPerElement(dtype)) {
      throw new ArrayError(
        "SHAPE_MISMATCH",
        `buffer of ${this.data.length / slotsPerElement(dtype)} elements cannot hold shape [${shape.join(", ")}]`,
      );
    }
  }

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  /** A zero-filled array. */
  static zeros(shape: readonly number[], dtype: DType = "float64", order: Order = "C"): NDArray {
    return new NDArray(dtype, shape, allocate(dtype, sizeOf(shape)), contiguousStrides(shape, order));
  }

  /** An array filled with `value`. */
  static full(shape: readonly number[], value: number, dtype: DType = "float64"): NDArray {
    const a = NDArray.zeros(shape, dtype);
    checkFits(dtype, value);
    if (isBigIntDType(dtype)) (a.data as BigInt64Array).fill(BigInt(value));
    else if (slotsPerElement(dtype) === 2)
      for (let i = 0; i < a.data.length; i += 2) (a.data as Float64Array)[i] = value;
    else (a.data as Float64Array).fill(value);
    return a;
  }

  /** `start, start+step, …` below `stop` (numpy `arange`). */
  static arange(start: number, stop?: number, step = 1, dtype: DType = "float64"): NDArray {
    if (stop === undefined) {
      stop = start;
      start = 0;
    }
    const n = Math.max(0, Math.ceil((stop - start) / step));
    const a = NDArray.zeros([n], dtype);
    for (let i = 0; i < n; i++) a.setFlat(i, start + i * step);
    return a;
  }

  /** `n` evenly spaced values from `start` to `stop` inclusive (numpy `linspace`). */
  static linspace(start: number, stop: number, n: number, dtype: DType = "float64"): NDArray {
    const a = NDArray.zeros([n], dtype);
    const step = n > 1 ? (stop - start) / (n - 1) : 0;
    for (let i = 0; i < n; i++) a.setFlat(i, i === n - 1 && n > 1 ? stop : start + i * step);
    return a;
  }

  /**
   * From nested arrays, or from a flat list/typed array with `shape`. Values are checked against
   * the dtype (DTYPE_OVERFLOW when one does not fit).
   */
  static from(
    values: Nested | ArrayLike<number> | ArrayLike<bigint>,
    options: { dtype?: DType; shape?: readonly number[]; order?: Order } = {},
  ): NDArray {
    let flat: unknown[];
    let shape: number[];
    if (options.shape) {
      flat = Array.from(values as ArrayLike<unknown>);
      shape = [...options.shape];
      if (flat.length !== sizeOf(shape))
        throw new ArrayError(
          "SHAPE_MISMATCH",
          `${flat.length} values cannot fill shape [${shape.join(", ")}]`,
        );
    } else {
      shape = [];
      let v: unknown = values;
      while (Array.isArray(v) || ArrayBuffer.isView(v)) {
        shape.push((v as ArrayLike<unknown>).length);
        v = (v as ArrayLike<unknown>)[0];
      }
      flat = [];
      const walk = (x: unknown, depth: number) => {
        if (depth === shape.length) {
          if (Array.isArray(x)) throw new ArrayError("SHAPE_MISMATCH", "ragged nested array");
          flat.push(x);
          return;
        }
        const xs = x as ArrayLike<unknown>;
        if (!(Array.isArray(xs) || ArrayBuffer.isView(xs)) || xs.length !== shape[depth])
          throw new ArrayError("SHAPE_MISMATCH", `ragged nested array at depth ${depth}`);
        for (let i = 0; i < xs.length; i++) walk(xs[i], depth + 1);
      };
      walk(values, 0);
    }
    const dtype = options.dtype ?? inferDType(flat);
    const order = options.order ?? "C";
    const a = NDArray.zeros(shape, dtype, order);
    if (order === "C") for (let i = 0; i < flat.length; i++) a.setFlat(i, flat[i] as Scalar);
    else {
      const c = NDArray.zeros(shape, dtype, "C");
      for (let i = 0; i < flat.length; i++) c.setFlat(i, flat[i] as Scalar);
      return c.copy("F");
    }
    return a;
  }

  /** Storage position of a multi-index. */
  position(index: readonly number[]): number {
    if (index.length !== this.shape.length)
      throw new ArrayError(
        "DIMENSION_MISMATCH",
        `index has ${index.length} axes, array has ${this.shape.length}`,
      );
    let p = this.offset;
    for (let k = 0; k < index.length; k++) {
      let i = index[k] as number;
      const n = this.shape[k] as number;
      if (i < 0) i += n;
      if (!Number.isInteger(i) || i < 0 || i >= n)
        throw new ArrayError(
          "INDEX_OUT_OF_RANGE",
          `index ${index[k]} out of range for axis ${k} of length ${n}`,
        );
      p += i * (this.strides[k] as number);
    }
    return p;
  }

  /** Read the element at storage position `p`. */
  atPosition(p: number): Scalar {
    const d = this.data;
    if (this.dtype === "bool") return d[p] !== 0;
    if (slotsPerElement(this.dtype) === 2) return { re: d[2 * p] as number, im: d[2 * p + 1] as number };
    return d[p] as number | bigint;
  }

  /** The element at a multi-index. */
  get(...index: number[]): Scalar {
    return this.atPosition(this.position(index));
  }

  /** Set the element at a multi-index (checked against the dtype). */
  set(index: readonly number[], value: Scalar): void {
    this.writePosition(this.position(index), value);
  }

  private writePosition(p: number, value: Scalar): void {
    const d = this.data;
    if (slotsPerElement(this.dtype) === 2) {
      const c: Complex = typeof value === "object" ? value : { re: Number(value), im: 0 };
      (d as Float64Array)[2 * p] = c.re;
      (d as Float64Array)[2 * p + 1] = c.im;
      return;
    }
    if (typeof value === "object")
      throw new ArrayError("DTYPE_UNSUPPORTED", `complex value into ${this.dtype}`);
    if (typeof value === "boolean") value = value ? 1 : 0;
    checkFits(this.dtype, value);
    if (isBigIntDType(this.dtype)) (d as BigInt64Array)[p] = BigInt(value);
    else (d as Float64Array)[p] = Number(value);
  }

  /** Set the element at C-order flat index `i`. */
  setFlat(i: number, value: Scalar): void {
    this.writePosition(this.flatPosition(i), value);
  }

  /** Storage position of the C-order flat index `i`. */
  flatPosition(i: number): number {
    let p = this.offset;
    for (let k = this.shape.length - 1; k >= 0; k--) {
      const n = this.shape[k] as number;
      p += (i % n) * (this.strides[k] as number);
      i = Math.floor(i / n);
    }
    return p;
  }

  /** True when the elements are contiguous in `order` with no gaps. */
  isContiguous(order: Order = "C"): boolean {
    const want = contiguousStrides(this.shape, order);
    for (let k = 0; k < want.length; k++)
      if ((this.shape[k] as number) > 1 && this.strides[k] !== want[k]) return false;
    return true;
  }

  /** Layout: "C", "F", or null for a strided view that is neither. */
  get order(): Order | null {
    if (this.isContiguous("C")) return "C";
    if (this.isContiguous("F")) return "F";
    return null;
  }

  /** Visit every element in C order: `fn(storagePosition, flatIndex)`. */
  forEachPosition(fn: (p: number, i: number) => void): void {
    const nd = this.shape.length;
    const n = this.size;
    if (n === 0) return;
    if (nd === 0) {
      fn(this.offset, 0);
      return;
    }
    const idx = new Array<number>(nd).fill(0);
    const inner = this.shape[nd - 1] as number;
    const innerStride = this.strides[nd - 1] as number;
    let base = this.offset;
    for (let i = 0; i < n; i += inner) {
      for (let j = 0; j < inner; j++) fn(base + j * innerStride, i + j);
      for (let k = nd - 2; k >= 0; k--) {
        idx[k] = (idx[k] as number) + 1;
        base += this.strides[k] as number;
        if ((idx[k] as number) < (this.shape[k] as number)) break;
        base -= (idx[k] as number) * (this.strides[k] as number);
        idx[k] = 0;
      }
    }
  }

  /** A contiguous copy in `order`. */
  copy(order: Order = "C"): NDArray {
    const out = NDArray.zeros(this.shape, this.dtype, order);
    const src = this.data;
    const dst = out.data as Float64Array;
    const complex = slotsPerElement(this.dtype) === 2;
    if (order === "C") {
      if (complex)
        this.forEachPosition((p, i) => {
          dst[2 * i] = src[2 * p] as number;
          dst[2 * i + 1] = src[2 * p + 1] as number;
        });
      else if (this.isContiguous("C"))
        (dst as unknown as { set(a: ArrayLike<unknown>): void }).set(
          src.subarray(this.offset, this.offset + this.size) as unknown as ArrayLike<unknown>,
        );
      else
        this.forEachPosition((p, i) => {
          (dst as unknown as Storage)[i] = src[p] as never;
        });
      return out;
    }
    const view = out.transposeView();
    const t = this.transposeView();
    t.forEachPosition((p, i) => {
      const q = view.flatPosition(i);
      if (complex) {
        dst[2 * q] = src[2 * p] as number;
        dst[2 * q + 1] = src[2 * p + 1] as number;
      } else (dst as unknown as Storage)[q] = src[p] as never;
    });
    return out;
  }

  /** Reverse all axes (a view). */
  private transposeView(): NDArray {
    return this.transpose([...this.shape.keys()].reverse());
  }

  /** Permute axes (a view); `axes` defaults to reversing them, as numpy does. */
  transpose(axes?: readonly number[]): NDArray {
    const perm = axes ?? [...this.shape.keys()].reverse();
    if (
      perm.length !== this.ndim ||
      new Set(perm).size !== perm.length ||
      perm.some((a) => a < 0 || a >= this.ndim)
    )
      throw new ArrayError("DIMENSION_MISMATCH", `bad axes [${perm.join(", ")}] for ${this.ndim}-d array`);
    return new NDArray(
      this.dtype,
      perm.map((a) => this.shape[a] as number),
      this.data,
      perm.map((a) => this.strides[a] as number),
      this.offset,
    );
  }

  /** Index by integers (drop the axis) and slices (keep it); missing trailing axes are kept whole. */
  index(...indices: AxisIndex[]): NDArray {
    if (indices.length > this.ndim)
      throw new ArrayError("DIMENSION_MISMATCH", `${indices.length} indices for a ${this.ndim}-d array`);
    const shape: number[] = [];
    const strides: number[] = [];
    let offset = this.offset;
    for (let k = 0; k < this.ndim; k++) {
      const ix = indices[k] ?? null;
      const n = this.shape[k] as number;
      const st = this.strides[k] as number;
      if (typeof ix === "number") {
        const i = ix < 0 ? ix + n : ix;
        if (!Number.isInteger(i) || i < 0 || i >= n)
          throw new ArrayError("INDEX_OUT_OF_RANGE", `index ${ix} out of range for axis ${k} of length ${n}`);
        offset += i * st;
      } else {
        const { start, count, step } = resolveSlice(ix ?? {}, n);
        if (count > 0) offset += start * st;
        shape.push(count);
        strides.push(st * step);
      }
    }
    return new NDArray(this.dtype, shape, this.data, strides, offset);
  }

  /** Gather `positions` along `axis` (numpy `take`; a copy). */
  take(positions: readonly number[], axis: number): NDArray {
    const n = this.shape[axis] as number;
    const parts = positions.map((i) => {
      const j = i < 0 ? i + n : i;
      if (!Number.isInteger(j) || j < 0 || j >= n)
        throw new ArrayError("INDEX_OUT_OF_RANGE", `index ${i} out of range for axis ${axis} of length ${n}`);
      const ix: AxisIndex[] = new Array(this.ndim).fill(null);
      ix[axis] = { start: j, stop: j + 1 };
      return this.index(...ix);
    });
    return concatArrays(parts, axis, this.dtype, [
      ...this.shape.slice(0, axis),
      0,
      ...this.shape.slice(axis + 1),
    ]);
  }

  /** Insert a length-1 axis at `axis` (a view). */
  expandDims(axis: number): NDArray {
    const shape = [...this.shape];
    const strides = [...this.strides];
    shape.splice(axis, 0, 1);
    strides.splice(axis, 0, 0);
    return new NDArray(this.dtype, shape, this.data, strides, this.offset);
  }

  /** View with `shape` (numpy broadcasting rules: align trailing axes, expand length-1). */
  broadcastTo(shape: readonly number[]): NDArray {
    const nd = shape.length;
    if (nd < this.ndim)
      throw new ArrayError("SHAPE_MISMATCH", `cannot broadcast [${this.shape}] to [${shape}]`);
    const strides = new Array<number>(nd).fill(0);
    for (let k = 0; k < this.ndim; k++) {
      const src = this.shape[this.ndim - 1 - k] as number;
      const dst = shape[nd - 1 - k] as number;
      if (src === dst) strides[nd - 1 - k] = this.strides[this.ndim - 1 - k] as number;
      else if (src !== 1)
        throw new ArrayError("SHAPE_MISMATCH", `cannot broadcast [${this.shape}] to [${shape}]`);
    }
    return new NDArray(this.dtype, shape, this.data, strides, this.offset);
  }

  /** New shape with the same elements in C order (a view when contiguous, else a copy). */
  reshape(shape: readonly number[]): NDArray {
    const unknown = shape.indexOf(-1);
    const s = [...shape];
    if (unknown >= 0) s[unknown] = this.size / sizeOf(shape.filter((d) => d !== -1));
    if (sizeOf(s) !== this.size)
      throw new ArrayError(
        "SHAPE_MISMATCH",
        `cannot reshape [${this.shape}] (${this.size} elements) to [${shape}]`,
      );
    const src = this.isContiguous("C") ? this : this.copy("C");
    return new NDArray(this.dtype, s, src.data, contiguousStrides(s), src.offset);
  }

  /** Convert to another dtype; with `check` (default) values must fit (DTYPE_OVERFLOW otherwise). */
  astype(dtype: DType, options: { check?: boolean } = {}): NDArray {
    const check = options.check ?? true;
    const out = NDArray.zeros(this.shape, dtype);
    const fromComplex = slotsPerElement(this.dtype) === 2;
    const toComplex = slotsPerElement(dtype) === 2;
    const toBig = isBigIntDType(dtype);
    const fromBig = isBigIntDType(this.dtype);
    const kind = dtypeKind(dtype);
    const src = this.data;
    const dst = out.data;
    this.forEachPosition((p, i) => {
      if (toComplex) {
        (dst as Float64Array)[2 * i] = fromComplex ? (src[2 * p] as number) : Number(src[p]);
        (dst as Float64Array)[2 * i + 1] = fromComplex ? (src[2 * p + 1] as number) : 0;
        return;
      }
      if (fromComplex) {
        if (check)
          throw new ArrayError(
            "DTYPE_UNSUPPORTED",
            `cannot cast ${this.dtype} to ${dtype}; take real() or abs()`,
          );
        (dst as Float64Array)[i] = src[2 * p] as number;
        return;
      }
      const v = src[p] as number | bigint;
      if (toBig) {
        if (typeof v === "bigint") {
          if (check) checkFits(dtype, v);
          (dst as BigInt64Array)[i] = v;
        } else {
          if (check) checkFits(dtype, Number.isFinite(v) ? Math.trunc(v) : v);
          (dst as BigInt64Array)[i] = BigInt(Math.trunc(v));
        }
        return;
      }
      const x = fromBig ? Number(v) : (v as number);
      if (kind === "f") (dst as Float64Array)[i] = x;
      else if (kind === "b") (dst as Uint8Array)[i] = x !== 0 ? 1 : 0;
      else {
        const t = Number.isFinite(x) ? Math.trunc(x) : x;
        if (check) checkFits(dtype, fromBig ? (v as bigint) : t);
        (dst as Float64Array)[i] = t;
      }
    });
    return out;
  }

  /** Values as float64 in C order (complex: real parts; bigints converted). */
  toFloat64(): Float64Array {
    if (this.dtype === "float64" && this.isContiguous("C"))
      return this.data.subarray(this.offset, this.offset + this.size) as Float64Array;
    const out = new Float64Array(this.size);
    const src = this.data;
    if (slotsPerElement(this.dtype) === 2)
      this.forEachPosition((p, i) => {
        out[i] = src[2 * p] as number;
      });
    else if (isBigIntDType(this.dtype))
      this.forEachPosition((p, i) => {
        out[i] = Number(src[p]);
      });
    else
      this.forEachPosition((p, i) => {
        out[i] = src[p] as number;
      });
    return out;
  }

  /** Values in C order as a flat JavaScript array of scalars. */
  toFlat(): Scalar[] {
    const out: Scalar[] = new Array(this.size);
    this.forEachPosition((p, i) => {
      out[i] = this.atPosition(p);
    });
    return out;
  }

  /** Values as nested JavaScript arrays (a scalar for a 0-d array). */
  toArray(): Nested {
    const flat = this.toFlat();
    if (this.ndim === 0) return flat[0] as Scalar;
    const build = (axis: number, start: number): Nested[] => {
      const n = this.shape[axis] as number;
      const inner = sizeOf(this.shape.slice(axis + 1));
      const out: Nested[] = [];
      for (let i = 0; i < n; i++)
        out.push(axis === this.ndim - 1 ? (flat[start + i] as Scalar) : build(axis + 1, start + i * inner));
      return out;
    };
    return build(0, 0);
  }

  /** The single element of a 0-d or size-1 array. */
  item(): Scalar {
    if (this.size !== 1)
      throw new ArrayError("SHAPE_MISMATCH", `item() needs one element, array has ${this.size}`);
    return this.atPosition(this.flatPosition(0));
  }
}

function inferDType(flat: readonly unknown[]): DType {
  if (flat.length > 0 && flat.every((v) => typeof v === "boolean")) return "bool";
  if (flat.some((v) => typeof v === "object" && v !== null)) return "complex128";
  if (flat.some((v) => typeof v === "bigint")) return "int64";
  if (flat.length > 0 && flat.every((v) => typeof v === "number" && Number.isInteger(v))) return "int64";
  return "float64";
}

/** Join arrays along `axis`; all other axes must match. */
export function concatArrays(
  parts: readonly NDArray[],
  axis: number,
  dtype?: DType,
  emptyShape?: readonly number[],
): NDArray {
  const first = parts[0];
  if (!first) {
    if (!emptyShape || !dtype) throw new ArrayError("INVALID_ARGUMENT", "concat of no arrays");
    return NDArray.zeros(emptyShape, dtype);
  }
  const dt = dtype ?? first.dtype;
  const nd = first.ndim;
  let total = 0;
  for (const p of parts) {
    if (p.ndim !== nd) throw new ArrayError("DIMENSION_MISMATCH", `concat of ${p.ndim}-d and ${nd}-d arrays`);
    for (let k = 0; k < nd; k++)
      if (k !== axis && p.shape[k] !== first.shape[k])
        throw new ArrayError(
          "SHAPE_MISMATCH",
          `concat along axis ${axis}: shapes [${p.shape}] and [${first.shape}] differ on axis ${k}`,
        );
    total += p.shape[axis] as number;
  }
  const shape = [...first.shape];
  shape[axis] = total;
  const out = NDArray.zeros(shape, dt);
  let at = 0;
  for (const p of parts) {
    const n = p.shape[axis] as number;
    const ix: AxisIndex[] = new Array(nd).fill(null);
    ix[axis] = { start: at, stop: at + n };
    assign(out.index(...ix), p.dtype === dt ? p : p.astype(dt));
    at += n;
  }
  return out;
}

/** Copy `src` into the view `dst` (same shape, same dtype). */
export function assign(dst: NDArray, src: NDArray): void {
  if (dst.dtype !== src.dtype) src = src.astype(dst.dtype);
  const s = src.broadcastTo(dst.shape);
  const out = dst.data;
  const inp = s.data;
  const complex = slotsPerElement(dst.dtype) === 2;
  const srcPositions: number[] = [];
  s.forEachPosition((p) => {
    srcPositions.push(p);
  });
  dst.forEachPosition((q, i) => {
    const p = srcPositions[i] as number;
    if (complex) {
      (out as Float64Array)[2 * q] = inp[2 * p] as number;
      (out as Float64Array)[2 * q + 1] = inp[2 * p + 1] as number;
    } else (out as unknown as Storage)[q] = inp[p] as never;
  });
}
