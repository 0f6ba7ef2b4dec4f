/**
 * DataArray: an {@link NDArray} with named dimensions, coordinates and attributes. Operations
 * address axes by name, broadcast by name and align coordinates (inner join) before arithmetic,
 * as xarray does.
 */
import { type ComplexBinary, type ComplexUnary, complexBinary, complexUnary } from "./complex.js";
import { type CoordInput, Coordinate, type Label } from "./coordinate.js";
import { type DType, dtypeKind, floatResult, promote, promoteScalar, slotsPerElement } from "./dtype.js";
import { ArrayError } from "./errors.js";
import {
  BINARY,
  type BinaryOp,
  BOOL_RESULT,
  type Expr,
  FLOAT_RESULT,
  UNARY,
  type UnaryOp,
} from "./expression.js";
import { type Frequency, type GroupBy, groupBy, resample } from "./group-by.js";
import { evaluate } from "./kernel.js";
import { type AxisIndex, concatArrays, NDArray, resolveSlice, type Slice } from "./ndarray.js";
import { type ReduceOptions, type Reducer, reduce } from "./reduce.js";
import {
  type Coarsen,
  type CoarsenOptions,
  coarsen,
  type Rolling,
  type RollingOptions,
  rolling,
} from "./window.js";

/** An integer (drops the dimension), a slice, or a list of positions (keeps it). */
export type PositionalIndexer = number | Slice | readonly number[];

/** A label, a list of labels, or an inclusive label range. */
export type LabelIndexer = Label | readonly Label[] | { start?: Label; stop?: Label };

export interface DataArrayOptions {
  coords?: Record<string, CoordInput>;
  attrs?: Record<string, unknown>;
  name?: string;
}

/** Either operand of arithmetic. */
export type Operand = DataArray | number;

/** A labeled n-dimensional array. */
export class DataArray {
  readonly data: NDArray;
  readonly dims: readonly string[];
  readonly coords: ReadonlyMap<string, Coordinate>;
  readonly attrs: Record<string, unknown>;
  readonly name: string | undefined;

  constructor(data: NDArray | readonly unknown[], dims: readonly string[], options: DataArrayOptions = {}) {
    const arr = data instanceof NDArray ? data : NDArray.from(data as never);
    if (dims.length !== arr.ndim)
      throw new ArrayError(
        "DIMENSION_MISMATCH",
        `${dims.length} dimension names [${dims.join(", ")}] for a ${arr.ndim}-d array`,
        named(options.name),
      );
    if (new Set(dims).size !== dims.length)
      throw new ArrayError(
        "DIMENSION_MISMATCH",
        `repeated dimension name in [${dims.join(", ")}]`,
        named(options.name),
      );
    this.data = arr;
    this.dims = [...dims];
    this.name = options.name;
    this.attrs = options.attrs ?? {};
    const coords = new Map<string, Coordinate>();
    for (const [key, input] of Object.entries(options.coords ?? {})) {
      const c = Coordinate.from(key, input);
      for (const d of c.dims) {
        const k = this.dims.indexOf(d);
        if (k < 0)
          throw new ArrayError(
            "UNKNOWN_DIMENSION",
            `coordinate "${key}" is on dimension "${d}", which the array does not have`,
            { array: this.name, dimension: d },
          );
        const want = arr.shape[k] as number;
        if (c.dims.length === 1 && c.length !== want)
          throw new ArrayError(
            "DIMENSION_MISMATCH",
            `coordinate "${key}" has ${c.length} labels, dimension "${d}" has length ${want}`,
            { array: this.name, dimension: d },
          );
      }
      coords.set(key, c);
    }
    this.coords = coords;
  }

  get dtype(): DType {
    return this.data.dtype;
  }

  get shape(): readonly number[] {
    return this.data.shape;
  }

  get ndim(): number {
    return this.data.ndim;
  }

  get size(): number {
    return this.data.size;
  }

