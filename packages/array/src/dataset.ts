/**
 * Dataset: named DataArrays (data variables) sharing dimensions and coordinates, with attributes.
 * Selection, reductions, groupby and resample apply to every variable that has the dimension.
 */
import { type CoordInput, Coordinate } from "./coordinate.js";
import {
  concat as concatArrays,
  DataArray,
  type LabelIndexer,
  type PositionalIndexer,
} from "./data-array.js";
import { ArrayError } from "./errors.js";
import type { Frequency } from "./group-by.js";
import type { ReduceOptions, Reducer } from "./reduce.js";

/** A collection of variables on shared dimensions. */
export class Dataset {
  readonly dataVars: ReadonlyMap<string, DataArray>;
  readonly coords: ReadonlyMap<string, Coordinate>;
  readonly attrs: Record<string, unknown>;

  constructor(
    dataVars: Record<string, DataArray> | ReadonlyMap<string, DataArray>,
    options: { coords?: Record<string, CoordInput>; attrs?: Record<string, unknown> } = {},
  ) {
    const vars = new Map<string, DataArray>(dataVars instanceof Map ? dataVars : Object.entries(dataVars));
    const coords = new Map<string, Coordinate>();
    const sizes = new Map<string, number>();
    for (const [name, v] of vars) {
      for (const [d, n] of Object.entries(v.sizes)) {
        const had = sizes.get(d);
        if (had !== undefined && had !== n)
          throw new ArrayError(
            "DIMENSION_MISMATCH",
            `dimension "${d}" has length ${had} in one variable and ${n} in "${name}"`,
            { array: name, dimension: d },
          );
        sizes.set(d, n);
      }
      for (const [k, c] of v.coords) {
        const had = coords.get(k);
        if (had && !had.equals(c))
          throw new ArrayError(
            "DIMENSION_MISMATCH",
            `coordinate "${k}" differs between variables (at "${name}"); align them first`,
            { array: name, dimension: k },
          );
        coords.set(k, c);
      }
    }
    for (const [k, input] of Object.entries(options.coords ?? {})) {
      const c = Coordinate.from(k, input);
      for (const d of c.dims) {
        const n = sizes.get(d);
        if (n !== undefined && c.dims.length === 1 && n !== c.length)
          throw new ArrayError(
            "DIMENSION_MISMATCH",
            `coordinate "${k}" has ${c.length} labels, dimension "${d}" has length ${n}`,
            { dimension: d },
          );
        if (n === undefined) sizes.set(d, c.length);
      }
      coords.set(k, c);
    }
    for (const [name, v] of vars) {
      const own = new Map(v.coords);
      for (const [k, c] of coords) if (c.dims.every((d) => v.dims.includes(d))) own.set(k, c);
      vars.set(name, DataArray.build(v.data, v.dims, own, v.attrs, name));
    }
    this.dataVars = vars;
    this.coords = coords;
    this.attrs = options.attrs ?? {};
  }

