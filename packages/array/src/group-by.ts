/**
 * groupby and resample: split along one dimension into groups, reduce each, join the results
 * along a new dimension labelled by the group keys (xarray semantics: keys sorted; resample makes
 * every bin from the first to the last, empty bins give NaN).
 */
import { Coordinate } from "./coordinate.js";
import { concat, DataArray } from "./data-array.js";
import { ArrayError } from "./errors.js";
import { NDArray } from "./ndarray.js";
import type { ReduceOptions, Reducer } from "./reduce.js";

/** Time components usable as `"time.month"` etc. */
export type TimeComponent = "year" | "month" | "day" | "hour" | "dayofyear" | "season";

/** A split of a DataArray along `dim` into labelled groups of positions. */
export class GroupBy {
  constructor(
    readonly array: DataArray,
    readonly dim: string,
    /** New dimension name of the result. */
    readonly groupDim: string,
    readonly keys: Coordinate,
    readonly groups: readonly (readonly number[])[],
  ) {}

  /** Reduce each group over `dim`. */
  reduce(reducer: Reducer, options: ReduceOptions = {}): DataArray {
    const parts = this.groups.map((pos) => {
      if (pos.length === 0) {
        const shape = this.array.dims.filter((d) => d !== this.dim).map((d) => this.array.sizes[d] as number);
        const empty = this.array.isel({ [this.dim]: 0 });
        const fill = reducer === "count" ? 0 : reducer === "sum" ? 0 : NaN;
        const dtype =
          reducer === "count"
            ? "int64"
            : reducer === "sum" && empty.dtype !== "float32"
              ? "float64"
              : empty.dtype === "float32"
                ? "float32"
                : "float64";
        return DataArray.build(
          NDArray.full(shape, fill, dtype),
          empty.dims,
          empty.coords,
          {},
          this.array.name,
        );
      }
      return this.array.isel({ [this.dim]: pos as number[] }).reduce(reducer, this.dim, options);
    });
    const out = concat(parts, this.groupDim, { coord: this.keys });
    return out;
  }

  sum(o?: ReduceOptions): DataArray {
    return this.reduce("sum", o);
  }
  mean(o?: ReduceOptions): DataArray {
    return this.reduce("mean", o);
  }
  std(o?: ReduceOptions): DataArray {
    return this.reduce("std", o);
  }
  var(o?: ReduceOptions): DataArray {
    return this.reduce("var", o);
  }
  min(o?: ReduceOptions): DataArray {
    return this.reduce("min", o);
  }
  max(o?: ReduceOptions): DataArray {
    return this.reduce("max", o);
  }
  median(o?: ReduceOptions): DataArray {
    return this.reduce("median", o);
  }
  count(o?: ReduceOptions): DataArray {
    return this.reduce("count", o);
  }
  quantile(q: number, o?: ReduceOptions): DataArray {
    return this.reduce("quantile", { ...o, q });
  }
}

/** Calendar component of an epoch-ms time (UTC). */
export function timeComponent(ms: number, part: TimeComponent): number | string {
  const d = new Date(ms);
  switch (part) {
    case "year":
      return d.getUTCFullYear();
    case "month":
      return d.getUTCMonth() + 1;
    case "day":
      return d.getUTCDate();
    case "hour":
      return d.getUTCHours();
    case "dayofyear":
      return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
    case "season":
      return ["DJF", "DJF", "MAM", "MAM", "MAM", "JJA", "JJA", "JJA", "SON", "SON", "SON", "DJF"][
        d.getUTCMonth()
      ] as string;
  }
}

/** Group `array` by the values of a 1-d coordinate, or by `"<time coord>.<component>"`. */
export function groupBy(array: DataArray, key: string): GroupBy {
  const [coordName, part] = key.split(".") as [string, TimeComponent | undefined];
  const c = array.coords.get(coordName);
  if (!c)
    throw new ArrayError("UNKNOWN_VARIABLE", `groupby: no coordinate "${coordName}"`, {
      array: array.name,
      dimension: coordName,
    });
  if (c.dims.length !== 1)
    throw new ArrayError("DIMENSION_MISMATCH", `groupby: coordinate "${coordName}" must be 1-d`, {
      array: array.name,
      dimension: coordName,
    });
  if (part && !c.isTime)
    throw new ArrayError("INVALID_ARGUMENT", `groupby "${key}": "${coordName}" is not a time coordinate`, {
      dimension: coordName,
    });
  const dim = c.dims[0] as string;
  const labels = c.labels().map((l) => (part ? timeComponent(l as number, part) : l));
  const unique = [...new Set(labels)].sort((a, b) =>
    typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : 1,
  );
  const groups = unique.map((u) => labels.flatMap((l, i) => (l === u ? [i] : [])));
  const groupDim = part ?? coordName;
  const keys =
    typeof unique[0] === "string"
      ? new Coordinate([groupDim], unique as string[])
      : new Coordinate(
          [groupDim],
          NDArray.from(unique as number[], {
            dtype: part ? "int64" : c.values instanceof NDArray ? c.values.dtype : "float64",
          }),
          { isTime: c.isTime && !part },
        );
  return new GroupBy(array, dim, groupDim, keys, groups);
}