  /** Dimension name → length. */
  get sizes(): Record<string, number> {
    return Object.fromEntries(this.dims.map((d, k) => [d, this.shape[k] as number]));
  }

  /** Axis number of a dimension (UNKNOWN_DIMENSION when absent). */
  axis(dim: string): number {
    const k = this.dims.indexOf(dim);
    if (k < 0)
      throw new ArrayError(
        "UNKNOWN_DIMENSION",
        `dimension "${dim}" not in [${this.dims.join(", ")}]${this.name ? ` of "${this.name}"` : ""}`,
        { array: this.name, dimension: dim },
      );
    return k;
  }

  /** The coordinate named `name`. */
  coord(name: string): Coordinate {
    const c = this.coords.get(name);
    if (!c)
      throw new ArrayError(
        "UNKNOWN_VARIABLE",
        `no coordinate "${name}"${this.name ? ` on "${this.name}"` : ""}`,
        { array: this.name, dimension: name },
      );
    return c;
  }

  /** Same dims, coords and attributes around new data. */
  private withData(
    data: NDArray,
    options: { name?: string | undefined; keepAttrs?: boolean } = {},
  ): DataArray {
    return DataArray.build(
      data,
      this.dims,
      this.coords,
      options.keepAttrs === false ? {} : this.attrs,
      "name" in options ? options.name : this.name,
    );
  }

  /** Construct without re-validating coordinates. */
  static build(
    data: NDArray,
    dims: readonly string[],
    coords: ReadonlyMap<string, Coordinate>,
    attrs: Record<string, unknown>,
    name: string | undefined,
  ): DataArray {
    const da = new DataArray(data, dims, { attrs, ...(name === undefined ? {} : { name }) });
    const kept = new Map<string, Coordinate>();
    for (const [k, c] of coords) if (c.dims.every((d) => dims.includes(d))) kept.set(k, c);
    (da as { coords: ReadonlyMap<string, Coordinate> }).coords = kept;
    return da;
  }

  /** Rename (returns a new DataArray sharing the data). */
  rename(name: string): DataArray {
    return DataArray.build(this.data, this.dims, this.coords, this.attrs, name);
  }

  /** Set or replace coordinates. */
  assignCoords(coords: Record<string, CoordInput>): DataArray {
    const merged: Record<string, CoordInput> = Object.fromEntries(this.coords);
    Object.assign(merged, coords);
    return new DataArray(this.data, this.dims, {
      coords: merged,
      attrs: this.attrs,
      ...(this.name === undefined ? {} : { name: this.name }),
    });
  }

  /** Reorder dimensions by name. */
  transpose(...dims: string[]): DataArray {
    const order = dims.length === 0 ? [...this.dims].reverse() : dims;
    if (order.length !== this.ndim)
      throw new ArrayError(
        "DIMENSION_MISMATCH",
        `transpose needs all of [${this.dims.join(", ")}]`,
        named(this.name),
      );
    const axes = order.map((d) => this.axis(d));
    return DataArray.build(this.data.transpose(axes), order, this.coords, this.attrs, this.name);
  }

