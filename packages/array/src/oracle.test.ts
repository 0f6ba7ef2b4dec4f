// Every operation against xarray/numpy (Debian) on the same inputs: fixtures/array/make-ops.py.
// Tolerances: integers and bools exact; float64 |Δ| ≤ 1e-12·max(1,|x|); float32 1e-6 relative
// (numpy accumulates float32 in float32 pairwise sums, we accumulate in float64).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Coordinate } from "./coordinate.js";
import { concat, DataArray } from "./data-array.js";
import { Dataset, merge } from "./dataset.js";
import { asDType } from "./dtype.js";
import { NDArray } from "./ndarray.js";

interface Encoded {
  dims: string[];
  shape: number[];
  dtype: string;
  data: unknown[];
  coords: Record<string, { dims: string[]; time: boolean; values: unknown[] }>;
}

const fixture = JSON.parse(
  readFileSync(new URL("../../../fixtures/array/ops.json", import.meta.url), "utf8"),
) as {
  inputs: Record<string, Encoded>;
  cases: Record<string, Encoded>;
  datasets: Record<string, Record<string, Encoded>>;
};

function decode(e: Encoded, name: string): DataArray {
  const dtype = asDType(e.dtype);
  const flat = e.data.map((v) =>
    v === null
      ? NaN
      : typeof v === "string"
        ? BigInt(v)
        : Array.isArray(v)
          ? { re: v[0] as number, im: v[1] as number }
          : (v as number | boolean),
  );
  const data = NDArray.from(flat as never, { dtype, shape: e.shape });
  const coords: Record<string, Coordinate> = {};
  for (const [k, c] of Object.entries(e.coords)) {
    if (c.dims.length !== 1) continue;
    coords[k] = c.time
      ? Coordinate.time(c.dims[0] as string, c.values as number[])
      : Coordinate.from(c.dims[0] as string, c.values as number[]);
  }
  return new DataArray(data, e.dims, { coords, name });
}

const I = Object.fromEntries(Object.entries(fixture.inputs).map(([k, v]) => [k, decode(v, k)])) as Record<
  string,
  DataArray
>;
const a = I.a as DataArray;
const b = I.b as DataArray;
const i = I.i as DataArray;
const c = I.c as DataArray;

const ops: Record<string, () => DataArray> = {
  sum_time: () => a.sum("time"),
  mean_time: () => a.mean("time"),
  std_time: () => a.std("time"),
  std_time_ddof1: () => a.std("time", { ddof: 1 }),
  var_yx: () => a.var(["y", "x"]),
  min_time: () => a.min("time"),
  max_x: () => a.max("x"),
  median_time: () => a.median("time"),
  quantile_time: () => a.quantile(0.25, "time"),
  count_time: () => a.count("time"),
  mean_all: () => a.mean(),
  sum_all_noskip: () => a.sum(undefined, { skipna: false }),
  int_sum_x: () => i.sum("x"),
  int_min_y: () => i.min("y"),
  int_max: () => i.max(),
  int_mean_x: () => i.mean("x"),
  int_median_x: () => i.median("x"),
  int_count: () => i.count(),
  int64_sum: () => (I.i64 as DataArray).sum(),
  int64_max: () => (I.i64 as DataArray).max(),
  add_aligned: () => a.add(b),
  ndvi_like: () => a.sub(b).div(a.add(b)),
  mul_scalar: () => a.mul(2),
  pow_scalar: () => a.pow(2),
  broadcast_1d: () => a.sub(I.v as DataArray),
  broadcast_transposed: () => i.add(I.s as DataArray),
  int_floordiv: () => i.floordiv(7),
  int_mod: () => i.mod(7),
  int_add_uint8: () => i.add(I.u8 as DataArray),
  int_mul: () => i.mul(3),
  int_truediv: () => i.div(4),
  float32_scalar: () => b.mul(2.5),
  sqrt_abs: () => a.abs().sqrt(),
  exp: () => a.exp(),
  log1p_abs: () => a.abs().map("log1p"),
  sin: () => a.map("sin"),
  arctan2: () => a.binary("arctan2", I.v as DataArray),
  gt: () => a.gt(0.5),
  where_nan: () => a.where(a.gt(0.5)),
  where_other: () => a.where(a.gt(0.5), -1),
  isnull: () => a.isnan(),
  isel_int: () => a.isel({ time: 5 }),
  isel_slice: () => a.isel({ x: { start: 1, stop: 3 } }),
  isel_list: () => a.isel({ time: [0, 2, 4] }),
  isel_step_neg: () => a.isel({ time: { step: -7 } }),
  sel_label: () => a.sel({ x: 2 }),
  sel_list: () => a.sel({ x: [1, 3] }),
  sel_time_slice: () => a.sel({ time: { start: "2021-01-10", stop: "2021-02-05" } }),
  sel_nearest: () => a.sel({ x: 1.6 }, { method: "nearest" }),
  sel_time_nearest: () => a.sel({ time: "2021-02-03T13:00" }, { method: "nearest" }),
  transpose: () => a.transpose("x", "time", "y"),
  concat_existing: () =>
    concat([a.isel({ time: { start: 0, stop: 5 } }), a.isel({ time: { start: 5, stop: 10 } })], "time"),
  concat_new: () => concat([i, i.mul(2)], "run"),
  groupby_month_mean: () => a.groupby("time.month").mean(),
  groupby_month_max: () => a.groupby("time.month").max(),
  groupby_label_sum: () => (I.lab as DataArray).groupby("k").sum(),
  resample_ms_mean: () => a.resample({ time: "MS" }).mean(),
  resample_ms_count: () => a.resample({ time: "MS" }).count(),
  resample_7d_median: () => a.resample({ time: "7D" }).median(),
  resample_m_sum: () => a.resample({ time: "M" }).sum(),
  rolling_mean: () => a.rolling({ time: 3 }).mean(),
  rolling_center_sum: () => a.rolling({ time: 4 }, { center: true, minPeriods: 1 }).sum(),
  rolling_max_minp: () => a.rolling({ time: 5 }, { minPeriods: 2 }).max(),
  rolling_std: () => a.rolling({ time: 4 }).std(),
  coarsen_x_mean: () => a.coarsen({ x: 2 }).mean(),
  coarsen_trim_sum: () => a.coarsen({ time: 7 }, { boundary: "trim" }).sum(),
  coarsen_yx_max: () =>
    a
      .isel({ y: { start: 0, stop: 2 } })
      .coarsen({ y: 2, x: 2 })
      .max(),
  complex_mul: () => c.mul(c),
  complex_add_scalar: () => c.add(1.5),
  complex_abs: () => c.abs(),
  complex_sum: () => c.sum(),
  complex_div: () => c.div(c.add(2)),
};

