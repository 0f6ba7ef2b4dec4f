// The NDVI use case against xarray/numpy on the committed stack (fixtures/array/s2-stack, oracle
// fixtures/array/make-ndvi.py). Tolerances: NDVI exact in float32 (each float32 operation is
// correctly rounded on both sides); monthly means 2e-7 absolute (numpy sums float32 in float32,
// we in float64); rolling means and trends 1e-6 absolute.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isArrayError } from "../errors.js";
import { readZarrDirectory } from "../zarr-directory.js";
import { ndviAnalysis } from "./ndvi.js";
import { ndviReport } from "./ndvi-report.js";
import { openSentinel2Stack } from "./stack-reader.js";
import { generateSentinel2Stack } from "./synthetic-stack.js";

const fixtures = new URL("../../../../fixtures/array/", import.meta.url).pathname;
const oracle = JSON.parse(readFileSync(join(fixtures, "ndvi.json"), "utf8")) as {
  dates: number;
  ndvi: { shape: number[]; data: (number | null)[] };
  monthly: { shape: number[]; time: number[]; data: (number | null)[] };
  annual: { shape: number[]; data: (number | null)[] };
  trend: { shape: number[]; data: (number | null)[] };
  series: (number | null)[];
};
const tmp = mkdtempSync(join(tmpdir(), "meridian-ndvi-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function expectNear(got: Float64Array, want: (number | null)[], tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  want.forEach((w, i) => {
    if (w === null) expect(Number.isNaN(got[i]), `${what}[${i}] ${got[i]} vs NaN`).toBe(true);
    else expect(Math.abs((got[i] as number) - w), `${what}[${i}] ${got[i]} vs ${w}`).toBeLessThanOrEqual(tol);
  });
}

describe("NDVI use case agrees with xarray", async () => {
  const ds = await openSentinel2Stack(join(fixtures, "s2-stack"));
  const r = ndviAnalysis(ds);

  it("loads the stack as (time, y, x) with a time coordinate", () => {
    expect(ds.get("B04").dims).toEqual(["time", "y", "x"]);
    expect(ds.sizes).toEqual({ time: oracle.dates, y: 12, x: 16 });
    expect(ds.attrs.crs).toBe("EPSG:32632");
  });
  it("NDVI with clouds masked (exact in float32)", () => {
    expect([...r.ndvi.shape]).toEqual(oracle.ndvi.shape);
    expectNear(r.ndvi.data.toFloat64(), oracle.ndvi.data, 0, "ndvi");
  });
  it("monthly composites (resample MS mean)", () => {
    expect([...r.monthly.shape]).toEqual(oracle.monthly.shape);
    expect(r.monthly.coord("time").labels()).toEqual(oracle.monthly.time);
    expectNear(r.monthly.data.toFloat64(), oracle.monthly.data, 2e-7, "monthly");
  });
  it("12-month rolling mean and per-pixel trend", () => {
    expectNear(r.annual.data.toFloat64(), oracle.annual.data, 1e-6, "annual");
    expectNear(r.trend.data.toFloat64(), oracle.trend.data, 1e-6, "trend");
  });
  it("scene-mean series", () => {
    expectNear(r.series.data.toFloat64(), oracle.series, 1e-6, "series");
  });
});

describe("NDVI report (CLI and example share it)", () => {
  it("generates a stack, writes plots, Zarr composites and a summary", async () => {
    const input = join(tmp, "stack");
    const output = join(tmp, "out");
    const gen = await generateSentinel2Stack(input, { width: 12, height: 10, months: 13, everyDays: 15 });
    expect(gen.dates[0]).toBe("2021-01-01");
    expect(gen.files).toHaveLength(gen.dates.length * 3);
    const s = await ndviReport({ input, output });
    expect(s.months).toBe(13);
    expect(s.files.map((f) => f.slice(output.length + 1)).sort()).toEqual([
      "ndvi-mean.png",
      "ndvi-monthly.zarr",
      "ndvi-series.svg",
      "ndvi-trend.png",
      "summary.json",
    ]);
    const png = readFileSync(join(output, "ndvi-mean.png"));
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join("")).toBe("PNG");
    expect(readFileSync(join(output, "ndvi-series.svg"), "utf8")).toMatch(/^<svg [^>]*>[\s\S]*<path d="M/);
    const z = await readZarrDirectory(join(output, "ndvi-monthly.zarr"));
    expect(z.get("ndvi").dims).toEqual(["time", "y", "x"]);
    expect(z.get("ndvi").sizes.time).toBe(13);
  });

  it("a directory without a stack is a tagged error", async () => {
    const err = await openSentinel2Stack(tmp).catch((e: unknown) => e);
    expect(isArrayError(err, "READ_FAILED")).toBe(true);
  });
});