  /** Select by position along named dimensions. */
  isel(indexers: Record<string, PositionalIndexer>): DataArray {
    let data = this.data;
    let dims = [...this.dims];
    const coords = new Map(this.coords);
    for (const [dim, ix] of Object.entries(indexers)) {
      const k = dims.indexOf(dim);
      if (k < 0)
        throw new ArrayError("UNKNOWN_DIMENSION", `isel: dimension "${dim}" not in [${dims.join(", ")}]`, {
          array: this.name,
          dimension: dim,
        });
      const n = data.shape[k] as number;
      if (Array.isArray(ix)) {
        data = data.take(ix, k);
        for (const [name, c] of coords)
          if (c.dims.length === 1 && c.dims[0] === dim)
            coords.set(name, c.take(ix.map((i) => (i < 0 ? i + n : i))));
      } else {
        const spec: AxisIndex[] = new Array(dims.length).fill(null);
        spec[k] = ix as number | Slice;
        try {
          data = data.index(...spec);
        } catch (err) {
          throw new ArrayError("INDEX_OUT_OF_RANGE", `isel: ${(err as Error).message} (dimension "${dim}")`, {
            array: this.name,
            dimension: dim,
            cause: err,
          });
        }
        if (typeof ix === "number") {
          dims = dims.filter((d) => d !== dim);
          for (const [name, c] of coords)
            if (c.dims.includes(dim)) {
              if (c.dims.length === 1) {
                const i = ix < 0 ? ix + n : ix;
                coords.set(
                  name,
                  new Coordinate([], c.take([i]).values, { isTime: c.isTime, attrs: c.attrs }),
                );
              } else coords.delete(name);
            }
        } else {
          const { start, count, step } = resolveSliceFor(ix as Slice, n);
          const pos = Array.from({ length: count }, (_, i) => start + i * step);
          for (const [name, c] of coords)
            if (c.dims.length === 1 && c.dims[0] === dim) coords.set(name, c.take(pos));
        }
      }
    }
    const out = new DataArray(data, dims, {
      attrs: this.attrs,
      ...(this.name === undefined ? {} : { name: this.name }),
    });
    (out as { coords: ReadonlyMap<string, Coordinate> }).coords = coords;
    return out;
  }

  /** Select by coordinate label: a label, a list, or an inclusive range; `nearest` for inexact labels. */
  sel(
    indexers: Record<string, LabelIndexer>,
    options: { method?: "nearest"; tolerance?: number } = {},
  ): DataArray {
    const pos: Record<string, PositionalIndexer> = {};
    for (const [dim, ix] of Object.entries(indexers)) {
      this.axis(dim);
      const c = this.coords.get(dim);
      if (!c)
        throw new ArrayError(
          "UNKNOWN_VARIABLE",
          `sel: dimension "${dim}" has no coordinate to select labels from`,
          { array: this.name, dimension: dim },
        );
      if (Array.isArray(ix))
        pos[dim] = (ix as Label[]).map((l) => c.positionOf(l, dim, options.method, options.tolerance));
      else if (typeof ix === "object" && !(ix instanceof Date)) {
        const r = ix as { start?: Label; stop?: Label };
        pos[dim] = c.sliceRange(r.start, r.stop, dim);
      } else pos[dim] = c.positionOf(ix as Label, dim, options.method, options.tolerance);
    }
    return this.isel(pos);
  }

  // ---- element-wise -------------------------------------------------------------------------

  /** Apply a binary ufunc with broadcasting and alignment by dimension name. */
  binary(fn: BinaryOp, other: Operand, reflected = false): DataArray {
    if (typeof other === "number") {
      const dtype = resultDType(fn, promoteScalar(this.dtype, other));
      if (slotsPerElement(dtype) === 2 || slotsPerElement(this.dtype) === 2) {
        const s = NDArray.from([other], { dtype: "float64" }).reshape([]);
        const [a, b] = reflected ? [s, this.data] : [this.data, s];
        return this.withData(complexBinary(complexOp(fn), a, b, dtype));
      }
      const c: Expr = { op: "const", value: other };
      const x: Expr = { op: "input", index: 0 };
      const expr: Expr = reflected ? { op: "binary", fn, a: c, b: x } : { op: "binary", fn, a: x, b: c };
      return this.withData(evaluate(expr, [this.data], dtype, this.name));
    }
    const [a, b] = reflected ? [other, this as DataArray] : [this as DataArray, other];
    return applyBinary(fn, a, b);
  }