  /** Dimension name → length. */
  get sizes(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const v of this.dataVars.values()) Object.assign(out, v.sizes);
    for (const c of this.coords.values())
      if (c.dims.length === 1 && out[c.dims[0] as string] === undefined) out[c.dims[0] as string] = c.length;
    return out;
  }

  /** Dimension names. */
  get dims(): string[] {
    return Object.keys(this.sizes);
  }

  /** The data variable `name` (UNKNOWN_VARIABLE when absent). */
  get(name: string): DataArray {
    const v = this.dataVars.get(name);
    if (!v)
      throw new ArrayError(
        "UNKNOWN_VARIABLE",
        `no variable "${name}" in dataset (has ${[...this.dataVars.keys()].join(", ") || "none"})`,
        { array: name },
      );
    return v;
  }

  /** A copy with `name` set to `value` (aligned coordinates required). */
  assign(vars: Record<string, DataArray>): Dataset {
    const all = new Map(this.dataVars);
    for (const [k, v] of Object.entries(vars)) all.set(k, v.rename(k));
    return new Dataset(all, { attrs: this.attrs });
  }

  /** Apply `fn` to every variable (variables without the needed dims are passed through when `onlyWith`). */
  map(fn: (v: DataArray, name: string) => DataArray, onlyWith?: readonly string[]): Dataset {
    const out = new Map<string, DataArray>();
    for (const [k, v] of this.dataVars) {
      if (onlyWith && !onlyWith.every((d) => v.dims.includes(d))) out.set(k, v);
      else out.set(k, fn(v, k).rename(k));
    }
    const keep: Record<string, Coordinate> = {};
    for (const [k, c] of this.coords)
      if (
        ![...out.values()].some((v) => v.coords.has(k)) &&
        c.dims.every((d) => [...out.values()].some((v) => v.dims.includes(d)))
      )
        keep[k] = c;
    return new Dataset(out, { coords: keep, attrs: this.attrs });
  }

  private checkDims(dims: readonly string[]): void {
    const have = this.dims;
    for (const d of dims)
      if (!have.includes(d))
        throw new ArrayError("UNKNOWN_DIMENSION", `dimension "${d}" not in dataset [${have.join(", ")}]`, {
          dimension: d,
        });
  }

  isel(indexers: Record<string, PositionalIndexer>): Dataset {
    this.checkDims(Object.keys(indexers));
    return this.map((v) =>
      v.isel(Object.fromEntries(Object.entries(indexers).filter(([d]) => v.dims.includes(d)))),
    );
  }

  sel(
    indexers: Record<string, LabelIndexer>,
    options: { method?: "nearest"; tolerance?: number } = {},
  ): Dataset {
    this.checkDims(Object.keys(indexers));
    return this.map((v) =>
      v.sel(Object.fromEntries(Object.entries(indexers).filter(([d]) => v.dims.includes(d))), options),
    );
  }

  reduce(reducer: Reducer, dim?: string | readonly string[], options: ReduceOptions = {}): Dataset {
    const dims = dim === undefined ? undefined : typeof dim === "string" ? [dim] : [...dim];
    if (dims) this.checkDims(dims);
    return this.map((v) =>
      v.reduce(
        reducer,
        dims?.filter((d) => v.dims.includes(d)),
        options,
      ),
    );
  }

  mean(dim?: string | readonly string[], o?: ReduceOptions): Dataset {
    return this.reduce("mean", dim, o);
  }
  sum(dim?: string | readonly string[], o?: ReduceOptions): Dataset {
    return this.reduce("sum", dim, o);
  }
  std(dim?: string | readonly string[], o?: ReduceOptions): Dataset {
    return this.reduce("std", dim, o);
  }
  min(dim?: string | readonly string[], o?: ReduceOptions): Dataset {
    return this.reduce("min", dim, o);
  }
  max(dim?: string | readonly string[], o?: ReduceOptions): Dataset {
    return this.reduce("max", dim, o);
  }
  median(dim?: string | readonly string[], o?: ReduceOptions): Dataset {
    return this.reduce("median", dim, o);
  }
  count(dim?: string | readonly string[], o?: ReduceOptions): Dataset {
    return this.reduce("count", dim, o);
  }

  /** Resample each variable that has the time dimension, then reduce. */
  resample(spec: Record<string, Frequency>): {
    reduce(r: Reducer, o?: ReduceOptions): Dataset;
    mean(): Dataset;
    sum(): Dataset;
    median(): Dataset;
    max(): Dataset;
    min(): Dataset;
  } {
    const dims = Object.keys(spec);
    this.checkDims(dims);
    const run = (r: Reducer, o: ReduceOptions = {}) => this.map((v) => v.resample(spec).reduce(r, o), dims);
    return {
      reduce: run,
      mean: () => run("mean"),
      sum: () => run("sum"),
      median: () => run("median"),
      max: () => run("max"),
      min: () => run("min"),
    };
  }

  /** Group each variable by a coordinate or time component, then reduce. */
  groupby(key: string): { reduce(r: Reducer, o?: ReduceOptions): Dataset; mean(): Dataset; sum(): Dataset } {
    const coordName = key.split(".")[0] as string;
    const c = this.coords.get(coordName);
    if (!c)
      throw new ArrayError("UNKNOWN_VARIABLE", `groupby: no coordinate "${coordName}"`, {
        dimension: coordName,
      });
    const run = (r: Reducer, o: ReduceOptions = {}) => this.map((v) => v.groupby(key).reduce(r, o), c.dims);
    return { reduce: run, mean: () => run("mean"), sum: () => run("sum") };
  }
}

/** Combine datasets and named arrays into one; conflicting variables or coordinates are an error. */
export function merge(items: readonly (Dataset | DataArray)[]): Dataset {
  const vars = new Map<string, DataArray>();
  const attrs: Record<string, unknown> = {};
  for (const it of items) {
    const entries: [string, DataArray][] = it instanceof Dataset ? [...it.dataVars] : [[it.name ?? "", it]];
    if (it instanceof DataArray && it.name === undefined)
      throw new ArrayError("INVALID_ARGUMENT", "merge: a DataArray needs a name");
    if (it instanceof Dataset) Object.assign(attrs, it.attrs);
    for (const [k, v] of entries) {
      const had = vars.get(k);
      if (
        had &&
        !(
          had.dims.join() === v.dims.join() &&
          had.data.toFloat64().every((x, i) => Object.is(x, v.data.toFloat64()[i]))
        )
      )
        throw new ArrayError("DIMENSION_MISMATCH", `merge: variable "${k}" has conflicting values`, {
          array: k,
        });
      vars.set(k, v);
    }
  }
  return new Dataset(vars, { attrs });
}

/** Concatenate datasets along `dim` variable by variable. */
export function concatDatasets(datasets: readonly Dataset[], dim: string): Dataset {
  const first = datasets[0];
  if (!first) throw new ArrayError("INVALID_ARGUMENT", "concat of no datasets");
  const out = new Map<string, DataArray>();
  for (const name of first.dataVars.keys())
    out.set(
      name,
      concatArrays(
        datasets.map((d) => d.get(name)),
        dim,
      ),
    );
  return new Dataset(out, { attrs: first.attrs });
}