/** A resampling frequency: `"D"`, `"<n>D"`, `"H"`, `"<n>H"`, `"MS"` (month start), `"M"`/`"ME"` (month end label), `"YS"`, `"Y"`. */
export type Frequency = string;

interface Bins {
  /** Start (inclusive) of each bin, epoch ms. */
  starts: number[];
  /** Label of each bin, epoch ms. */
  labels: number[];
}

function parseFrequency(freq: Frequency): { n: number; unit: string } {
  const m = /^(\d*)(D|H|T|min|MS|ME|M|YS|AS|Y|A)$/.exec(freq);
  if (!m)
    throw new ArrayError(
      "INVALID_ARGUMENT",
      `unknown resample frequency "${freq}" (use D, H, MS, M, YS, Y with an optional count)`,
    );
  return { n: m[1] ? Number(m[1]) : 1, unit: m[2] as string };
}

/** Bins that cover [first, last] for `freq` (pandas conventions: origin at the first day's midnight). */
export function timeBins(first: number, last: number, freq: Frequency): Bins {
  const { n, unit } = parseFrequency(freq);
  const starts: number[] = [];
  const labels: number[] = [];
  if (unit === "D" || unit === "H" || unit === "T" || unit === "min") {
    const step = n * (unit === "D" ? 86_400_000 : unit === "H" ? 3_600_000 : 60_000);
    const d = new Date(first);
    const origin = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    for (let t = origin + Math.floor((first - origin) / step) * step; t <= last; t += step) {
      starts.push(t);
      labels.push(t);
    }
    return { starts, labels };
  }
  const monthly = unit === "MS" || unit === "M" || unit === "ME";
  const months = monthly ? n : 12 * n;
  const d0 = new Date(first);
  const y = d0.getUTCFullYear();
  let m = monthly ? d0.getUTCMonth() : 0;
  for (;;) {
    const start = Date.UTC(y, m, 1);
    if (start > last) break;
    const next = Date.UTC(y, m + months, 1);
    starts.push(start);
    labels.push(unit === "MS" || unit === "YS" || unit === "AS" ? start : Date.UTC(y, m + months, 0));
    m += months;
    if (next > last) break;
  }
  return { starts, labels };
}

/** Resample along a time dimension: `resample(da, { time: "MS" }).mean()`. */
export function resample(array: DataArray, spec: Record<string, Frequency>): GroupBy {
  const entries = Object.entries(spec);
  if (entries.length !== 1) throw new ArrayError("INVALID_ARGUMENT", "resample takes one dimension");
  const [dim, freq] = entries[0] as [string, Frequency];
  array.axis(dim);
  const c = array.coords.get(dim);
  if (!c?.isTime)
    throw new ArrayError("INVALID_ARGUMENT", `resample: dimension "${dim}" has no time coordinate`, {
      array: array.name,
      dimension: dim,
    });
  const t = c.numbers();
  if (t.length === 0)
    throw new ArrayError("INVALID_ARGUMENT", `resample: dimension "${dim}" is empty`, { dimension: dim });
  let first = Infinity;
  let last = -Infinity;
  for (const v of t) {
    first = Math.min(first, v);
    last = Math.max(last, v);
  }
  const bins = timeBins(first, last, freq);
  const groups: number[][] = bins.starts.map(() => []);
  for (let i = 0; i < t.length; i++) {
    let lo = 0;
    let hi = bins.starts.length - 1;
    const v = t[i] as number;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((bins.starts[mid] as number) <= v) lo = mid;
      else hi = mid - 1;
    }
    groups[lo]?.push(i);
  }
  const keys = new Coordinate([dim], NDArray.from(bins.labels, { dtype: "float64" }), { isTime: true });
  return new GroupBy(array, dim, dim, keys, groups);
}
