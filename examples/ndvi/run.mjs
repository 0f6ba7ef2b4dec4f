// The NDVI use case as a script (after `npm run build`):
//   node examples/ndvi/run.mjs [WORKDIR]      default: examples/ndvi/work (gitignored output lives there)
// 1. writes a synthetic Sentinel-2 L2A-like stack (B04, B08, CLD GeoTIFFs every 5 days, 24 months);
// 2. loads it as a (time, y, x) Dataset, computes NDVI with clouds masked, monthly composites,
//    a 12-month rolling mean and the per-pixel trend;
// 3. writes ndvi-mean.png, ndvi-trend.png, ndvi-series.svg, ndvi-monthly.zarr and summary.json.
// The same steps as `meridian ndvi demo WORKDIR`. A lazy variant of step 2 on worker threads
// follows at the end (composites straight from the Zarr store, chunk by chunk).
import { join, resolve } from "node:path";
import { generateSentinel2Stack, LazyDataArray, ndviReport } from "@meridian/array/node";
import { shutdownDefaultPool } from "@meridian/compute/node";

const work = resolve(process.argv[2] ?? new URL("./work", import.meta.url).pathname);
const stack = join(work, "stack");
const out = join(work, "out");

const t0 = performance.now();
const gen = await generateSentinel2Stack(stack, { width: 128, height: 128, months: 24, everyDays: 5 });
console.log(
  `generated ${gen.dates.length} dates × 3 bands in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const summary = await ndviReport({ input: stack, output: out });
console.log(
  `mean NDVI ${summary.meanNdvi.toFixed(3)}; trend/yr median ${summary.trendPerYear.median.toFixed(3)}`,
);
console.log(`load ${summary.seconds.load.toFixed(2)} s, analysis ${summary.seconds.analysis.toFixed(2)} s`);
for (const f of summary.files) console.log(`  ${f}`);

// Lazy: the monthly composites were written to Zarr; reduce them again on all cores.
const monthly = await LazyDataArray.fromZarr(join(out, "ndvi-monthly.zarr"), "ndvi");
const seasonal = await monthly.groupby("time.month").mean().compute();
console.log("mean NDVI by calendar month (lazy, worker threads):");
console.log(
  seasonal
    .coord("month")
    .labels()
    .map((m, i) => `${m}: ${seasonal.isel({ month: i }).mean().value().toFixed(3)}`)
    .join(", "),
);
await shutdownDefaultPool();