  add(o: Operand): DataArray {
    return this.binary("add", o);
  }
  sub(o: Operand): DataArray {
    return this.binary("sub", o);
  }
  mul(o: Operand): DataArray {
    return this.binary("mul", o);
  }
  div(o: Operand): DataArray {
    return this.binary("div", o);
  }
  pow(o: Operand): DataArray {
    return this.binary("pow", o);
  }
  mod(o: Operand): DataArray {
    return this.binary("mod", o);
  }
  floordiv(o: Operand): DataArray {
    return this.binary("floordiv", o);
  }
  eq(o: Operand): DataArray {
    return this.binary("eq", o);
  }
  ne(o: Operand): DataArray {
    return this.binary("ne", o);
  }
  lt(o: Operand): DataArray {
    return this.binary("lt", o);
  }
  le(o: Operand): DataArray {
    return this.binary("le", o);
  }
  gt(o: Operand): DataArray {
    return this.binary("gt", o);
  }
  ge(o: Operand): DataArray {
    return this.binary("ge", o);
  }
  and(o: Operand): DataArray {
    return this.binary("and", o);
  }
  or(o: Operand): DataArray {
    return this.binary("or", o);
  }

  /** Apply a unary ufunc (`sqrt`, `exp`, `log`, `abs`, `isnan`, …). */
  map(fn: UnaryOp | ComplexUnary): DataArray {
    if (slotsPerElement(this.dtype) === 2) {
      if (!["neg", "conj", "abs", "real", "imag", "angle", "exp"].includes(fn))
        throw new ArrayError("DTYPE_UNSUPPORTED", `${fn} is not defined for ${this.dtype}`, named(this.name));
      return this.withData(complexUnary(fn as ComplexUnary, this.data));
    }
    if (fn === "real") return this;
    if (fn === "imag") return this.withData(NDArray.zeros(this.shape, this.dtype));
    if (fn === "conj") return this;
    if (fn === "angle") {
      const x: Expr = { op: "input", index: 0 };
      const expr: Expr = {
        op: "where",
        cond: { op: "binary", fn: "lt", a: x, b: { op: "const", value: 0 } },
        a: { op: "const", value: Math.PI },
        b: { op: "const", value: 0 },
      };
      return this.withData(evaluate(expr, [this.data], floatResult(this.dtype), this.name));
    }
    if (!(fn in UNARY))
      throw new ArrayError("INVALID_ARGUMENT", `unknown function "${fn}"`, named(this.name));
    const dtype = resultDType(fn, this.dtype);
    return this.withData(
      evaluate(
        { op: "unary", fn: fn as UnaryOp, arg: { op: "input", index: 0 } },
        [this.data],
        dtype,
        this.name,
      ),
    );
  }

  neg(): DataArray {
    return this.map("neg");
  }
  abs(): DataArray {
    return this.map("abs");
  }
  sqrt(): DataArray {
    return this.map("sqrt");
  }
  exp(): DataArray {
    return this.map("exp");
  }
  log(): DataArray {
    return this.map("log");
  }
  isnan(): DataArray {
    return this.map("isnan");
  }

  /** Keep values where `cond` is true, else `other` (NaN by default), aligned by name. */
  where(cond: DataArray, other: Operand = NaN): DataArray {
    return applyWhere(cond, this, other);
  }

  /** Convert to another dtype (DTYPE_OVERFLOW when a value does not fit). */
  astype(dtype: DType): DataArray {
    try {
      return this.withData(this.data.astype(dtype));
    } catch (err) {
      if (err instanceof ArrayError)
        throw new ArrayError(err.code, `${this.name ? `${this.name}: ` : ""}${err.message}`, {
          array: this.name,
          cause: err,
        });
      throw err;
    }
  }

  // ---- reductions ---------------------------------------------------------------------------

  /** Reduce over `dim` (a name, a list, or all dimensions when omitted). */
  reduce(reducer: Reducer, dim?: string | readonly string[], options: ReduceOptions = {}): DataArray {
    const dims = dim === undefined ? [...this.dims] : typeof dim === "string" ? [dim] : [...dim];
    const axes = dims.map((d) => this.axis(d));
    const data = reduce(this.data, reducer, axes, {
      ...options,
      ...(this.name === undefined ? {} : { name: this.name }),
    });
    const left = this.dims.filter((d) => !dims.includes(d));
    const coords = new Map<string, Coordinate>();
    for (const [k, c] of this.coords) if (c.dims.every((d) => left.includes(d))) coords.set(k, c);
    if (reducer === "quantile")
      coords.set("quantile", new Coordinate([], NDArray.from([options.q ?? NaN]).reshape([])));
    return DataArray.build(data, left, coords, {}, this.name);
  }

