// Array benchmarks for bench/run.js (contract: docs/bench.md), Meridian against Dask and numpy
// from Debian on the same .npy inputs, in one run:
//  - mean and standard deviation of a float32 array (default 2 GiB, 64 MiB chunks);
//  - resample(time="MS").mean() of a (T, Y, X) float32 cube (default 365×2048×2048, 64 MiB chunks);
//  - peak memory of each side (its process's maximum resident set).
// Options / environment: --gib=N or MERIDIAN_BENCH_ARRAY_GIB (mean/std size), --cube=T,Y,X or
// MERIDIAN_BENCH_ARRAY_CUBE; --quick uses 0.25 GiB and 365×256×256. Inputs are written once
// into bench/out/array-inputs/ (gitignored) by make-input.py and reused.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const name = "array";

function runJson(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr.slice(-2000)}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : null;
}

function python(args, cwd) {
  if (!existsSync("/usr/bin/python3")) return null;
  const ok = spawnSync("/usr/bin/python3", ["-c", "import dask, xarray, numpy"], { stdio: "ignore" });
  if (ok.status !== 0) return null;
  return runJson("/usr/bin/python3", args, cwd);
}

export async function run(ctx) {
  const opts = ctx.options ?? {};
  const gib = Number(opts.gib ?? process.env.MERIDIAN_BENCH_ARRAY_GIB ?? (ctx.quick ? 0.25 : 2));
  const cube = String(
    opts.cube ?? process.env.MERIDIAN_BENCH_ARRAY_CUBE ?? (ctx.quick ? "365,256,256" : "365,2048,2048"),
  )
    .split(",")
    .map(Number);
  const dir = join(ctx.outDir ?? join(ctx.repoRoot, "bench", "out"), "array-inputs");
  mkdirSync(dir, { recursive: true });
  const here = ctx.benchDir;
  const rows = 4096; // 4096 × 4096 float32 = 64 MiB per chunk
  const flat = join(dir, `flat-${gib}gib.npy`);
  const cubePath = join(dir, `cube-${cube.join("x")}.npy`);
  const tchunk = Math.max(1, Math.floor((64 * 2 ** 20) / (cube[1] * cube[2] * 4)));
  const hasPython = existsSync("/usr/bin/python3");
  if (!existsSync(flat)) {
    ctx.log(`writing ${gib} GiB float32 input with numpy`);
    if (!hasPython) throw new Error("bench/array needs /usr/bin/python3 with numpy to write its inputs");
    runJson("/usr/bin/python3", [join(here, "make-input.py"), "flat", flat, String(gib)], here);
  }
  if (!existsSync(cubePath)) {
    ctx.log(`writing ${cube.join("×")} float32 cube with numpy`);
    runJson("/usr/bin/python3", [join(here, "make-input.py"), "cube", cubePath, ...cube.map(String)], here);
  }
  const rowsOut = [];
  const mib = Math.round(statSync(flat).size / 2 ** 20);

  ctx.log(`mean+std of ${mib} MiB float32, 64 MiB chunks: Meridian`);
  const ours = runJson(
    process.execPath,
    [join(here, "ours.mjs"), "meanstd", flat, String(rows)],
    ctx.repoRoot,
  );
  ctx.log("mean+std: Dask");
  const dask = python([join(here, "peer.py"), "dask-meanstd", flat, String(rows)], here);
  ctx.log("mean+std: numpy");
  const np = python([join(here, "peer.py"), "numpy-meanstd", flat], here);
  const agree = dask
    ? `|Δmean| ${Math.abs(ours.mean - dask.mean).toExponential(1)}, |Δstd| ${Math.abs(ours.std - dask.std).toExponential(1)}`
    : "";
  rowsOut.push({
    case: `mean+std ${mib} MiB float32 vs Dask`,
    ours: ours.seconds,
    peer: dask?.seconds ?? null,
    unit: "s",
    notes: dask
      ? `speed-up ${(dask.seconds / ours.seconds).toFixed(2)}× (goal ≥ 4); dask ${dask.dask}, ${ours.tasks} chunks; ${agree}`
      : "peer: Dask not installed",
  });
  rowsOut.push({
    case: `mean+std ${mib} MiB float32 vs numpy`,
    ours: ours.seconds,
    peer: np?.seconds ?? null,
    unit: "s",
    notes: np
      ? `speed-up ${(np.seconds / ours.seconds).toFixed(2)}× (goal ≥ 2); numpy ${np.numpy} on a memory map`
      : "peer: numpy not installed",
  });
  rowsOut.push({
    case: "mean+std peak memory (vs Dask)",
    ours: ours.peakMB,
    peer: dask?.peakMB ?? null,
    unit: "MB",
    notes: "max resident set of each process; lower is better",
  });

  ctx.log(`resample(time="MS").mean() of ${cube.join("×")} float32, ${tchunk}-day chunks: Meridian`);
  const oursR = runJson(
    process.execPath,
    [join(here, "ours.mjs"), "resample", cubePath, String(tchunk)],
    ctx.repoRoot,
  );
  ctx.log("resample: xarray + Dask");
  const daskR = python([join(here, "peer.py"), "dask-resample", cubePath, String(tchunk)], here);
  const rel = daskR ? Math.abs(oursR.checksum - daskR.checksum) / Math.abs(daskR.checksum) : NaN;
  rowsOut.push({
    case: `resample MS mean ${cube.join("×")} vs xarray+Dask`,
    ours: oursR.seconds,
    peer: daskR?.seconds ?? null,
    unit: "s",
    notes: daskR
      ? `speed-up ${(daskR.seconds / oursR.seconds).toFixed(2)}×; xarray ${daskR.xarray}; checksum rel. diff ${rel.toExponential(1)}`
      : "peer: xarray/Dask not installed",
  });
  rowsOut.push({
    case: "resample peak memory (vs Dask)",
    ours: oursR.peakMB,
    peer: daskR?.peakMB ?? null,
    unit: "MB",
    notes: "max resident set; lower is better",
  });
  return rowsOut;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { fileURLToPath } = await import("node:url");
  const { dirname, resolve } = await import("node:path");
  const here = dirname(fileURLToPath(import.meta.url));
  const rows = await run({
    quick: process.argv.includes("--quick"),
    benchDir: here,
    repoRoot: resolve(here, "../.."),
    options: {},
    log: (t) => console.log(t),
  });
  for (const r of rows)
    console.log(`  ${r.case}: ours ${r.ours} ${r.unit}, peer ${r.peer} ${r.unit} (${r.notes})`);
}
