// Product viewer benchmark (`meridian view`), on loopback, against plain peers in the same run:
//   - listing the 10,000-file directory: our names request vs Python's http.server directory page,
//     and our names + details (size, time, kind) vs `ls -l --full-time` run locally;
//   - tail (last 1,000 lines) of a 1 GB log: ours over HTTP vs GNU `tail -n 1000` locally;
//   - overview of the whole run, cold (fresh server) and warm: ours vs a Python script that walks
//     the tree and reads the last lines of every log (what a notebook-based viewer does);
//   - follow mode: time from an append to the line arriving over server-sent events;
//   - the FITS viewer (bench/viewer/fits.mjs): first view of a 4096² image (time, bytes; also in
//     Chromium), channel change in a 512×512×256 cube, server memory while serving the cube;
//   - server memory (RSS) at the end.
//
// Run after `npm run build`:  node bench/viewer/bench.mjs [--quick] [--keep=DIR]
// or through the runner:      npm run bench -- viewer [--quick]
// --quick uses a 128 MB log instead of 1 GB. The scenario comes from fixtures/viewer/make-scenario.mjs
// (300 logs, 200 PNG plots, 50 FITS images, 12 HTML reports, 10,000 files in one directory) in a
// temporary directory that is removed afterwards (unless --keep). Needs python3 and GNU coreutils.
import { execFile, execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { fitsRows } from "./fits.mjs";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
export const name = "viewer";

const PY_OVERVIEW = `
import os, sys, time
root = sys.argv[1]
t = time.perf_counter()
groups = {}
for d, dirs, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f)
        st = os.stat(p)
        groups.setdefault(os.path.splitext(f)[1], []).append((p, st.st_size, st.st_mtime))
tails = {}
for p, size, _ in groups.get(".log", []):
    with open(p, "rb") as fh:
        fh.seek(max(0, size - 65536))
        tails[p] = fh.read().splitlines()[-8:]
print((time.perf_counter() - t) * 1000)
`;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeIt(fn, repeats) {
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

function writeBigLog(path, bytes) {
  const fd = openSync(path, "w");
  const lines = [];
  for (let i = 0; i < 20000; i++)
    lines.push(
      `2026-11-24T22:${String(i % 60).padStart(2, "0")}:00Z INFO image: processed chunk ${i} (rms 0.00${i % 97} Jy)`,
    );
  const block = Buffer.from(`${lines.join("\n")}\n`);
  for (let written = 0; written < bytes; written += block.length) writeSync(fd, block);
  writeSync(fd, Buffer.from("\u001b[1;31mFATAL\u001b[0m image: out of memory\n"));
  closeSync(fd);
}

function startCli(dir) {
  return new Promise((resolveStarted, reject) => {
    const child = spawn(
      process.execPath,
      [join(repo, "apps/cli/bin/meridian.js"), "view", dir, "--no-browser"],
      {
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, MERIDIAN_VIEW_CACHE: join(dir, "..", "cache") },
      },
    );
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]+)/.exec(out);
      if (m) resolveStarted({ child, url: m[1], token: m[2] });
    });
    child.on("exit", (code) => reject(new Error(`meridian view exited with ${code}: ${out}`)));
  });
}

function startPythonServer(dir) {
  return new Promise((resolveStarted, reject) => {
    const child = spawn("python3", ["-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const onData = (c) => {
      out += c;
      const m = /port (\d+)/.exec(out);
      if (m) resolveStarted({ child, url: `http://127.0.0.1:${m[1]}` });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`python http.server exited with ${code}: ${out}`)));
  });
}

function rssOf(pid) {
  try {
    const status = execFileSync("cat", [`/proc/${pid}/status`]).toString();
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return null;
  }
}

