// Lazy rolling, coarsen and broadcasting by dimension name on worker threads, checked against
// the xarray oracle of the eager versions (fixtures/array/ops.json from make-ops.py): the inputs
// are stored as chunked Zarr stores whose chunks are not aligned with the windows, so tasks read
// halos from neighbour chunks and rechunk blocks.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shutdownDefaultPool } from "@meridian/compute/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Coordinate } from "../coordinate.js";
import { DataArray } from "../data-array.js";
import type { DType } from "../dtype.js";
import { type ArrayError, isArrayError } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { writeZarrDirectory } from "../zarr-directory.js";
import { LazyDataArray } from "./lazy-data-array.js";

interface Enc {
  dims: string[];
  shape: number[];
  dtype: string;
  data: (number | null)[];
  coords: Record<string, { values: number[] }>;
}
const fixture = JSON.parse(
  readFileSync(new URL("../../../../fixtures/array/ops.json", import.meta.url), "utf8"),
) as { inputs: Record<string, Enc>; cases: Record<string, Enc> };

const dir = mkdtempSync(join(tmpdir(), "meridian-lazy-window-"));

function eager(name: string): DataArray {
  const e = fixture.inputs[name] as Enc;
  const data = NDArray.from(
    e.data.map((v) => (v === null ? NaN : v)),
    { dtype: e.dtype as DType, shape: e.shape },
  );
  const coords: Record<string, Coordinate | number[]> = {};
  for (const [c, v] of Object.entries(e.coords))
    coords[c] = c === "time" ? Coordinate.time("time", v.values) : v.values;
  return new DataArray(data, e.dims, { name, coords });
}

/** Store `name` in its own Zarr directory with the given chunks; open it lazily. */
async function store(name: string, chunks: Record<string, number>, tag = ""): Promise<void> {
  await writeZarrDirectory(join(dir, `${name}${tag}`), eager(name), { chunks });
}
const open = (name: string, tag = "") => LazyDataArray.fromZarr(join(dir, `${name}${tag}`), name);

beforeAll(async () => {
  await store("a", { time: 7, y: 2, x: 3 });
  await store("a", { time: 2, y: 3, x: 4 }, "-small");
  await store("v", { x: 3 });
  await store("i", { y: 2, x: 3 });
  await store("s", { x: 2, y: 2 });
  await store("b", { y: 2, x: 3 });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await shutdownDefaultPool();
});

function expectClose(got: DataArray, want: Enc, name: string): void {
  expect(got.dims, name).toEqual(want.dims);
  expect([...got.data.shape], name).toEqual(want.shape);
  const g = got.data.toFloat64();
  want.data.forEach((w, i) => {
    if (w === null) expect(Number.isNaN(g[i]), `${name}[${i}] ${g[i]} vs NaN`).toBe(true);
    else
      expect(Math.abs((g[i] as number) - w), `${name}[${i}] ${g[i]} vs ${w}`).toBeLessThanOrEqual(
        1e-12 * Math.max(1, Math.abs(w)),
      );
  });
}

const rollingCases: [string, (a: LazyDataArray) => LazyDataArray][] = [
  ["rolling_mean", (a) => a.rolling({ time: 3 }).mean()],
  ["rolling_center_sum", (a) => a.rolling({ time: 4 }, { center: true, minPeriods: 1 }).sum()],
  ["rolling_max_minp", (a) => a.rolling({ time: 5 }, { minPeriods: 2 }).max()],
  ["rolling_std", (a) => a.rolling({ time: 4 }).std()],
];

describe("lazy rolling with halo exchange agrees with xarray (1e-12 relative)", () => {
  for (const tag of ["", "-small"])
    for (const [name, op] of rollingCases)
      it(`${name} (time chunks of ${tag ? 2 : 7})`, async () => {
        const a = await open("a", tag);
        const r = op(a);
        // one task per input chunk, each reading its chunk plus the neighbours holding its halo
        const tasks = Object.values(r.data.graph).filter((t) => t.kernel.name === "windowBlock");
        expect(tasks).toHaveLength(a.data.chunkGrid.reduce((x, y) => x * y, 1));
        // halo of up to 4 rows behind (window 5) and 1 or 2 ahead when centred
        const maxReads = tag || name.includes("center") ? 3 : 2;
        for (const t of tasks) expect(t.args?.length ?? 0).toBeLessThanOrEqual(maxReads);
        expectClose(await r.compute(), fixture.cases[name] as Enc, name);
      });

  it("along an inner dimension (x chunks of 3, halo from the neighbour chunk) equals the eager window", async () => {
    const a = await open("a");
    for (const reducer of ["mean", "std", "min", "count"] as const) {
      const got = await a.rolling({ x: 2 }, { center: true, minPeriods: 1 }).reduce(reducer).compute();
      const want = eager("a").rolling({ x: 2 }, { center: true, minPeriods: 1 }).reduce(reducer);
      const g = got.data.toFloat64();
      want.data.toFloat64().forEach((w, i) => {
        if (Number.isNaN(w)) expect(Number.isNaN(g[i]), `${reducer}[${i}]`).toBe(true);
        else expect(Math.abs((g[i] as number) - w), `${reducer}[${i}]`).toBeLessThanOrEqual(1e-12);
      });
    }
  });

  it("a pending expression is materialised once per chunk before the window", async () => {
    const a = await open("a");
    const got = await a.mul(2).rolling({ time: 3 }).mean().compute();
    const want = fixture.cases.rolling_mean as Enc;
    const doubled = { ...want, data: want.data.map((v) => (v === null ? null : 2 * v)) };
    expectClose(got, doubled, "rolling mean of 2a");
  });
});

