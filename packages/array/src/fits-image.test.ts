// FITS cubes in, against astropy (fixtures/fits/expected/*.json.gz from fixtures/fits/make-expected.py).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { isArrayError } from "./errors.js";
import { readFitsImage } from "./fits-image.js";

const fixtures = new URL("../../../fixtures/fits/", import.meta.url).pathname;

describe("readFitsImage", () => {
  it("a float32 cube: numpy shape, first values and sum as astropy reads them", async () => {
    const want = JSON.parse(
      gunzipSync(readFileSync(`${fixtures}expected/generated-float32-cube.fits.json.gz`)).toString("utf8"),
    ) as {
      hdus: { shape: number[]; first: number[]; sum: number }[];
    };
    const h = want.hdus[0] as { shape: number[]; first: number[]; sum: number };
    const da = await readFitsImage(readFileSync(`${fixtures}generated/float32-cube.fits`), { name: "cube" });
    expect([...da.shape]).toEqual(h.shape);
    expect(da.dims).toEqual(["axis3", "y", "x"]);
    expect(da.dtype).toBe("float32");
    expect(da.data.toFlat().slice(0, 4)).toEqual(h.first);
    // astropy's expected sum is over the finite values (the cube holds a NaN and infinities)
    const finite = da.where(da.map("isfinite"));
    expect(Math.abs(finite.sum().value() - h.sum)).toBeLessThan(1e-5);
  });

  it("garbage is READ_FAILED naming the input", async () => {
    const err = await readFitsImage(new TextEncoder().encode("SIMPLE  = nonsense"), {
      name: "junk.fits",
    }).catch((e: unknown) => e);
    expect(isArrayError(err, "READ_FAILED")).toBe(true);
    expect((err as { array: string }).array).toBe("junk.fits");
  });
});
