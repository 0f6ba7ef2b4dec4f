// NetCDF4 in through h5wasm, against xarray + netCDF4 (fixtures/array/make-netcdf.py).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isArrayError } from "./errors.js";
import { readNetcdf } from "./netcdf.js";

const fixtures = new URL("../../../fixtures/array/", import.meta.url).pathname;
const want = JSON.parse(readFileSync(join(fixtures, "xarray-nc.json"), "utf8")) as {
  attrs: Record<string, unknown>;
  vars: Record<
    string,
    {
      dims: string[];
      shape: number[];
      dtype: string;
      data: (number | string | null)[];
      attrs: Record<string, string>;
    }
  >;
  coords: Record<string, { dims: string[]; data: number[] }>;
};
const tmp = mkdtempSync(join(tmpdir(), "meridian-nc-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("readNetcdf", () => {
  it("decodes variables, dimensions, CF time, fill and packing as xarray does", async () => {
    const ds = await readNetcdf(join(fixtures, "xarray.nc"));
    expect(ds.attrs.title).toBe(want.attrs.title);
    expect([...ds.dataVars.keys()].sort()).toEqual(Object.keys(want.vars).sort());
    for (const [name, w] of Object.entries(want.vars)) {
      const v = ds.get(name);
      expect(v.dims, name).toEqual(w.dims);
      expect([...v.shape], name).toEqual(w.shape);
      expect(v.dtype, name).toBe(w.dtype);
      const got = v.data.toFloat64();
      w.data.forEach((x, i) => {
        if (x === null) expect(Number.isNaN(got[i]), `${name}[${i}]`).toBe(true);
        // float32 results: xarray unpacks in float32 arithmetic, we in float64 then round (1e-6)
        else
          expect(Math.abs((got[i] as number) - Number(x)), `${name}[${i}]`).toBeLessThanOrEqual(
            (w.dtype === "float32" ? 1e-6 : 1e-12) * Math.abs(Number(x)),
          );
      });
    }
    for (const [name, w] of Object.entries(want.coords))
      expect(ds.coords.get(name)?.labels(), name).toEqual(w.data);
    expect(ds.get("t").attrs).toMatchObject({ units: "K", long_name: "temperature" });
  });

  it("a file that is not HDF5 is READ_FAILED", async () => {
    const bad = join(tmp, "bad.nc");
    writeFileSync(bad, readFileSync(join(fixtures, "xarray.nc")).subarray(0, 700));
    const err = await readNetcdf(bad).catch((e: unknown) => e);
    expect(isArrayError(err, "READ_FAILED")).toBe(true);
  });
});
