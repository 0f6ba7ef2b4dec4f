/**
 * LazyDataArray: named dimensions and coordinates over a {@link LazyArray}. Selections of
 * whole dimensions, element-wise arithmetic, NaN-aware reductions by dimension name, resample
 * and groupby along the first dimension, all lazy until `compute()`.
 */
import type { ComputeOptions } from "@meridian/compute/node";
import type { Coordinate, Label } from "../coordinate.js";
import { DataArray } from "../data-array.js";
import { ArrayError } from "../errors.js";
import type { BinaryOp, UnaryOp } from "../expression.js";
import { type GroupBy, groupBy, resample } from "../group-by.js";
import { NDArray } from "../ndarray.js";
import { openZarrArray, readZarr } from "../zarr.js";
import { directoryStore } from "../zarr-directory.js";
import {
  type LazyWindows,
  lazyBroadcastBinary,
  lazyCoarsen,
  lazyRolling,
  lazyWhere,
  type ReductionMethods,
  reductionMethods,
} from "./data-window.js";
import { LazyArray, type LazyReducer } from "./lazy-array.js";

/** Reductions of grouped data. */
export interface LazyGroups extends ReductionMethods {
  reduce(reducer: LazyReducer, options?: { ddof?: number }): LazyDataArray;
}

export class LazyDataArray {
  constructor(
    readonly data: LazyArray,
    readonly dims: readonly string[],
    readonly coords: ReadonlyMap<string, Coordinate>,
    readonly attrs: Record<string, unknown> = {},
    readonly name?: string,
  ) {
    if (dims.length !== data.shape.length)
      throw new ArrayError(
        "DIMENSION_MISMATCH",
        `${dims.length} dimension names for a ${data.shape.length}-d array`,
        { array: name },
      );
  }

  /** One array of a Zarr directory, with its dimension coordinates read eagerly (they are small). */
  static async fromZarr(dir: string, array: string): Promise<LazyDataArray> {
    const store = directoryStore(dir);
    const arr = await openZarrArray(store, array);
    const dims = arr.info.dims ?? arr.shape.map((_, k) => `${array}_dim_${k}`);
    const present: string[] = [];
    for (const d of dims) {
      try {
        await openZarrArray(store, d);
        present.push(d);
      } catch {
        // a dimension without a coordinate array
      }
    }
    const coordsDs = present.length > 0 ? await readZarr(store, { arrays: present }) : null;
    const lazy = await LazyArray.fromZarr(dir, array);
    return new LazyDataArray(
      lazy,
      dims,
      coordsDs ? new Map(coordsDs.coords) : new Map(),
      arr.info.attrs,
      array,
    );
  }

  get shape(): readonly number[] {
    return this.data.shape;
  }

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

  private with(
    data: LazyArray,
    dims: readonly string[] = this.dims,
    coords: ReadonlyMap<string, Coordinate> = this.coords,
  ): LazyDataArray {
    const kept = new Map([...coords].filter(([, c]) => c.dims.every((d) => dims.includes(d))));
    return new LazyDataArray(data, dims, kept, this.attrs, this.name);
  }

  /** Select by position: an integer drops the dimension, `{ start, stop }` keeps a range. */
  isel(indexers: Record<string, number | { start?: number; stop?: number }>): LazyDataArray {
    const spec: (number | { start?: number; stop?: number } | null)[] = this.dims.map(() => null);
    for (const [d, ix] of Object.entries(indexers)) spec[this.axis(d)] = ix;
    const data = this.data.select(spec);
    const dims = this.dims.filter((d) => typeof indexers[d] !== "number");
    const coords = new Map<string, Coordinate>();
    for (const [k, c] of this.coords) {
      const d = c.dims[0];
      if (c.dims.length !== 1 || d === undefined || indexers[d] === undefined) {
        coords.set(k, c);
        continue;
      }
      const ix = indexers[d] as number | { start?: number; stop?: number };
      const n = c.length;
      if (typeof ix === "number") continue;
      const start = Math.max(
        0,
        Math.min(n, ix.start === undefined ? 0 : ix.start < 0 ? ix.start + n : ix.start),
      );
      const stop = Math.max(
        start,
        Math.min(n, ix.stop === undefined ? n : ix.stop < 0 ? ix.stop + n : ix.stop),
      );
      coords.set(k, c.take(Array.from({ length: stop - start }, (_, i) => start + i)));
    }
    return new LazyDataArray(data, dims, coords, this.attrs, this.name);
  }

