// Lazy chunked arrays on @meridian/compute worker threads, checked against the same xarray
// oracle as the eager code (fixtures/array/ops.json, make-ops.py): the input `a` is stored as a
// chunked Zarr store, read lazily, reduced and resampled on workers.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shutdownDefaultPool } from "@meridian/compute/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Coordinate } from "../coordinate.js";
import { DataArray } from "../data-array.js";
import { isArrayError } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { writeZarrDirectory } from "../zarr-directory.js";
import { LazyArray } from "./lazy-array.js";
import { LazyDataArray } from "./lazy-data-array.js";

interface Enc {
  dims: string[];
  shape: number[];
  data: (number | null)[];
  coords: Record<string, { values: number[] }>;
}
const fixture = JSON.parse(
  readFileSync(new URL("../../../../fixtures/array/ops.json", import.meta.url), "utf8"),
) as {
  inputs: Record<string, Enc>;
  cases: Record<string, Enc>;
};
const input = fixture.inputs.a as Enc;
/** A C-order .npy file (NEP 1, version 1.0) with the given numpy dtype string. */
function writeNpy(path: string, descr: string, shape: readonly number[], data: ArrayBufferView): void {
  const header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  const head = Buffer.concat([
    Buffer.from([0x93]),
    Buffer.from("NUMPY"),
    Buffer.from([1, 0]),
    Buffer.alloc(2),
    Buffer.from(`${header}${" ".repeat(pad)}\n`),
  ]);
  head.writeUInt16LE(head.length - 10, 8);
  writeFileSync(path, Buffer.concat([head, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

const dir = mkdtempSync(join(tmpdir(), "meridian-lazy-"));

beforeAll(async () => {
  const data = NDArray.from(
    input.data.map((v) => (v === null ? NaN : v)),
    { dtype: "float64", shape: input.shape },
  );
  const a = new DataArray(data, input.dims, {
    name: "a",
    coords: {
      time: Coordinate.time("time", input.coords.time?.values ?? []),
      y: input.coords.y?.values ?? [],
      x: input.coords.x?.values ?? [],
    },
  });
  await writeZarrDirectory(dir, a, { chunks: { time: 7, y: 2, x: 3 } });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await shutdownDefaultPool();
});

function expectClose(got: NDArray, want: Enc, name: string): void {
  expect([...got.shape], name).toEqual(want.shape);
  const g = got.toFloat64();
  want.data.forEach((w, i) => {
    if (w === null) expect(Number.isNaN(g[i]), `${name}[${i}]`).toBe(true);
    else
      expect(Math.abs((g[i] as number) - w), `${name}[${i}] ${g[i]} vs ${w}`).toBeLessThanOrEqual(
        1e-12 * Math.max(1, Math.abs(w)),
      );
  });
}

describe("lazy reductions on worker threads agree with xarray (tolerance 1e-12 relative)", () => {
  const cases: [string, (a: LazyDataArray) => LazyDataArray][] = [
    ["mean_time", (a) => a.mean("time")],
    ["sum_time", (a) => a.sum("time")],
    ["std_time", (a) => a.std("time")],
    ["std_time_ddof1", (a) => a.std("time", { ddof: 1 })],
    ["var_yx", (a) => a.var(["y", "x"])],
    ["min_time", (a) => a.min("time")],
    ["max_x", (a) => a.max("x")],
    ["count_time", (a) => a.count("time")],
    ["mean_all", (a) => a.mean()],
    ["resample_ms_mean", (a) => a.resample({ time: "MS" }).mean()],
    ["groupby_month_max", (a) => a.groupby("time.month").max()],
    ["median_time", (a) => a.median("time")],
    ["isel_int", (a) => a.isel({ time: 5 })],
    ["isel_slice", (a) => a.isel({ x: { start: 1, stop: 3 } })],
    ["sel_label", (a) => a.sel({ x: 2 })],
    ["sel_time_slice", (a) => a.sel({ time: { start: "2021-01-10", stop: "2021-02-05" } })],
    ["quantile_time", (a) => a.quantile(0.25, "time")],
  ];
  for (const [name, op] of cases) {
    it(name, async () => {
      const a = await LazyDataArray.fromZarr(dir, "a");
      const want = fixture.cases[name] as Enc;
      const got = await op(a).compute();
      expect(got.dims).toEqual(want.dims);
      expectClose(got.data, want, name);
    });
  }

  it("fuses element-wise expressions into the reduction (one task per chunk, no element-wise tasks)", async () => {
    const a = await LazyDataArray.fromZarr(dir, "a");
    const expr = a.sub(0.2).div(a.add(0.2));
    const mean = expr.mean("time");
    expect(Object.values(mean.data.graph).filter((t) => t.kernel.name === "elementwise")).toHaveLength(0);
    const want = fixture.cases.mean_time as Enc;
    const got = await mean.compute();
    const eager = await expr.compute();
    expect(eager.data.shape).toEqual([100, 3, 4]);
    expect(got.shape).toEqual(want.shape);
    const direct = eager.mean("time").data.toFloat64();
    got.data.toFloat64().forEach((v, i) => {
      expect(Math.abs(v - (direct[i] as number))).toBeLessThan(1e-12);
    });
  });

  it("float32 .npy mean+std: SIMD sums on NaN-free pieces, the NaN-skipping loop elsewhere, as xarray", async () => {
    // 200 copies of a's finite values (float32), then a itself with its NaNs: 33 pieces of 64 Ki
    // values, the last ones holding NaN. Every copy has the same mean and (ddof 0) spread, so the
    // whole has nanmean(a) (xarray's mean_all) and a's std.
    const finite = input.data.filter((v): v is number => v !== null);
    const all = [...Array(200).fill(finite).flat(), ...input.data.map((v) => (v === null ? NaN : v))];
    const f32 = Float32Array.from(all);
    const path = join(dir, "f32.npy");
    writeNpy(path, "<f4", [f32.length], f32);
    const a = LazyArray.fromNpy(path, 30_001);
    const [mean, std] = await LazyArray.computeAll(a.reduceMany(["mean", "std"]));
    const want = (fixture.cases.mean_all as Enc).data[0] as number;
    // float32 inputs: the stated 1e-6 relative tolerance
    expect(Math.abs(Number(mean?.item()) - want) / Math.abs(want)).toBeLessThan(1e-6);
    const eager = NDArray.from(Array.from(Float32Array.from(finite)), { dtype: "float64" });
    const m = eager.toFloat64().reduce((x, y) => x + y, 0) / finite.length;
    const sd = Math.sqrt(eager.toFloat64().reduce((x, y) => x + (y - m) ** 2, 0) / finite.length);
    // the result is float32, as numpy's for float32 input
    expect(Math.abs(Number(std?.item()) - sd) / sd).toBeLessThan(1e-6);
  });

  it(".npy sources: whole reductions stream the file (no chunk tasks) and agree with xarray", async () => {
    const values = Float64Array.from(input.data.map((v) => (v === null ? NaN : v)));
    const path = join(dir, "a.npy");
    writeNpy(path, "<f8", input.shape, values);
    const a = LazyArray.fromNpy(path, 7);
    const [mean] = a.reduceMany(["mean", "std"]);
    const parts = Object.values((mean as LazyArray).graph).filter((t) => t.kernel.name === "chunkStats");
    expect(parts.every((t) => (t.params as { reads?: unknown[] }).reads?.length === 1)).toBe(true);
    const want = (fixture.cases.mean_all as Enc).data[0] as number;
    expect(Math.abs(Number((await (mean as LazyArray).compute()).item()) - want)).toBeLessThan(1e-12);
    // grouped along the first axis: streamed too
    const time = Coordinate.time("time", input.coords.time?.values ?? []);
    const lazy = new LazyDataArray(LazyArray.fromNpy(path, 9), ["time", "y", "x"], new Map([["time", time]]));
    const monthly = lazy.resample({ time: "MS" }).mean();
    // one task per month reads and finishes it: no per-chunk partials, no merges
    const kernels = new Set(Object.values(monthly.data.graph).map((t) => t.kernel.name));
    expect([...kernels].sort()).toEqual(["groupSums", "readNpy"]);
    const monthlyResult = await monthly.compute();
    // the tasks wrote straight into the result (shared memory): it exists once
    expect(monthlyResult.data.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expectClose(monthlyResult.data, fixture.cases.resample_ms_mean as Enc, "npy resample");
    const counts = lazy.resample({ time: "MS" }).count();
    expectClose((await counts.compute()).data, fixture.cases.resample_ms_count as Enc, "npy count");
    const monthSums = lazy.resample({ time: "M" }).sum();
    expectClose((await monthSums.compute()).data, fixture.cases.resample_m_sum as Enc, "npy sum");
    // an expression over two .npy sources runs in the same loop: mean(a + 2a - 1) = 3 mean(a) - 1
    const other = new LazyDataArray(
      LazyArray.fromNpy(path, 9),
      ["time", "y", "x"],
      new Map([["time", time]]),
    );
    const fusedLazy = lazy.add(other.mul(2)).sub(1).resample({ time: "MS" }).mean();
    const sums = Object.values(fusedLazy.data.graph).filter((t) => t.kernel.name === "groupSums");
    expect(sums.every((t) => (t.params as { sources: unknown[] }).sources.length === 2)).toBe(true);
    const fused = await fusedLazy.compute();
    const monthlyWant = fixture.cases.resample_ms_mean as Enc;
    fused.data.toFloat64().forEach((v, i) => {
      const w = monthlyWant.data[i];
      if (w === null || w === undefined) expect(v).toBeNaN();
      else
        expect(Math.abs(v - (3 * (w as number) - 1))).toBeLessThan(
          1e-12 * Math.max(1, Math.abs(3 * (w as number))),
        );
    });
    const maxima = lazy.groupby("time.month").max();
    expectClose((await maxima.compute()).data, fixture.cases.groupby_month_max as Enc, "npy groupby max");
    // std and var of a group (no grouped std case in the fixture): as the eager resample, whose
    // std is checked against xarray's in oracle.test.ts
    const eager = new DataArray(new NDArray("float64", input.shape, values), ["time", "y", "x"], {
      coords: { time },
    }).resample({ time: "MS" });
    for (const [name, got, want] of [
      ["std", lazy.resample({ time: "MS" }).std(), eager.std()],
      ["var", lazy.resample({ time: "MS" }).var(), eager.var()],
    ] as const) {
      const g = (await got.compute()).data.toFloat64();
      want.data.toFloat64().forEach((w, i) => {
        if (Number.isNaN(w)) expect(g[i], name).toBeNaN();
        else expect(Math.abs((g[i] as number) - w), name).toBeLessThan(1e-12 * Math.max(1, Math.abs(w)));
      });
    }
    const byMonth = lazy.groupby("time.month").mean();
    expectClose((await byMonth.compute()).data, fixture.cases.groupby_month_mean as Enc, "npy groupby");
  });

  it(".npy int64 sources go through chunks (not the streamed readers) and equal the int32 file", async () => {
    const i32 = Int32Array.from({ length: 70 * 15 }, (_, i) => ((i * 7919) % 1000) - 500);
    writeNpy(join(dir, "i32.npy"), "<i4", [70, 3, 5], i32);
    writeNpy(
      join(dir, "i64.npy"),
      "<i8",
      [70, 3, 5],
      BigInt64Array.from(i32, (v) => BigInt(v)),
    );
    const time = Coordinate.time(
      "time",
      Array.from({ length: 70 }, (_, i) => Date.UTC(2021, 0, 1 + i)),
    );
    const [a, b] = await Promise.all(
      ["i32.npy", "i64.npy"].map((f) =>
        new LazyDataArray(LazyArray.fromNpy(join(dir, f), 8), ["time", "y", "x"], new Map([["time", time]]))
          .resample({ time: "MS" })
          .sum()
          .compute(),
      ),
    );
    expect(b?.data.toFloat64()).toEqual(a?.data.toFloat64());
  });

  it("persist() keeps chunks in shared memory (or a Zarr directory) and continues lazily", async () => {
    const a = await LazyArray.fromZarr(dir, "a");
    const onDisk = await a.mul(2).persist({ dir: join(dir, "persisted.zarr") });
    expect(Object.values(onDisk.graph).every((t) => t.kernel.name === "readZarrChunk")).toBe(true);
    const p = await a.mul(2).persist();
    expect(Object.values(p.graph).every((t) => t.kernel.name === "identity")).toBe(true);
    const m = await p.reduce("mean", [0]).compute();
    const want = fixture.cases.mean_time as Enc;
    m.toFloat64().forEach((v, i) => {
      expect(Math.abs(v - 2 * (want.data[i] as number))).toBeLessThan(1e-12);
    });
  });

  it("resample of chunk sources: one task per month over the chunks holding its days", async () => {
    const a = await LazyDataArray.fromZarr(dir, "a");
    const monthly = a.resample({ time: "MS" }).mean();
    const tasks = Object.values(monthly.data.graph).filter((t) => t.kernel.name === "groupSums");
    expect(tasks.length).toBe(monthly.data.chunkGrid.reduce((x, y) => x * y, 1));
    expect(monthly.data.chunkGrid[0]).toBe(monthly.shape[0]);
    expect(tasks.every((t) => (t.params as { chunked?: unknown }).chunked !== undefined)).toBe(true);
    expectClose((await monthly.compute()).data, fixture.cases.resample_ms_mean as Enc, "zarr resample");
  });

  it("mismatched lazy operands are tagged errors", async () => {
    const a = await LazyDataArray.fromZarr(dir, "a");
    // operands broadcast by name (window.test.ts); a shared dimension of another length is an error
    const b = a.isel({ x: { start: 0, stop: 2 } });
    expect(() => a.add(b)).toThrow(expect.objectContaining({ code: "DIMENSION_MISMATCH", dimension: "x" }));
    try {
      a.mean("band");
    } catch (err) {
      expect(isArrayError(err, "UNKNOWN_DIMENSION")).toBe(true);
    }
  });
});
