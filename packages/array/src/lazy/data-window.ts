/**
 * `rolling`, `coarsen` and broadcasting by dimension name for {@link LazyDataArray} (the
 * chunked work is in window.ts): coordinates follow xarray (rolling keeps them, coarsen
 * replaces the coarsened dimensions' coordinates by block means).
 */
import type { Coordinate } from "../coordinate.js";
import { DataArray } from "../data-array.js";
import { ArrayError } from "../errors.js";
import type { BinaryOp } from "../expression.js";
import { NDArray } from "../ndarray.js";
import type { Reducer } from "../reduce.js";
import { coarsen as eagerCoarsen } from "../window.js";
import type { LazyDataArray } from "./lazy-data-array.js";
import { broadcastLazy, coarsenLazy, rollingLazy } from "./window.js";

/** The named reductions of windows and groups, each a call of `run`. */
export interface ReductionMethods {
  mean(): LazyDataArray;
  sum(): LazyDataArray;
  std(): LazyDataArray;
  var(): LazyDataArray;
  min(): LazyDataArray;
  max(): LazyDataArray;
  count(): LazyDataArray;
}

/** Reductions of lazy windows. */
export interface LazyWindows extends ReductionMethods {
  reduce(reducer: Reducer): LazyDataArray;
}

/** `{ mean: () => run("mean"), ... }` for every reduction of {@link ReductionMethods}. */
export function reductionMethods(
  run: (reducer: "mean" | "sum" | "std" | "var" | "min" | "max" | "count") => LazyDataArray,
): ReductionMethods {
  return {
    mean: () => run("mean"),
    sum: () => run("sum"),
    std: () => run("std"),
    var: () => run("var"),
    min: () => run("min"),
    max: () => run("max"),
    count: () => run("count"),
  };
}

function windows(run: (reducer: Reducer) => LazyDataArray): LazyWindows {
  return { reduce: run, ...reductionMethods(run) };
}

/** `a.rolling({ time: 3 }, { center: true }).mean()`, lazily (halo exchange between chunks). */
export function lazyRolling(
  a: LazyDataArray,
  spec: Record<string, number>,
  options: { center?: boolean; minPeriods?: number } = {},
): LazyWindows {
  const entries = Object.entries(spec);
  if (entries.length !== 1)
    throw new ArrayError("INVALID_ARGUMENT", "rolling takes one dimension", { array: a.name });
  const [dim, w] = entries[0] as [string, number];
  const axis = a.axis(dim);
  return windows(
    (reducer) =>
      new (a.constructor as typeof LazyDataArray)(
        rollingLazy(a.data, axis, w, reducer, { ...options, dimension: dim }),
        a.dims,
        a.coords,
        a.attrs,
        a.name,
      ),
  );
}

/** `a.coarsen({ x: 2 }).mean()`, lazily (one task per output chunk). */
export function lazyCoarsen(
  a: LazyDataArray,
  spec: Record<string, number>,
  options: { boundary?: "exact" | "trim" } = {},
): LazyWindows {
  for (const d of Object.keys(spec)) a.axis(d);
  const factors = a.dims.map((d) => spec[d] ?? 1);
  return windows((reducer) => {
    const data = coarsenLazy(a.data, factors, reducer, { ...options, dims: a.dims });
    const coords = new Map<string, Coordinate>();
    for (const [name, c] of a.coords) {
      const touched = c.dims.filter((d) => spec[d] !== undefined);
      if (touched.length === 0) {
        coords.set(name, c);
        continue;
      }
      if (c.dims.length !== 1 || name !== c.dims[0]) continue;
      // block means of a dimension coordinate, as the eager coarsen computes them
      const d = name;
      const n = (a.shape[a.axis(d)] as number) - ((a.shape[a.axis(d)] as number) % (spec[d] as number));
      const stub = DataArray.build(NDArray.zeros([c.length]), [d], new Map([[d, c]]), {}, a.name);
      const cut = stub.isel({ [d]: { start: 0, stop: n } });
      const mean = eagerCoarsen(cut, { [d]: spec[d] as number })
        .reduce("sum")
        .coords.get(d);
      if (mean) coords.set(name, mean);
    }
    return new (a.constructor as typeof LazyDataArray)(data, a.dims, coords, a.attrs, a.name);
  });
}