  /** Select by label: a label drops the dimension, `{ start, stop }` keeps an inclusive label range. */
  sel(
    indexers: Record<string, Label | { start?: Label; stop?: Label }>,
    options: { method?: "nearest" } = {},
  ): LazyDataArray {
    const pos: Record<string, number | { start?: number; stop?: number }> = {};
    for (const [d, ix] of Object.entries(indexers)) {
      this.axis(d);
      const c = this.coords.get(d);
      if (!c)
        throw new ArrayError("UNKNOWN_VARIABLE", `sel: dimension "${d}" has no coordinate`, {
          array: this.name,
          dimension: d,
        });
      if (typeof ix === "object" && !(ix instanceof Date)) {
        const p = c.sliceRange(ix.start, ix.stop, d);
        pos[d] =
          p.length === 0
            ? { start: 0, stop: 0 }
            : { start: p[0] as number, stop: (p[p.length - 1] as number) + 1 };
      } else pos[d] = c.positionOf(ix, d, options.method);
    }
    return this.isel(pos);
  }

  binary(fn: BinaryOp, other: LazyDataArray | number): LazyDataArray {
    if (typeof other === "number") return this.with(this.data.binary(fn, other));
    // by dimension name; operands chunked differently are rechunked to this one's chunks
    return lazyBroadcastBinary(this, fn, other);
  }

  add(o: LazyDataArray | number): LazyDataArray {
    return this.binary("add", o);
  }
  sub(o: LazyDataArray | number): LazyDataArray {
    return this.binary("sub", o);
  }
  mul(o: LazyDataArray | number): LazyDataArray {
    return this.binary("mul", o);
  }
  div(o: LazyDataArray | number): LazyDataArray {
    return this.binary("div", o);
  }
  gt(o: LazyDataArray | number): LazyDataArray {
    return this.binary("gt", o);
  }
  lt(o: LazyDataArray | number): LazyDataArray {
    return this.binary("lt", o);
  }

  map(fn: UnaryOp): LazyDataArray {
    return this.with(this.data.map(fn));
  }

  where(cond: LazyDataArray, other = NaN): LazyDataArray {
    // the condition is broadcast by name to this array's dimensions and chunks
    return lazyWhere(this, cond, other);
  }

  reduce(
    reducer: LazyReducer,
    dim?: string | readonly string[],
    options: { ddof?: number } = {},
  ): LazyDataArray {
    const dims = dim === undefined ? [...this.dims] : typeof dim === "string" ? [dim] : [...dim];
    const axes = dims.map((d) => this.axis(d));
    const left = this.dims.filter((d) => !dims.includes(d));
    return this.with(this.data.reduce(reducer, axes, options), left);
  }

  /** Median over `dim` (all chunks along it are assembled per task; see LazyArray.reduceExact). */
  median(dim: string | readonly string[]): LazyDataArray {
    return this.exact("median", dim);
  }

  /** Quantile `q` in [0, 1] over `dim` (numpy's linear interpolation, NaN skipped). */
  quantile(q: number, dim: string | readonly string[]): LazyDataArray {
    return this.exact("quantile", dim, q);
  }

  private exact(reducer: "median" | "quantile", dim: string | readonly string[], q?: number): LazyDataArray {
    const dims = typeof dim === "string" ? [dim] : [...dim];
    const axes = dims.map((d) => this.axis(d));
    return this.with(
      this.data.reduceExact(reducer, axes, q),
      this.dims.filter((d) => !dims.includes(d)),
    );
  }

