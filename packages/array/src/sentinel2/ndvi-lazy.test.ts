// The NDVI use case lazily: the committed stack written to a time-chunked Zarr store, NDVI with
// the cloud mask fused into the monthly resample on worker threads, against the xarray oracle
// (fixtures/array/make-ndvi.py). Tolerance 1e-6: the fused loop evaluates NDVI in float64 where
// xarray rounds each float32 step.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shutdownDefaultPool } from "@meridian/compute/node";
import { afterAll, describe, expect, it } from "vitest";
import { LazyDataArray } from "../lazy/lazy-data-array.js";
import { writeZarrDirectory } from "../zarr-directory.js";
import { openSentinel2Stack } from "./stack-reader.js";

const fixtures = new URL("../../../../fixtures/array/", import.meta.url).pathname;
const oracle = JSON.parse(readFileSync(join(fixtures, "ndvi.json"), "utf8")) as {
  monthly: { shape: number[]; data: (number | null)[] };
};
const tmp = mkdtempSync(join(tmpdir(), "meridian-ndvi-lazy-"));
afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await shutdownDefaultPool();
});

describe("lazy NDVI on worker threads", () => {
  it("monthly composites of the cloud-masked NDVI agree with xarray", async () => {
    const ds = await openSentinel2Stack(join(fixtures, "s2-stack"));
    const store = join(tmp, "stack.zarr");
    await writeZarrDirectory(store, ds, { chunks: { time: 10 } });
    const [red, nir, cld] = await Promise.all(
      ["B04", "B08", "CLD"].map((v) => LazyDataArray.fromZarr(store, v)),
    );
    const ndvi = (nir as LazyDataArray)
      .sub(red as LazyDataArray)
      .div((nir as LazyDataArray).add(red as LazyDataArray))
      .where((cld as LazyDataArray).lt(40));
    const monthly = ndvi.resample({ time: "MS" }).mean();
    expect(Object.values(monthly.data.graph).some((t) => t.kernel.name === "elementwise")).toBe(false);
    const got = (await monthly.compute()).data.toFloat64();
    expect([...monthly.shape]).toEqual(oracle.monthly.shape);
    oracle.monthly.data.forEach((w, i) => {
      if (w === null) expect(Number.isNaN(got[i]), `[${i}]`).toBe(true);
      else expect(Math.abs((got[i] as number) - w), `[${i}] ${got[i]} vs ${w}`).toBeLessThanOrEqual(1e-6);
    });
  });
});
