// FITS benchmarks for the harness (docs/bench.md): `npm run bench -- fits`.
// Image tools (statistics, zscale, PNG rendering) and WCS transforms against numpy/astropy/
// matplotlib; each part also runs on its own (`node bench/fits/image.mjs`, `image-wcs.mjs`).
// The file-layer benchmarks (read.mjs, read-plane.mjs) run standalone.
import * as image from "./image.mjs";
import * as wcs from "./image-wcs.mjs";

export const name = "fits";

/** Rows of every part, in order. */
export async function run(ctx) {
  return [...(await image.run(ctx)), ...(await wcs.run(ctx))];
}