  sum(dim?: string | readonly string[], o?: ReduceOptions): DataArray {
    return this.reduce("sum", dim, o);
  }
  mean(dim?: string | readonly string[], o?: ReduceOptions): DataArray {
    return this.reduce("mean", dim, o);
  }
  std(dim?: string | readonly string[], o?: ReduceOptions): DataArray {
    return this.reduce("std", dim, o);
  }
  var(dim?: string | readonly string[], o?: ReduceOptions): DataArray {
    return this.reduce("var", dim, o);
  }
  min(dim?: string | readonly string[], o?: ReduceOptions): DataArray {
    return this.reduce("min", dim, o);
  }
  max(dim?: string | readonly string[], o?: ReduceOptions): DataArray {
    return this.reduce("max", dim, o);
  }
  median(dim?: string | readonly string[], o?: ReduceOptions): DataArray {
    return this.reduce("median", dim, o);
  }
  count(dim?: string | readonly string[], o?: ReduceOptions): DataArray {
    return this.reduce("count", dim, o);
  }
  prod(dim?: string | readonly string[], o?: ReduceOptions): DataArray {
    return this.reduce("prod", dim, o);
  }
  quantile(q: number, dim?: string | readonly string[], o?: ReduceOptions): DataArray {
    return this.reduce("quantile", dim, { ...o, q });
  }

  /** Group by a 1-d coordinate or a time component (`"time.month"`). */
  groupby(key: string): GroupBy {
    return groupBy(this, key);
  }

  /** Resample a time dimension: `resample({ time: "MS" }).mean()`. */
  resample(spec: Record<string, Frequency>): GroupBy {
    return resample(this, spec);
  }

  /** Moving window along one dimension. */
  rolling(spec: Record<string, number>, options: RollingOptions = {}): Rolling {
    return rolling(this, spec, options);
  }

  /** Disjoint blocks along dimensions. */
  coarsen(windows: Record<string, number>, options: CoarsenOptions = {}): Coarsen {
    return coarsen(this, windows, options);
  }

  /** The single value of a 0-d array as a number (bigint and bool converted). */
  value(): number {
    const v = this.data.item();
    if (typeof v === "object")
      throw new ArrayError("DTYPE_UNSUPPORTED", "complex value; use data.item()", named(this.name));
    return Number(v);
  }

  /** Values as nested JavaScript arrays. */
  values(): unknown {
    return this.data.toArray();
  }
}

function named(name: string | undefined): { array?: string } {
  return name === undefined ? {} : { array: name };
}

function resolveSliceFor(s: Slice, n: number): { start: number; count: number; step: number } {
  return resolveSlice(s, n);
}

function complexOp(fn: BinaryOp): ComplexBinary {
  if (fn === "add" || fn === "sub" || fn === "mul" || fn === "div" || fn === "eq" || fn === "ne") return fn;
  throw new ArrayError("DTYPE_UNSUPPORTED", `${fn} is not defined for complex arrays`);
}

/** Result dtype of applying `fn` to operands of promoted dtype `dtype`. */
export function resultDType(fn: string, dtype: DType): DType {
  if (BOOL_RESULT.has(fn)) return "bool";
  if (FLOAT_RESULT.has(fn)) return floatResult(dtype);
  if ((fn === "floor" || fn === "ceil" || fn === "trunc" || fn === "rint") && dtypeKind(dtype) !== "f")
    return floatResult(dtype);
  if (fn === "neg" && dtype === "bool") throw new ArrayError("DTYPE_UNSUPPORTED", "negative of a bool array");
  if (dtype === "bool" && (fn === "sub" || fn === "pow" || fn === "mod" || fn === "floordiv")) return "int8";
  return dtype;
}

