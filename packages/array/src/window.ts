/**
 * Moving windows (`rolling`) and block reductions (`coarsen`) along named dimensions, with
 * xarray's conventions: rolling windows end at the label (or centre on it), positions with fewer
 * than `minPeriods` non-NaN values give NaN; coarsen reduces disjoint blocks, coordinates become
 * block means.
 */
import { Coordinate } from "./coordinate.js";
import { DataArray } from "./data-array.js";
import { floatResult } from "./dtype.js";
import { ArrayError } from "./errors.js";
import { contiguousStrides, NDArray } from "./ndarray.js";
import { type Reducer, reduce, reduceValues } from "./reduce.js";

/** The reductions every window kind offers, by name. */
abstract class WindowReductions {
  abstract reduce(reducer: Reducer): DataArray;
  sum(): DataArray {
    return this.reduce("sum");
  }
  mean(): DataArray {
    return this.reduce("mean");
  }
  std(): DataArray {
    return this.reduce("std");
  }
  var(): DataArray {
    return this.reduce("var");
  }
  min(): DataArray {
    return this.reduce("min");
  }
  max(): DataArray {
    return this.reduce("max");
  }
  median(): DataArray {
    return this.reduce("median");
  }
  count(): DataArray {
    return this.reduce("count");
  }
}

export interface RollingOptions {
  center?: boolean;
  /** Minimum non-NaN values in a window (default: the window length). */
  minPeriods?: number;
}

/** A moving window along one dimension. */
export class Rolling extends WindowReductions {
  constructor(
    readonly array: DataArray,
    readonly dim: string,
    readonly window: number,
    readonly options: RollingOptions = {},
  ) {
    super();
    array.axis(dim);
    if (!Number.isInteger(window) || window < 1)
      throw new ArrayError("INVALID_ARGUMENT", `rolling window must be a positive integer, got ${window}`, {
        dimension: dim,
      });
  }

  override reduce(reducer: Reducer): DataArray {
    const a = this.array;
    const k = a.axis(this.dim);
    const order = [...a.dims.keys()].filter((i) => i !== k).concat([k]);
    const src = a.data.transpose(order).copy("C");
    const flat = src.toFloat64();
    const n = a.shape[k] as number;
    const lines = n === 0 ? 0 : flat.length / n;
    const w = this.window;
    const minP = this.options.minPeriods ?? w;
    // xarray pads floor(w/2) before and w-1-floor(w/2) after a centred window
    const shift = this.options.center ? w - 1 - Math.floor(w / 2) : 0;
    const dtype = reducer === "count" ? "float64" : floatResult(a.dtype);
    const out = NDArray.zeros(src.shape, dtype);
    const od = out.data as Float64Array;
    const buf = new Float64Array(w);
    for (let l = 0; l < lines; l++) {
      const base = l * n;
      for (let i = 0; i < n; i++) {
        const end = Math.min(i + shift, n - 1);
        const start = Math.max(i + shift - w + 1, 0);
        let m = 0;
        let valid = 0;
        for (let j = start; j <= end; j++) {
          const v = flat[base + j] as number;
          buf[m++] = v;
          if (!Number.isNaN(v)) valid++;
        }
        od[base + i] = valid < minP ? NaN : reduceValues(buf, m, reducer);
      }
    }
    const inverse = order.map((_, i) => order.indexOf(i));
    return DataArray.build(out.transpose(inverse), a.dims, a.coords, a.attrs, a.name);
  }
}

/** `rolling(da, { time: 3 }, { center: true }).mean()`. */
export function rolling(
  array: DataArray,
  spec: Record<string, number>,
  options: RollingOptions = {},
): Rolling {
  const entries = Object.entries(spec);
  if (entries.length !== 1) throw new ArrayError("INVALID_ARGUMENT", "rolling takes one dimension");
  const [dim, w] = entries[0] as [string, number];
  return new Rolling(array, dim, w, options);
}

export interface CoarsenOptions {
  /** "exact" (default): lengths must divide; "trim": drop the remainder at the end. */
  boundary?: "exact" | "trim";
}

/** Disjoint blocks along one or more dimensions. */
export class Coarsen extends WindowReductions {
  constructor(
    readonly array: DataArray,
    readonly windows: Record<string, number>,
    readonly options: CoarsenOptions = {},
  ) {
    super();
  }

  override reduce(reducer: Reducer): DataArray {
    let a = this.array;
    const trim: Record<string, { start: number; stop: number }> = {};
    for (const [dim, w] of Object.entries(this.windows)) {
      const n = a.sizes[dim];
      if (n === undefined) a.axis(dim);
      if (!Number.isInteger(w) || w < 1)
        throw new ArrayError("INVALID_ARGUMENT", `coarsen window must be a positive integer`, {
          dimension: dim,
        });
      const len = n as number;
      if (len % w !== 0) {
        if ((this.options.boundary ?? "exact") === "exact")
          throw new ArrayError(
            "DIMENSION_MISMATCH",
            `coarsen: dimension "${dim}" of length ${len} is not a multiple of ${w} (use boundary "trim")`,
            { array: a.name, dimension: dim },
          );
        trim[dim] = { start: 0, stop: len - (len % w) };
      }
    }
    if (Object.keys(trim).length > 0) a = a.isel(trim);
    const src = a.data.copy("C");
    const shape: number[] = [];
    const reduced: number[] = [];
    a.dims.forEach((d, k) => {
      const w = this.windows[d];
      const n = src.shape[k] as number;
      if (w === undefined) shape.push(n);
      else {
        shape.push(n / w, w);
        reduced.push(shape.length - 1);
      }
    });
    const view = new NDArray(src.dtype, shape, src.data, contiguousStrides(shape), 0);
    const data = reduce(view, reducer, reduced);
    const coords = new Map<string, Coordinate>();
    for (const [name, c] of a.coords) {
      const d = c.dims[0];
      if (c.dims.length !== 1 || d === undefined || this.windows[d] === undefined) {
        coords.set(name, c);
        continue;
      }
      const w = this.windows[d] as number;
      if (Array.isArray(c.values)) continue;
      const v = c.numbers();
      const means = Array.from({ length: v.length / w }, (_, j) => {
        let s = 0;
        for (let i = 0; i < w; i++) s += v[j * w + i] as number;
        return s / w;
      });
      coords.set(
        name,
        new Coordinate([d], NDArray.from(means, { dtype: "float64" }), { isTime: c.isTime, attrs: c.attrs }),
      );
    }
    return DataArray.build(data, a.dims, coords, a.attrs, a.name);
  }
}

/** `coarsen(da, { x: 2, y: 2 }).mean()`. */
export function coarsen(
  array: DataArray,
  windows: Record<string, number>,
  options: CoarsenOptions = {},
): Coarsen {
  for (const d of Object.keys(windows)) array.axis(d);
  return new Coarsen(array, windows, options);
}