/**
 * `a op b` for operands with different dimensions, broadcast by name (xarray's order: the
 * dimensions of `a`, then those only in `b`). Shared dimensions must have the same length and
 * coordinates; the result takes `a`'s chunks (and `b`'s along dimensions only `b` has).
 */
export function lazyBroadcastBinary(a: LazyDataArray, fn: BinaryOp, b: LazyDataArray): LazyDataArray {
  const dims = [...a.dims, ...b.dims.filter((d) => !a.dims.includes(d))];
  const size = (d: string) => {
    const ka = a.dims.indexOf(d);
    return ka >= 0 ? (a.shape[ka] as number) : (b.shape[b.dims.indexOf(d)] as number);
  };
  for (const d of dims) {
    const ka = a.dims.indexOf(d);
    const kb = b.dims.indexOf(d);
    if (ka < 0 || kb < 0) continue;
    if (a.shape[ka] !== b.shape[kb])
      throw new ArrayError(
        "DIMENSION_MISMATCH",
        `dimension "${d}" has length ${a.shape[ka]} in "${a.name ?? "left"}" and ${b.shape[kb]} in "${b.name ?? "right"}"; select a common range first`,
        { array: b.name ?? a.name, dimension: d },
      );
    const ca = a.coords.get(d);
    const cb = b.coords.get(d);
    if (ca && cb && !ca.equals(cb))
      throw new ArrayError(
        "DIMENSION_MISMATCH",
        `coordinate "${d}" differs between lazy operands; select a common range first`,
        { array: b.name ?? a.name, dimension: d },
      );
  }
  const shape = dims.map(size);
  const chunks = dims.map((d) => {
    const ka = a.dims.indexOf(d);
    return ka >= 0 ? (a.data.chunkShape[ka] as number) : (b.data.chunkShape[b.dims.indexOf(d)] as number);
  });
  const expand = (x: LazyDataArray) =>
    x.dims.join() === dims.join() && x.data.chunkShape.every((c, k) => c === chunks[k])
      ? x.data
      : broadcastLazy(x.data, x.dims, dims, shape, chunks);
  const left = expand(a);
  const right = expand(b);
  const coords = new Map([...b.coords, ...a.coords]);
  return new (a.constructor as typeof LazyDataArray)(left.binary(fn, right), dims, coords, a.attrs, a.name);
}

/**
 * `a.where(cond, other)` with `cond` broadcast by name to `a`'s dimensions and chunks (e.g. a
 * (y, x) mask for a (time, y, x) cube); `cond` may not add dimensions.
 */
export function lazyWhere(a: LazyDataArray, cond: LazyDataArray, other: number): LazyDataArray {
  const extra = cond.dims.find((d) => !a.dims.includes(d));
  if (extra !== undefined)
    throw new ArrayError(
      "DIMENSION_MISMATCH",
      `where: condition dimension "${extra}" is not one of [${a.dims.join(", ")}]${a.name ? ` of "${a.name}"` : ""}`,
      { array: cond.name ?? a.name, dimension: extra },
    );
  const mask =
    cond.dims.join() === a.dims.join() && cond.data.chunkShape.every((c, k) => c === a.data.chunkShape[k])
      ? cond.data
      : broadcastLazy(cond.data, cond.dims, a.dims, a.shape, a.data.chunkShape);
  return new (a.constructor as typeof LazyDataArray)(
    a.data.where(mask, other),
    a.dims,
    a.coords,
    a.attrs,
    a.name,
  );
}
