// GeoTIFF in: a file from the committed stack (written with geotiff.js, read back by Pillow in
// fixtures/array/make-ndvi.py), windows, and malformed input (truncated, byte-flipped): a tagged
// READ_FAILED error or a successful read, never another exception.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isArrayError } from "./errors.js";
import { readGeoTiff, writeGeoTiff } from "./geotiff.js";
import { NDArray } from "./ndarray.js";

const file = new URL("../../../fixtures/array/s2-stack/S2A_MSIL2A_20210101_T32TNS_B04.tif", import.meta.url)
  .pathname;

describe("readGeoTiff", () => {
  it("reads pixels, pixel-centre coordinates and the CRS", async () => {
    const da = await readGeoTiff(readFileSync(file), { name: "B04" });
    expect(da.dims).toEqual(["y", "x"]);
    expect(da.dtype).toBe("uint16");
    expect([...da.shape]).toEqual([12, 16]);
    expect(da.coord("x").labels().slice(0, 2)).toEqual([600005, 600015]);
    expect(da.coord("y").labels().slice(0, 2)).toEqual([5099995, 5099985]);
    expect(da.attrs.crs).toBe("EPSG:32632");
    const win = await readGeoTiff(readFileSync(file), { window: [2, 3, 6, 5] });
    expect(win.values()).toEqual(da.isel({ y: { start: 3, stop: 5 }, x: { start: 2, stop: 6 } }).values());
    expect(win.coord("x").labels()[0]).toBe(600025);
  });

  it("round-trips the sample types it writes; refuses int16/int32 (geotiff.js writer bug)", async () => {
    expect(() =>
      writeGeoTiff(NDArray.zeros([2, 2], "int16"), { epsg: 32633, origin: [0, 0], pixelSize: [1, 1] }),
    ).toThrow(expect.objectContaining({ code: "DTYPE_UNSUPPORTED" }));
    for (const dtype of ["uint8", "int8", "uint16", "uint32", "float32", "float64"] as const) {
      const a = NDArray.from(
        Array.from({ length: 6 }, (_, i) => i * 3 - (dtype.startsWith("u") ? 0 : 5)),
        { dtype, shape: [2, 3] },
      );
      const back = await readGeoTiff(writeGeoTiff(a, { epsg: 32633, origin: [0, 100], pixelSize: [2, 2] }));
      expect(back.dtype, dtype).toBe(dtype);
      expect(back.values(), dtype).toEqual(a.toArray());
    }
  });

  it("malformed bytes give READ_FAILED", async () => {
    const bytes = readFileSync(file);
    let s = 12345;
    const r = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 32;
    };
    for (let t = 0; t < 60; t++) {
      const b = new Uint8Array(bytes);
      const mutated =
        t % 2 === 0
          ? b.subarray(0, Math.floor(r() * b.length))
          : b.map((x) => (r() < 0.02 ? Math.floor(r() * 256) : x));
      try {
        await readGeoTiff(mutated, { name: `case ${t}` });
      } catch (err) {
        if (!isArrayError(err, "READ_FAILED")) throw err;
        expect(err.array).toBe(`case ${t}`);
      }
    }
  });
});