/** Union of dimension names, first operand's order first. */
export function unionDims(arrays: readonly DataArray[]): string[] {
  const out: string[] = [];
  for (const a of arrays) for (const d of a.dims) if (!out.includes(d)) out.push(d);
  return out;
}

/** `a` viewed on `dims` (its own dims in that order, length-1 axes for the others). */
export function viewOn(a: DataArray, dims: readonly string[]): NDArray {
  const own = dims.filter((d) => a.dims.includes(d));
  let v = a.data.transpose(own.map((d) => a.axis(d)));
  for (let k = 0; k < dims.length; k++) if (!a.dims.includes(dims[k] as string)) v = v.expandDims(k);
  return v;
}

/**
 * Align operands on shared dimensions (xarray's default inner join on index coordinates). Without
 * coordinates, lengths must match (DIMENSION_MISMATCH naming the dimension).
 */
export function align(arrays: readonly DataArray[]): DataArray[] {
  const dims = unionDims(arrays);
  let out = [...arrays];
  for (const dim of dims) {
    const having = out.filter((a) => a.dims.includes(dim));
    if (having.length < 2) continue;
    const withCoord = having.filter((a) => a.coords.has(dim));
    const first = withCoord[0]?.coords.get(dim);
    if (
      first &&
      withCoord.every((a) => a.coords.get(dim)?.equals(first)) &&
      having.every((a) => a.sizes[dim] === first.length)
    )
      continue;
    if (!first || withCoord.length < having.length) {
      const n = having[0]?.sizes[dim];
      for (const a of having)
        if (a.sizes[dim] !== n)
          throw new ArrayError(
            "DIMENSION_MISMATCH",
            `dimension "${dim}" has length ${n} in one operand and ${a.sizes[dim]} in ${a.name ? `"${a.name}"` : "another"}`,
            { dimension: dim, ...(a.name === undefined ? {} : { array: a.name }) },
          );
      continue;
    }
    const sets = withCoord.map((a) => new Set(a.coord(dim).labels()));
    const keep = first.labels().filter((l) => sets.every((s) => s.has(l)));
    out = out.map((a) => {
      if (!a.dims.includes(dim)) return a;
      const labels = a.coord(dim).labels();
      const index = new Map(labels.map((l, i) => [l, i]));
      return a.isel({ [dim]: keep.map((l) => index.get(l) as number) });
    });
  }
  return out;
}

function mergedCoords(arrays: readonly DataArray[], dims: readonly string[]): Map<string, Coordinate> {
  const coords = new Map<string, Coordinate>();
  for (const a of arrays)
    for (const [k, c] of a.coords)
      if (!coords.has(k) && c.dims.every((d) => dims.includes(d))) coords.set(k, c);
  return coords;
}

function applyBinary(fn: BinaryOp, a0: DataArray, b0: DataArray): DataArray {
  const [a, b] = align([a0, b0]) as [DataArray, DataArray];
  const dims = unionDims([a, b]);
  const va = viewOn(a, dims);
  const vb = viewOn(b, dims);
  const dtype = resultDType(fn, promote(a.dtype, b.dtype));
  const name = a.name === b.name ? a.name : undefined;
  let data: NDArray;
  if (slotsPerElement(a.dtype) === 2 || slotsPerElement(b.dtype) === 2)
    data = complexBinary(complexOp(fn), va, vb, dtype);
  else
    data = evaluate(
      { op: "binary", fn, a: { op: "input", index: 0 }, b: { op: "input", index: 1 } },
      [va, vb],
      dtype,
      a.name ?? b.name,
    );
  return DataArray.build(data, dims, mergedCoords([a, b], dims), {}, name);
}

