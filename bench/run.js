// Benchmark runner: `npm run bench` (all entries) or `npm run bench -- server sky` (some).
//
// An entry is a folder `bench/<name>/` with a `bench.mjs` exporting `name` and `run(ctx)`; run
// returns rows `{ case, ours, peer, unit, ratio, notes }` (contract: docs/bench.md). The runner
// prints one table per entry with the machine's facts, and writes everything as JSON to
// `bench/out/` (gitignored). It never judges timings: numbers are printed, not asserted.
//
// Options: --list (show entries), --quick (entries shorten their runs), --out=DIR, and any
// --key=value, handed to entries as ctx.options.key (a string).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "..");

/** Facts about this machine that every result is printed and stored with. */
export function machineFacts() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    freeMemoryGiB: Math.round((os.freemem() / 1024 ** 3) * 10) / 10,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    commit: gitCommit(),
  };
}

function gitCommit() {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, stdio: "pipe" });
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      cwd: repoRoot,
      stdio: "pipe",
    });
    return `${commit.toString().trim()}${dirty.length > 0 ? "+dirty" : ""}`;
  } catch {
    return null;
  }
}

/** Entry folders under `benchDir`: every `<dir>/bench.mjs`, sorted by folder name. */
export async function discover(benchDir) {
  const dirs = (await readdir(benchDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && d.name !== "out" && d.name !== "node_modules")
    .map((d) => d.name)
    .sort();
  return dirs
    .filter((name) => existsSync(join(benchDir, name, "bench.mjs")))
    .map((name) => ({ dir: name, file: join(benchDir, name, "bench.mjs") }));
}

/** Check and complete a row: ratio = ours / peer when not given and both are numbers. */
export function normaliseRow(row, entry) {
  if (typeof row !== "object" || row === null || typeof row.case !== "string") {
    throw new Error(`${entry}: each row needs a string "case", got ${JSON.stringify(row)}`);
  }
  const num = (v, field) => {
    if (v === undefined || v === null) return null;
    if (typeof v !== "number" || Number.isNaN(v)) {
      throw new Error(`${entry}: row "${row.case}": "${field}" must be a number or null`);
    }
    return v;
  };
  const ours = num(row.ours, "ours");
  const peer = num(row.peer, "peer");
  const computed = ours !== null && peer !== null && peer !== 0 ? ours / peer : null;
  return {
    case: row.case,
    ours,
    peer,
    unit: typeof row.unit === "string" ? row.unit : "",
    ratio: num(row.ratio, "ratio") ?? computed,
    notes: typeof row.notes === "string" ? row.notes : "",
  };
}

/** A number for a table: thousands grouped above 1000, else 3 significant digits. */
export function formatNumber(x, digits = 3) {
  if (x === null || x === undefined) return "—";
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString("en-US");
  if (x === 0) return "0";
  return Number(x.toPrecision(digits)).toString();
}

/** Plain-text table of rows; columns padded to their widest cell. */
export function formatTable(rows) {
  const header = ["case", "ours", "peer", "unit", "ratio", "notes"];
  const cells = rows.map((r) => [
    r.case,
    formatNumber(r.ours),
    formatNumber(r.peer),
    r.unit,
    r.ratio === null ? "—" : formatNumber(r.ratio, 3),
    r.notes,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const right = new Set([1, 2, 4]);
  const line = (c) =>
    c
      .map((text, i) =>
        i === c.length - 1 ? text : right.has(i) ? text.padStart(widths[i]) : text.padEnd(widths[i]),
      )
      .join("  ")
      .trimEnd();
  return [
    line(header),
    line(widths.map((w, i) => (i === widths.length - 1 ? "-----" : "-".repeat(w)))),
    ...cells.map(line),
  ].join("\n");
}

function formatFacts(m) {
  return [
    `cpu: ${m.cpuModel} · cores: ${m.cores} (available parallelism ${m.availableParallelism})`,
    `memory: ${m.memoryGiB} GiB (${m.freeMemoryGiB} free) · load: ${m.loadAverage.join(" ")}`,
    `node ${m.node} · ${m.os}${m.commit === null ? "" : ` · commit ${m.commit}`}`,
  ].join("\n");
}

/** Parse argv: entry names, --list, --quick, --out=DIR, other --key=value into options. */
export function parseArgs(argv) {
  const args = { names: [], list: false, quick: false, out: join(here, "out"), options: {} };
  for (const arg of argv) {
    if (arg === "--list") args.list = true;
    else if (arg === "--quick") args.quick = true;
    else if (arg.startsWith("--out=")) args.out = resolve(arg.slice(6));
    else if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      args.options[eq < 0 ? arg.slice(2) : arg.slice(2, eq)] = eq < 0 ? "true" : arg.slice(eq + 1);
    } else args.names.push(arg);
  }
  return args;
}

/**
 * Run the selected entries of `benchDir` one after the other, print their tables and return the
 * report (also written to `<out>/bench-<time>.json` and `<out>/latest.json`).
 */
export async function runBenchmarks({
  benchDir = here,
  names = [],
  quick = false,
  out = join(here, "out"),
  options = {},
  print = (text) => process.stdout.write(`${text}\n`),
} = {}) {
  const startedAt = new Date();
  const machine = machineFacts();
  const all = await discover(benchDir);
  const unknown = names.filter((n) => !all.some((found) => found.dir === n));
  if (unknown.length > 0) {
    throw new Error(
      `no benchmark entry named ${unknown.join(", ")}; entries: ${all.map((f) => f.dir).join(", ")}`,
    );
  }
  // Only the selected entries are imported: one entry's missing build cannot break another's run.
  const selected = names.length === 0 ? all : all.filter((found) => names.includes(found.dir));

  print(formatFacts(machine));
  const results = [];
  for (const item of selected) {
    const t0 = performance.now();
    const result = { name: item.dir, dir: item.dir, ok: false, error: null, seconds: 0, rows: [] };
    try {
      const mod = await import(pathToFileURL(item.file).href);
      const entry = typeof mod.run === "function" ? mod : mod.default;
      if (typeof entry?.name === "string") result.name = entry.name;
      print(`\n== ${result.name} (bench/${item.dir}/bench.mjs) ==`);
      if (typeof entry?.run !== "function") {
        throw new Error("bench.mjs exports no run(ctx); see docs/bench.md for the contract");
      }
      const ctx = {
        repoRoot,
        benchDir: dirname(item.file),
        outDir: out,
        quick,
        options,
        machine,
        log: (text) => print(`  ${text}`),
      };
      const rows = await entry.run(ctx);
      if (!Array.isArray(rows)) throw new Error("run(ctx) must return an array of rows");
      result.rows = rows.map((r) => normaliseRow(r, result.name));
      result.ok = true;
      print(formatTable(result.rows));
    } catch (err) {
      result.error = err instanceof Error ? err.message : String(err);
      print(`FAILED (${item.dir}): ${result.error}`);
    }
    result.seconds = Math.round((performance.now() - t0) / 100) / 10;
    print(`(${result.seconds} s)`);
    results.push(result);
  }

  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    quick,
    entries: results,
  };
  await mkdir(out, { recursive: true });
  const file = join(out, `bench-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  await writeFile(file, json);
  await writeFile(join(out, "latest.json"), json);
  print(`\nwrote ${relative(process.cwd(), file) || file}`);
  return report;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  try {
    if (args.list) {
      for (const { dir } of await discover(here)) console.log(dir);
    } else {
      const report = await runBenchmarks(args);
      if (report.entries.some((e) => !e.ok)) process.exitCode = 1;
    }
  } catch (err) {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
