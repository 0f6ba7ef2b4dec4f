/**
 * Load a directory of per-date, per-band Sentinel-2 GeoTIFFs (`*_YYYYMMDD_<tile>_<band>.tif`)
 * as a (time, y, x) Dataset: B04 and B08 as float32 reflectance (DN / 10000), CLD as uint8.
 * Files are read one at a time into the stack (never all open at once).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Coordinate } from "../coordinate.js";
import { concat, DataArray } from "../data-array.js";
import { Dataset } from "../dataset.js";
import { ArrayError } from "../errors.js";
import { readGeoTiff } from "../geotiff.js";

const NAME = /_(\d{4})(\d{2})(\d{2})_([A-Z0-9]+)_([A-Z0-9]+)\.tiff?$/;

export interface OpenStackOptions {
  bands?: readonly string[];
  onProgress?: (done: number, total: number) => void;
}

/** Open the stack in `dir` as a Dataset with dims (time, y, x). */
export async function openSentinel2Stack(dir: string, options: OpenStackOptions = {}): Promise<Dataset> {
  const bands = options.bands ?? ["B04", "B08", "CLD"];
  const byDate = new Map<number, Map<string, string>>();
  for (const f of (await readdir(dir)).sort()) {
    const m = NAME.exec(f);
    if (!m || !bands.includes(m[5] as string)) continue;
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    byDate.get(t)?.set(m[5] as string, f) ?? byDate.set(t, new Map([[m[5] as string, f]]));
  }
  const times = [...byDate.keys()].sort((a, b) => a - b);
  if (times.length === 0)
    throw new ArrayError(
      "READ_FAILED",
      `${dir}: no files named *_YYYYMMDD_<tile>_<band>.tif for bands ${bands.join(", ")}`,
      { array: dir },
    );
  const per: Record<string, DataArray[]> = Object.fromEntries(bands.map((b) => [b, []]));
  let done = 0;
  for (const t of times) {
    const files = byDate.get(t) as Map<string, string>;
    for (const band of bands) {
      const f = files.get(band);
      if (!f)
        throw new ArrayError(
          "READ_FAILED",
          `${dir}: band ${band} missing on ${new Date(t).toISOString().slice(0, 10)}`,
          { array: band },
        );
      let da = await readGeoTiff(await readFile(join(dir, f)), { name: band });
      if (band !== "CLD") da = da.astype("float32").div(10000);
      const first = per[band]?.[0];
      if (first && first.shape.join() !== da.shape.join())
        throw new ArrayError(
          "SHAPE_MISMATCH",
          `${f}: ${da.shape.join("×")} pixels, earlier dates have ${first.shape.join("×")}`,
          { array: band },
        );
      per[band]?.push(da);
      options.onProgress?.(++done, times.length * bands.length);
    }
  }
  const time = Coordinate.time("time", times);
  const vars: Record<string, DataArray> = {};
  for (const band of bands) {
    const stacked = concat(per[band] as DataArray[], "time", { coord: time });
    vars[band] = new DataArray(stacked.data, stacked.dims, {
      name: band,
      coords: Object.fromEntries(stacked.coords),
    });
  }
  const attrs = (per[bands[0] as string]?.[0]?.attrs ?? {}) as Record<string, unknown>;
  return new Dataset(vars, { attrs: { crs: attrs.crs, transform: attrs.transform, source: dir } });
}
