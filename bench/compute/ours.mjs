// One measurement of @meridian/compute in a fresh process (so peak memory is its own), printing
// one JSON line. Used by bench.mjs; runs alone too:
//   node bench/compute/ours.mjs noop 10000
//   node bench/compute/ours.mjs meanstd-memory <totalBytes> <chunkBytes>
//   node bench/compute/ours.mjs meanstd-stream <totalBytes> <chunkBytes>
import { ref, task } from "@meridian/compute";
import { combineMoments, fill, moments, noop } from "@meridian/compute/kernels";
import { compute, shutdownDefaultPool } from "@meridian/compute/node";

const [mode, a, b] = process.argv.slice(2);

function sampleRss() {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  return () => {
    clearInterval(t);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

function momentsGraph(sources) {
  const g = { ...sources.graph };
  const parts = [];
  for (const [i, src] of sources.args.entries()) {
    g[`m${i}`] = task(moments, [src]);
    parts.push(ref(`m${i}`));
  }
  g.all = task(combineMoments, parts);
  return g;
}

function stats(r) {
  return { mean: r.mean, std: Math.sqrt(r.m2 / r.count), count: r.count };
}

if (mode === "noop") {
  const n = Number(a);
  const g = {};
  for (let i = 0; i < n; i++) g[`t${i}`] = task(noop);
  const keys = Object.keys(g);
  await compute(g, keys, { optimize: false }); // start threads, load kernels
  const t0 = performance.now();
  await compute(g, keys, { optimize: false });
  const s = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ seconds: s, perTaskMs: (s * 1000) / n }));
} else if (mode === "meanstd-memory" || mode === "meanstd-stream") {
  const total = Number(a);
  const chunk = Number(b);
  const n = Math.ceil(total / chunk);
  const elems = (i) => Math.min(chunk, total - i * chunk) / 4;
  const fills = {};
  for (let i = 0; i < n; i++)
    fills[`x${i}`] = task(fill, [], { dtype: "float32", shape: [elems(i)], seed: i });
  if (mode === "meanstd-memory") {
    // The data is made first and held; only the reduction over chunks in memory is timed.
    const chunks = await compute(fills, Object.keys(fills));
    const g = momentsGraph({ graph: {}, args: chunks });
    await compute({ w: task(noop) }, ["w"]);
    const before = process.memoryUsage().rss;
    const stop = sampleRss();
    const t0 = performance.now();
    const [r] = await compute(g, ["all"]);
    const s = (performance.now() - t0) / 1000;
    const peak = stop();
    console.log(JSON.stringify({ seconds: s, extraRssMB: (peak - before) / 2 ** 20, ...stats(r) }));
  } else {
    // Generate and reduce chunk by chunk: memory stays bounded by the chunks in flight.
    const g = momentsGraph({ graph: fills, args: Object.keys(fills).map((k) => ref(k)) });
    const stop = sampleRss();
    const t0 = performance.now();
    const [r] = await compute(g, ["all"]);
    const s = (performance.now() - t0) / 1000;
    const peak = stop();
    console.log(
      JSON.stringify({
        seconds: s,
        peakRssMB: Math.max(peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20,
        ...stats(r),
      }),
    );
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
await shutdownDefaultPool();