function close(got: number, want: number, tol: number): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  return Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
}

function compare(name: string, got: DataArray, want: Encoded): void {
  expect(got.dims, `${name} dims`).toEqual(want.dims);
  expect([...got.shape], `${name} shape`).toEqual(want.shape);
  expect(got.dtype, `${name} dtype`).toBe(want.dtype);
  const tol = want.dtype === "float32" || want.dtype === "complex64" ? 1e-6 : 1e-12;
  const flat = got.data.toFlat();
  want.data.forEach((w, k) => {
    const g = flat[k];
    if (typeof w === "boolean") expect(g, `${name}[${k}]`).toBe(w);
    else if (typeof w === "string") expect(g, `${name}[${k}]`).toBe(BigInt(w));
    else if (Array.isArray(w)) {
      const z = g as { re: number; im: number };
      expect(
        close(z.re, w[0] as number, tol) && close(z.im, w[1] as number, tol),
        `${name}[${k}] ${z.re}+${z.im}i vs ${w}`,
      ).toBe(true);
    } else if (want.dtype.startsWith("int") || want.dtype.startsWith("uint"))
      expect(Number(g), `${name}[${k}]`).toBe(w);
    else
      expect(
        close(Number(g), w === null ? NaN : (w as number), tol),
        `${name}[${k}] ${String(g)} vs ${w}`,
      ).toBe(true);
  });
  for (const [k, wc] of Object.entries(want.coords)) {
    if (wc.dims.length !== 1) continue;
    const gc = got.coords.get(k);
    expect(gc, `${name} coord ${k}`).toBeDefined();
    expect(gc?.labels(), `${name} coord ${k}`).toEqual(wc.values);
  }
}

describe("agrees with xarray/numpy (fixtures/array/ops.json)", () => {
  it("has a TypeScript case for every oracle case", () => {
    expect(Object.keys(ops).sort()).toEqual(Object.keys(fixture.cases).sort());
  });
  for (const [name, want] of Object.entries(fixture.cases)) {
    it(name, () => {
      const op = ops[name];
      if (!op) throw new Error(`no case ${name}`);
      compare(name, op(), want);
    });
  }
});

const datasetOps: Record<string, () => Dataset> = {
  merge: () => merge([i, I.u8 as DataArray, i.mul(2).rename("j")]),
  dataset_mean_y: () => merge([i, i.mul(2).rename("j")]).mean("y"),
  dataset_isel: () => new Dataset({ a, v: I.v as DataArray }).isel({ time: 3, x: { start: 1, stop: 3 } }),
};

describe("Dataset operations agree with xarray", () => {
  for (const [name, want] of Object.entries(fixture.datasets)) {
    it(name, () => {
      const op = datasetOps[name];
      if (!op) throw new Error(`no case ${name}`);
      const ds = op();
      expect([...ds.dataVars.keys()].sort()).toEqual(Object.keys(want).sort());
      for (const [k, w] of Object.entries(want)) compare(`${name}.${k}`, ds.get(k), w);
    });
  }
});
