// Compute benchmarks for bench/run.js (contract: docs/bench.md): @meridian/compute against Dask
// (and numpy) from Debian's /usr/bin/python3, on the same machine in one run. Each measurement
// runs in its own process (ours.mjs, peer.py) so peak memory is that system's alone.
//
//   npm run build && npm run bench -- compute            # 2 GiB float32, 64 MiB chunks
//   npm run bench -- compute --quick                     # 256 MiB, 16 MiB chunks
//   MERIDIAN_BENCH_COMPUTE_MIB=512 MERIDIAN_BENCH_COMPUTE_CHUNK_MIB=32 npm run bench -- compute
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const name = "compute";

const here = dirname(fileURLToPath(import.meta.url));
const MiB = 2 ** 20;

function ours(args) {
  return JSON.parse(
    execFileSync(process.execPath, [join(here, "ours.mjs"), ...args.map(String)], { encoding: "utf8" }),
  );
}

function peer(args) {
  try {
    const out = execFileSync("/usr/bin/python3", [join(here, "peer.py"), ...args.map(String)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return JSON.parse(out);
  } catch (err) {
    return {
      error: String(err.stderr ?? err.message)
        .trim()
        .split("\n")
        .at(-1),
    };
  }
}

/** @returns rows { case, ours, peer, unit, ratio?, notes } */
export async function run(ctx = {}) {
  const quick = ctx.quick === true;
  const totalMiB = Number(process.env.MERIDIAN_BENCH_COMPUTE_MIB ?? (quick ? 256 : 2048));
  const chunkMiB = Number(process.env.MERIDIAN_BENCH_COMPUTE_CHUNK_MIB ?? (quick ? 16 : 64));
  const total = totalMiB * MiB;
  const chunk = chunkMiB * MiB;
  const workers = availableParallelism();
  const rows = [];
  const size = `${totalMiB >= 1024 ? `${totalMiB / 1024} GiB` : `${totalMiB} MiB`} float32, ${chunkMiB} MiB chunks`;

  ctx.log?.("scheduler overhead: 10,000 no-op tasks");
  const n = 10_000;
  const oN = ours(["noop", n]);
  const pN = peer(["noop", n]);
  rows.push({
    case: `${n.toLocaleString("en")} no-op tasks, per task`,
    ours: oN.perTaskMs,
    peer: pN.perTaskMs ?? null,
    unit: "ms",
    notes:
      pN.error ??
      `peer: dask ${pN.dask} threaded get; ${workers} threads each; lower is better (goal ≤ 1 ms)`,
  });

  ctx.log?.(`mean+std, data in memory: ${size}`);
  const oM = ours(["meanstd-memory", total, chunk]);
  const pM = peer(["meanstd-memory", total, chunk]);
  rows.push({
    case: `mean+std in memory, ${size}`,
    ours: oM.seconds,
    peer: pM.seconds ?? null,
    unit: "s",
    ratio: pM.seconds ? pM.seconds / oM.seconds : undefined,
    notes: pM.error ?? `peer: dask ${pM.dask} (from_array, threaded); ratio = peer/ours, speed-up (goal ≥ 4)`,
  });
  rows.push({
    case: `mean+std in memory, ${size}, vs numpy`,
    ours: oM.seconds,
    peer: pM.numpySeconds ?? null,
    unit: "s",
    ratio: pM.numpySeconds ? pM.numpySeconds / oM.seconds : undefined,
    notes: pM.error ?? `peer: numpy ${pM.numpy} x.mean(), x.std(); ratio = peer/ours (goal ≥ 2)`,
  });
  rows.push({
    case: "extra memory during that reduction",
    ours: oM.extraRssMB,
    peer: pM.extraRssMB ?? null,
    unit: "MB",
    notes: pM.error ?? `peer: dask; numpy needed ${pM.numpyExtraRssMB?.toFixed(0)} MB; lower is better`,
  });

  ctx.log?.(`generate + mean+std, chunk by chunk: ${size}`);
  const oS = ours(["meanstd-stream", total, chunk]);
  const pS = peer(["meanstd-stream", total, chunk]);
  rows.push({
    case: `generate+mean+std streamed, ${size}`,
    ours: oS.seconds,
    peer: pS.seconds ?? null,
    unit: "s",
    notes:
      pS.error ??
      `peer: dask ${pS.dask} RandomState.random_sample+astype; generators differ (ours xorshift32), so compare with care`,
  });
  const goal = (workers * 2 * chunk) / MiB + 100;
  rows.push({
    case: "peak RSS of that run",
    ours: oS.peakRssMB,
    peer: pS.peakRssMB ?? null,
    unit: "MB",
    notes: `goal ≤ workers × 2 × chunk + 100 MB = ${goal.toFixed(0)} MB (${workers} workers); peer: dask; lower is better`,
  });
  // The same statistics from every system: a sanity line, not a timing.
  ctx.log?.(
    `check: ours mean ${oM.mean.toFixed(6)} std ${oM.std.toFixed(6)}; dask mean ${pM.mean?.toFixed(6)} std ${pM.std?.toFixed(6)} (different random data, both uniform [0,1): 0.5, 0.288675)`,
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run({ log: (t) => console.log(t), quick: process.argv.includes("--quick") })) {
    console.log(
      `  ${r.case}: ours ${r.ours?.toFixed(4)} ${r.unit}, peer ${r.peer?.toFixed(4)} ${r.unit} (${r.notes})`,
    );
  }
}