describe("lazy coarsen agrees with xarray (1e-12 relative)", () => {
  const cases: [string, (a: LazyDataArray) => LazyDataArray][] = [
    ["coarsen_x_mean", (a) => a.coarsen({ x: 2 }).mean()],
    ["coarsen_trim_sum", (a) => a.coarsen({ time: 7 }, { boundary: "trim" }).sum()],
    [
      "coarsen_yx_max",
      (a) =>
        a
          .isel({ y: { start: 0, stop: 2 } })
          .coarsen({ y: 2, x: 2 })
          .max(),
    ],
  ];
  for (const tag of ["", "-small"])
    for (const [name, op] of cases)
      it(`${name} (chunks ${tag ? "2,3,4" : "7,2,3"})`, async () => {
        const want = fixture.cases[name] as Enc;
        const got = await op(await open("a", tag)).compute();
        expectClose(got, want, name);
        for (const [c, v] of Object.entries(want.coords)) {
          if (c === "time") continue;
          expect([...(got.coords.get(c)?.numbers() ?? [])], c).toEqual(v.values);
        }
      });

  it("chunks that are multiples of the factor: one task per chunk reading only that chunk", async () => {
    const a = await open("a");
    const r = a.coarsen({ time: 7 }, { boundary: "trim" }).sum();
    const tasks = Object.values(r.data.graph).filter((t) => t.kernel.name === "windowBlock");
    expect(tasks).toHaveLength(14 * 2 * 2);
    for (const t of tasks) expect(t.args).toHaveLength(1);
  });

  it("a length that is not a multiple is a tagged error naming the dimension", async () => {
    const a = await open("a");
    try {
      a.coarsen({ time: 7 }).mean();
      expect.unreachable();
    } catch (err) {
      expect(isArrayError(err, "DIMENSION_MISMATCH")).toBe(true);
      expect((err as ArrayError).dimension).toBe("time");
      expect((err as Error).message).toMatch(/"time" of length 100 is not a multiple of 7/);
    }
    expect(() => a.coarsen({ z: 2 })).toThrow(/dimension "z"/);
  });
});

describe("lazy broadcasting by dimension name agrees with xarray", () => {
  it("broadcast_1d: (time, y, x) - (x)", async () => {
    const got = await (await open("a")).sub(await open("v")).compute();
    expectClose(got, fixture.cases.broadcast_1d as Enc, "broadcast_1d");
  });

  it("broadcast_transposed: (y, x) int32 + (x, y) with other chunks", async () => {
    const got = await (await open("i")).add(await open("s")).compute();
    expectClose(got, fixture.cases.broadcast_transposed as Enc, "broadcast_transposed");
  });

  it("(time, y, x) * (y, x) equals the eager product", async () => {
    const a = await open("a");
    const i = await open("i");
    const got = await a.mul(i).compute();
    const want = eager("a").mul(eager("i"));
    expect(got.dims).toEqual(["time", "y", "x"]);
    expect([...got.data.toFloat64()]).toEqual([...want.data.toFloat64()]);
  });

  it("same dimensions, other chunks: rechunked to the left operand's (a + a = mul_scalar)", async () => {
    const sum = (await open("a")).add(await open("a", "-small"));
    expect(sum.data.chunkShape).toEqual([7, 2, 3]);
    expectClose(await sum.compute(), fixture.cases.mul_scalar as Enc, "a + a");
  });

  it("where with a (y, x) condition on a (time, y, x) array: where_nan's rule, the eager result", async () => {
    const a = await open("a");
    const got = await a.where((await open("i")).gt(0)).compute();
    const want = eager("a").where(eager("i").gt(0));
    expect(got.dims).toEqual(["time", "y", "x"]);
    expect([...got.data.toFloat64()]).toEqual([...want.data.toFloat64()]);
    // and the same-dims case against xarray
    expectClose(await a.where(a.gt(0.5)).compute(), fixture.cases.where_nan as Enc, "where_nan");
  });

  it("incompatible sizes: tagged error naming the dimension", async () => {
    const a = await open("a");
    const b = await open("b");
    try {
      a.add(b);
      expect.unreachable();
    } catch (err) {
      expect(isArrayError(err, "DIMENSION_MISMATCH")).toBe(true);
      expect((err as ArrayError).dimension).toBe("x");
      expect((err as Error).message).toMatch(/dimension "x" has length 4 in "a" and 5 in "b"/);
    }
  });
});