/** Follow-mode latency: append a line, time until it arrives over SSE. */
async function followLatency(url, headers, logPath, rounds) {
  const { appendFileSync, statSync } = await import("node:fs");
  const res = await fetch(`${url}/api/text/follow?path=logs/live.log&offset=${statSync(logPath).size}`, {
    headers,
  });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const latencies = [];
  let buffer = "";
  for (let i = 0; i < rounds; i++) {
    const marker = `bench line ${i}`;
    const t = performance.now();
    appendFileSync(logPath, `${marker}\n`);
    while (!buffer.includes(marker)) {
      const { value } = await reader.read();
      buffer += decoder.decode(value, { stream: true });
    }
    latencies.push(performance.now() - t);
    buffer = "";
  }
  await reader.cancel();
  return median(latencies);
}

export async function runBench(ctx) {
  const quick = ctx.quick;
  const base = ctx.options.keep
    ? resolve(ctx.options.keep)
    : mkdtempSync(join(os.tmpdir(), "meridian-viewer-bench-"));
  const tree = join(base, "run");
  const rows = [];
  let viewer;
  let py;
  try {
    if (!existsSync(join(tree, "many"))) {
      ctx.log("generating the scenario (300 logs, 200 plots, 50 FITS, 12 reports, 10,000 files)…");
      execFileSync(process.execPath, [join(repo, "fixtures/viewer/make-scenario.mjs"), tree]);
    }
    const bigBytes = quick ? 128 * 1024 ** 2 : 1024 ** 3;
    ctx.log(`writing a ${Math.round(bigBytes / 1024 ** 2)} MB log…`);
    writeBigLog(join(tree, "logs", "huge.log"), bigBytes);
    writeSync(openSync(join(tree, "logs", "live.log"), "w"), "started\n");

    viewer = await startCli(tree);
    const headers = { authorization: `Bearer ${viewer.token}` };
    const getJson = async (path, init = {}) => {
      const res = await fetch(`${viewer.url}${path}`, { headers, ...init });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      return res.json();
    };

    // Overview first, on a fresh server (cold), then again (warm).
    let t = performance.now();
    const overview = await getJson("/api/overview");
    const cold = performance.now() - t;
    const warm = await timeIt(() => getJson("/api/overview"), 5);
    const pyOverview = Number((await run("python3", ["-c", PY_OVERVIEW, tree])).stdout.trim());
    rows.push({
      case: "overview, cold (fresh server)",
      ours: cold,
      peer: pyOverview,
      unit: "ms",
      notes: `${overview.files} files; peer: Python os.walk + tail of every log`,
    });
    rows.push({ case: "overview, warm", ours: warm, peer: pyOverview, unit: "ms", notes: "median of 5" });

    // FITS thumbnails of the overview, cold then cached.
    const fitsItems = overview.sections.find((s) => s.display === "fits")?.items ?? [];
    t = performance.now();
    await Promise.all(
      fitsItems.map((i) =>
        fetch(`${viewer.url}/api/fits/preview?path=${encodeURIComponent(i.path)}&size=256`, { headers }).then(
          (r) => r.arrayBuffer(),
        ),
      ),
    );
    const thumbsCold = performance.now() - t;
    const thumbsWarm = await timeIt(
      () =>
        Promise.all(
          fitsItems.map((i) =>
            fetch(`${viewer.url}/api/fits/preview?path=${encodeURIComponent(i.path)}&size=256`, {
              headers,
            }).then((r) => r.arrayBuffer()),
          ),
        ),
      3,
    );
    rows.push({
      case: `${fitsItems.length} FITS thumbnails, cold → cached`,
      ours: thumbsCold,
      peer: thumbsWarm,
      unit: "ms",
      notes: "peer column: the same from the cache",
    });

    // Listing of the 10,000-file directory.
    py = await startPythonServer(tree);
    const names = await timeIt(() => getJson("/api/list?path=many"), 5);
    const pyList = await timeIt(() => fetch(`${py.url}/many/`).then((r) => r.text()), 5);
    rows.push({
      case: "list 10,000 files: names over HTTP",
      ours: names,
      peer: pyList,
      unit: "ms",
      notes: "peer: python3 -m http.server directory page",
    });
    const full = await timeIt(async () => {
      const list = await getJson("/api/list?path=many");
      const paths = list.entries.map((e) => e.path);
      const batches = [];
      for (let i = 0; i < paths.length; i += 2000) batches.push(paths.slice(i, i + 2000));
      await Promise.all(
        batches.map((b) =>
          getJson("/api/details", {
            method: "POST",
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify({ paths: b }),
          }),
        ),
      );
    }, 5);
    const ls = await timeIt(
      () => run("ls", ["-l", "--full-time", join(tree, "many")], { maxBuffer: 64 * 1024 ** 2 }),
      5,
    );
    rows.push({
      case: "list 10,000 files: names + details",
      ours: full,
      peer: ls,
      unit: "ms",
      notes: "goal ≤ 1000 ms; peer: ls -l --full-time (local, no HTTP)",
    });

    // Tail of the big log.
    const tail = await timeIt(() => getJson("/api/text?path=logs/huge.log&lines=1000"), 7);
    const gnuTail = await timeIt(
      () => run("tail", ["-n", "1000", join(tree, "logs", "huge.log")], { maxBuffer: 64 * 1024 ** 2 }),
      7,
    );
    const tailRun = await getJson("/api/text?path=logs/huge.log&lines=1000");
    rows.push({
      case: `tail 1,000 lines of a ${Math.round(bigBytes / 1024 ** 2)} MB log`,
      ours: tail,
      peer: gnuTail,
      unit: "ms",
      notes: `goal ≤ 200 ms; read ${tailRun.bytesRead} bytes; peer: GNU tail -n 1000 (local)`,
    });

    // Search through the big log (streamed, bounded result count).
    const search = await timeIt(() => getJson("/api/text/search?path=logs/huge.log&q=FATAL&max=100"), 1);
    const grep = await timeIt(
      () => run("grep", ["-c", "FATAL", join(tree, "logs", "huge.log")]).catch(() => null),
      1,
    );
    rows.push({
      case: "search the big log for one line",
      ours: search,
      peer: grep,
      unit: "ms",
      notes: "peer: grep -c (local)",
    });

    // Follow mode latency.
    const follow = await followLatency(viewer.url, headers, join(tree, "logs", "live.log"), 10);
    rows.push({
      case: "follow: append → line in the browser stream",
      ours: follow,
      peer: null,
      unit: "ms",
      notes: "median of 10; goal < 1000 ms",
    });

    // The interactive FITS viewer: first view of a 4096² image, channel changes in a cube.
    rows.push(
      ...(await fitsRows(ctx, {
        tree,
        url: viewer.url,
        token: viewer.token,
        headers,
        pid: viewer.child.pid,
        rssOf,
        startPythonServer,
      })),
    );

    rows.push({
      case: "server memory (RSS) after the run",
      ours: rssOf(viewer.child.pid),
      peer: py ? rssOf(py.child.pid) : null,
      unit: "MiB",
      notes: "peer: python3 http.server",
    });
    ctx.log(`cores: ${os.cpus().length}`);
    return rows;
  } finally {
    viewer?.child.kill("SIGTERM");
    py?.child.kill("SIGTERM");
    if (!ctx.options.keep) rmSync(base, { recursive: true, force: true });
  }
}

export { runBench as run };

// Standalone: print the rows as a table.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const options = {};
  for (const a of process.argv.slice(2))
    if (a.startsWith("--") && a.includes("="))
      options[a.slice(2, a.indexOf("="))] = a.slice(a.indexOf("=") + 1);
  const rows = await runBench({
    quick: process.argv.includes("--quick"),
    options,
    log: (s) => console.log(s),
  });
  console.log(`cores: ${os.cpus().length}`);
  for (const r of rows) {
    const ratio = r.ours !== null && r.peer ? (r.ours / r.peer).toFixed(2) : "—";
    console.log(
      `${r.case.padEnd(48)} ours ${r.ours?.toFixed(1).padStart(9)} ${r.unit}  peer ${r.peer === null ? "—".padStart(9) : r.peer.toFixed(1).padStart(9)}  ours/peer ${ratio}  ${r.notes}`,
    );
  }
}