function applyWhere(cond: DataArray, x: DataArray, other: Operand): DataArray {
  const parts = typeof other === "number" ? [x, cond] : [x, cond, other];
  const aligned = align(parts);
  const dims = unionDims(aligned);
  const views = aligned.map((a) => viewOn(a, dims));
  let dtype = x.dtype;
  if (typeof other === "number")
    dtype = Number.isNaN(other) && dtypeKind(dtype) !== "f" ? "float64" : promoteScalar(dtype, other);
  else dtype = promote(dtype, other.dtype);
  const b: Expr = typeof other === "number" ? { op: "const", value: other } : { op: "input", index: 2 };
  const data = evaluate(
    { op: "where", cond: { op: "input", index: 1 }, a: { op: "input", index: 0 }, b },
    views,
    dtype,
    x.name,
  );
  return DataArray.build(data, dims, mergedCoords(aligned, dims), x.attrs, x.name);
}

/** Join DataArrays along `dim` (existing: extended; new: added first). Coordinates concatenated. */
export function concat(
  arrays: readonly DataArray[],
  dim: string,
  options: { coord?: CoordInput } = {},
): DataArray {
  const first = arrays[0];
  if (!first) throw new ArrayError("INVALID_ARGUMENT", "concat of no arrays");
  const existing = first.dims.includes(dim);
  const dims = existing ? [...first.dims] : [dim, ...first.dims];
  for (const a of arrays) {
    const own = existing ? a.dims : [dim, ...a.dims];
    if (own.length !== dims.length || own.some((d) => !dims.includes(d)))
      throw new ArrayError(
        "DIMENSION_MISMATCH",
        `concat: dimensions [${a.dims.join(", ")}] differ from [${first.dims.join(", ")}]`,
        { dimension: dim, ...named(a.name) },
      );
  }
  const parts = arrays.map((a) => {
    const v = existing ? a.transpose(...first.dims).data : a.transpose(...first.dims).data.expandDims(0);
    return v;
  });
  const axis = dims.indexOf(dim);
  for (const a of arrays)
    for (const d of first.dims)
      if (d !== dim && a.sizes[d] !== first.sizes[d])
        throw new ArrayError(
          "DIMENSION_MISMATCH",
          `concat along "${dim}": dimension "${d}" has length ${a.sizes[d]}, expected ${first.sizes[d]}`,
          { dimension: d, ...named(a.name) },
        );
  let dtype = first.dtype;
  for (const a of arrays) dtype = promote(dtype, a.dtype);
  const data = concatArrays(parts, axis, dtype);
  const coords = new Map<string, Coordinate>();
  for (const [k, c] of first.coords)
    if (!c.dims.includes(dim) && (existing || c.dims.length > 0 || k !== dim)) coords.set(k, c);
  const along = first.coords.get(dim);
  if (options.coord !== undefined) coords.set(dim, Coordinate.from(dim, options.coord));
  else if (existing && along && arrays.every((a) => a.coords.has(dim)))
    coords.set(
      dim,
      joinCoords(
        arrays.map((a) => a.coord(dim)),
        dim,
        false,
      ),
    );
  else if (!existing && arrays.every((a) => a.coords.get(dim)?.dims.length === 0))
    coords.set(
      dim,
      joinCoords(
        arrays.map((a) => a.coord(dim)),
        dim,
        true,
      ),
    );
  return DataArray.build(data, dims, coords, first.attrs, first.name);
}

/** Labels of several coordinates, end to end, as one coordinate along `dim` (scalars: one each). */
function joinCoords(cs: readonly Coordinate[], dim: string, scalars: boolean): Coordinate {
  const head = cs[0] as Coordinate;
  if (Array.isArray(head.values))
    return new Coordinate(
      [dim],
      cs.flatMap((c) => c.values as string[]),
    );
  const parts = cs.map((c) => (scalars ? (c.values as NDArray).reshape([1]) : (c.values as NDArray)));
  return new Coordinate([dim], concatArrays(parts, 0), { isTime: head.isTime });
}

/** `BINARY` keys, for validation at the edge. */
export const BINARY_OPS = Object.keys(BINARY) as BinaryOp[];
