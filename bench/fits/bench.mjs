// FITS benchmarks for the harness (docs/bench.md): `npm run bench -- fits`.
// Image tools (statistics, zscale, PNG rendering) and WCS transforms against numpy/astropy/
// matplotlib; each part also runs on its own (`node bench/fits/image.mjs`, `image-wcs.mjs`).
// File layer (open/list headers, image and cube-plane reads vs astropy.io.fits): read.mjs.
import * as image from "./image.mjs";
import * as wcs from "./image-wcs.mjs";
import * as read from "./read.mjs";

export const name = "fits";

/** Rows of every part, in order. */
export async function run(ctx) {
  return [...(await image.run(ctx)), ...(await wcs.run(ctx)), ...(await read.run(ctx))];
}
