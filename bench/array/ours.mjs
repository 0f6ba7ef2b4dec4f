// Meridian side of bench/array, run in its own process so its peak memory is its own:
//   node bench/array/ours.mjs meanstd PATH ROWS      -> JSON { seconds, mean, std, peakMB }
//   node bench/array/ours.mjs resample PATH TCHUNK   -> JSON { seconds, checksum, shape, peakMB }
// Imports the built package (npm run build). Peak memory: VmHWM of this process (main thread and
// worker threads share it).
import { readFileSync } from "node:fs";
import { Coordinate } from "@meridian/array";
import { chunkStats } from "@meridian/array/kernels";
import { LazyArray, LazyDataArray } from "@meridian/array/node";
import { allocateChunk, task } from "@meridian/compute";
import { noop } from "@meridian/compute/kernels";
import { compute, shutdownDefaultPool } from "@meridian/compute/node";

function peakMB() {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

const [kind, path, arg] = process.argv.slice(2);
// Chunks held or in flight at once: bounds peak memory (compute's default is a quarter of RAM).
const memoryBudget = Number(process.env.MERIDIAN_BENCH_MEMORY_BUDGET ?? 2 ** 30);
// Start the worker threads and have each import the array kernels before timing, as the Python
// side imports numpy and dask before its clock starts (Dask's thread pool costs nothing to start).
await compute(Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`warm-${i}`, task(noop)])), [
  "warm-0",
]);
const tiny = allocateChunk("float32", [64]);
const warm = Object.fromEntries(
  Array.from({ length: 16 }, (_, i) => [
    `warm-stats-${i}`,
    task(chunkStats, [tiny], { expr: null, shape: [64], axes: [0], mode: "moments" }),
  ]),
);
await compute(warm, Object.keys(warm));
const out = {};
if (kind === "meanstd") {
  const x = LazyArray.fromNpy(path, Number(arg));
  const t0 = performance.now();
  const [m, s] = await LazyArray.computeAll(x.reduceMany(["mean", "std"]), { memoryBudget });
  out.seconds = (performance.now() - t0) / 1000;
  out.mean = Number(m.item());
  out.std = Number(s.item());
  out.tasks = x.chunkGrid[0];
} else if (kind === "resample") {
  const x = LazyArray.fromNpy(path, Number(arg));
  const t = x.shape[0];
  const time = Coordinate.time(
    "time",
    Array.from({ length: t }, (_, i) => Date.UTC(2021, 0, 1 + i)),
  );
  const da = new LazyDataArray(x, ["time", "y", "x"], new Map([["time", time]]));
  const t0 = performance.now();
  const r = await da.resample({ time: "MS" }).mean().compute({ memoryBudget });
  out.seconds = (performance.now() - t0) / 1000;
  // the result is a fresh C-order array: sum its storage directly (toFloat64 would copy it)
  let sum = 0;
  for (const v of r.data.data) if (!Number.isNaN(v)) sum += v;
  out.checksum = sum;
  out.shape = [...r.shape];
}
out.peakMB = peakMB();
await shutdownDefaultPool();
process.stdout.write(JSON.stringify(out));