  mean(dim?: string | readonly string[]): LazyDataArray {
    return this.reduce("mean", dim);
  }
  sum(dim?: string | readonly string[]): LazyDataArray {
    return this.reduce("sum", dim);
  }
  std(dim?: string | readonly string[], o?: { ddof?: number }): LazyDataArray {
    return this.reduce("std", dim, o);
  }
  var(dim?: string | readonly string[], o?: { ddof?: number }): LazyDataArray {
    return this.reduce("var", dim, o);
  }
  min(dim?: string | readonly string[]): LazyDataArray {
    return this.reduce("min", dim);
  }
  max(dim?: string | readonly string[]): LazyDataArray {
    return this.reduce("max", dim);
  }
  count(dim?: string | readonly string[]): LazyDataArray {
    return this.reduce("count", dim);
  }

  private grouped(split: GroupBy): LazyGroups {
    if (this.dims[0] !== split.dim)
      throw new ArrayError(
        "DIMENSION_MISMATCH",
        `lazy resample/groupby runs along the first dimension; "${split.dim}" is not first in [${this.dims}]`,
        { array: this.name, dimension: split.dim },
      );
    const n = this.shape[0] as number;
    const ids = new Array<number>(n).fill(-1);
    split.groups.forEach((pos, g) => {
      for (const p of pos) ids[p] = g;
    });
    const run = (reducer: LazyReducer, options: { ddof?: number } = {}) => {
      const data = this.data.reduceGroups(reducer, ids, split.groups.length, options);
      const dims = [split.groupDim, ...this.dims.slice(1)];
      const coords = new Map([...this.coords].filter(([k]) => k !== split.dim));
      coords.set(split.groupDim, split.keys);
      return new LazyDataArray(data, dims, coords, this.attrs, this.name);
    };
    return { reduce: run, ...reductionMethods((reducer) => run(reducer)) };
  }

  private coordinateStub(dim: string): DataArray {
    const c = this.coords.get(dim);
    if (!c)
      throw new ArrayError("UNKNOWN_VARIABLE", `no coordinate "${dim}"`, {
        array: this.name,
        dimension: dim,
      });
    return DataArray.build(
      NDArray.zeros([c.length]),
      [c.dims[0] as string],
      new Map([[dim, c]]),
      {},
      this.name,
    );
  }

  /** Resample the first (time) dimension: `resample({ time: "MS" }).mean()`. */
  resample(spec: Record<string, string>): LazyGroups {
    const dim = Object.keys(spec)[0] as string;
    this.axis(dim);
    return this.grouped(resample(this.coordinateStub(dim), spec));
  }

  /** Group the first dimension by a coordinate or time component (`"time.month"`). */
  groupby(key: string): LazyGroups {
    return this.grouped(groupBy(this.coordinateStub(key.split(".")[0] as string), key));
  }

  /** Moving window along one dimension: `rolling({ time: 3 }, { center: true }).mean()` (data-window.ts). */
  rolling(
    spec: Record<string, number>,
    options: { center?: boolean; minPeriods?: number } = {},
  ): LazyWindows {
    return lazyRolling(this, spec, options);
  }

  /** Block reduction: `coarsen({ x: 2, y: 2 }).mean()`; `boundary: "trim"` drops a remainder. */
  coarsen(spec: Record<string, number>, options: { boundary?: "exact" | "trim" } = {}): LazyWindows {
    return lazyCoarsen(this, spec, options);
  }

  /** Run on worker threads; an eager DataArray. */
  async compute(options: ComputeOptions = {}): Promise<DataArray> {
    const data = await this.data.compute(options);
    return DataArray.build(data, this.dims, this.coords, this.attrs, this.name);
  }

  /** Compute and keep the chunks (shared memory, or a Zarr `dir`); continue lazily from them. */
  async persist(options: ComputeOptions & { dir?: string } = {}): Promise<LazyDataArray> {
    return this.with(await this.data.persist(options));
  }
}
