// FITS reading benchmark: @meridian/fits vs astropy.io.fits on the same files, in one run.
//
// Run (after `npm run build`):  node bench/fits/read.mjs [--big] [--repeat 3]
// or through the harness (docs/bench.md): `npm run bench -- fits [--big]` (rows from `run(ctx)`).
// Needs Debian's /usr/bin/python3 with python3-astropy. Inputs are written by our writer into a
// temp dir (removed afterwards): a header of 10,000 keyword cards, one of 44,000 HISTORY lines, a
// 4096×4096 float32 image and a float32 cube of 64 planes of 1024×1024 (256 MiB; --big: 256
// planes, 1 GiB). Prints best-of-N seconds for both, the ratio (astropy / ours, > 1 means we are
// faster), the peak RSS (VmHWM) of a fresh process that reads one cube plane, and os.cpus().length.
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Header, writeFits } from "../../packages/fits/dist/index.js";
import { openFitsFile } from "../../packages/fits/dist/node.js";

const here = dirname(fileURLToPath(import.meta.url));
const PY = "/usr/bin/python3";
let repeat = 3;
/** Progress output: the console when standalone, ctx.log under the harness. */
let say = console.log;

const PY_TIMES = `
import sys, time, json, numpy as np
from astropy.io import fits
kind, path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
if kind == "image-4k":
    # numpy madvises MADV_HUGEPAGE for arrays of 4 MiB and more; this variant turns that off.
    np.core.multiarray._set_madvise_hugepage(False)
    kind = "image"
best = 1e9
for _ in range(repeat):
    t = time.perf_counter()
    if kind == "list":
        with fits.open(path) as hl:
            hl.info(output=False)
            n = sum(len(h.header) for h in hl)
    elif kind == "plane":
        with fits.open(path, memmap=True) as hl:
            d = np.asarray(hl[0].section[int(sys.argv[4])], dtype=np.float32)
            n = float(d[10, 10])
    elif kind == "image":
        d = np.asarray(fits.getdata(path, memmap=False), dtype=np.float32)
        n = float(d[100, 100])
    best = min(best, time.perf_counter() - t)
print(json.dumps({"seconds": best, "check": n}))
`;

const PY_PLANE = `
import sys, time, json, numpy as np
from astropy.io import fits
path, k = sys.argv[1], int(sys.argv[2])
t = time.perf_counter()
with fits.open(path, memmap=True) as hl:
    plane = np.asarray(hl[0].section[k], dtype=np.float32)
    v = float(plane[10, 10])
dt = time.perf_counter() - t
hwm = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])
print(json.dumps({"seconds": dt, "check": v, "maxRssKiB": hwm}))
`;

function python(script, ...argv) {
  return JSON.parse(
    execFileSync(PY, ["-c", script, ...argv.map(String)], { encoding: "utf8", maxBuffer: 1 << 26 }),
  );
}

async function best(fn) {
  let t = Number.POSITIVE_INFINITY;
  let check;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    check = await fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return { seconds: t, check };
}

function line(name, ours, peer, extra = "") {
  const ratio = peer.seconds / ours.seconds;
  say(
    `${name.padEnd(46)} ours ${ours.seconds.toFixed(4).padStart(9)} s   astropy ${peer.seconds.toFixed(4).padStart(9)} s   ratio ${ratio.toFixed(2).padStart(6)}x ${extra}`,
  );
  return { name, ours: ours.seconds, astropy: peer.seconds, ratio };
}

/** Write a primary image header + raw float32 planes without holding the cube in memory. */
function writeCube(path, nx, ny, nz) {
  const h = new Header()
    .set("SIMPLE", true)
    .set("BITPIX", -32)
    .set("NAXIS", 3)
    .set("NAXIS1", nx)
    .set("NAXIS2", ny)
    .set("NAXIS3", nz);
  const fd = openSync(path, "w");
  writeSync(fd, h.toBytes());
  const plane = new Float32Array(nx * ny);
  const bytes = new Uint8Array(plane.buffer);
  for (let z = 0; z < nz; z++) {
    for (let i = 0; i < plane.length; i++) plane[i] = z + i / plane.length;
    // big-endian
    const be = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i += 4) {
      be[i] = bytes[i + 3];
      be[i + 1] = bytes[i + 2];
      be[i + 2] = bytes[i + 1];
      be[i + 3] = bytes[i];
    }
    writeSync(fd, be);
  }
  const pad = (2880 - ((nx * ny * nz * 4) % 2880)) % 2880;
  if (pad) writeSync(fd, new Uint8Array(pad));
  closeSync(fd);
}

/**
 * Harness entry: rows { case, ours, peer, unit, ratio, notes } (seconds; ratio = peer/ours, > 1 means
 * we are faster, like the image-tool rows),
 * plus the peak memory of reading one cube plane.
 */
export async function run(ctx = { quick: false, options: {}, log: console.log }) {
  const big = ctx.options?.big !== undefined;
  say = ctx.log ?? console.log;
  repeat = Number(ctx.options?.repeat) || (ctx.quick ? 1 : 3);
  const dir = mkdtempSync(join(os.tmpdir(), "bench-fits-read-"));
  const results = [];
  const rows = [];
  try {
    say(`FITS read benchmark — ${os.cpus().length} CPUs, Node ${process.version}, best of ${repeat}`);
    say(
      "same work on both sides: big-endian file data → native little-endian float32 arrays (astropy: getdata(memmap=False) / section, then np.asarray(dtype=float32))",
    );
    // 1. 10,000 keyword cards.
    const many = new Header();
    for (let i = 0; i < 10_000; i++) many.set(`K${String(i).padStart(7, "0")}`, i * 1.5, `comment ${i}`);
    const manyPath = join(dir, "cards10000.fits");
    writeFileSync(manyPath, writeFits([{ data: new Float32Array(4), axes: [2, 2], header: many }]));
    // 2. 44,000 HISTORY lines.
    const hist = new Header();
    for (let i = 0; i < 44_000; i++)
      hist.addHistory(`processing step ${i} applied with parameters a=${i % 7} b=${i % 13}`);
    const histPath = join(dir, "history44000.fits");
    writeFileSync(histPath, writeFits([{ data: new Float32Array(4), axes: [2, 2], header: hist }]));
    for (const [name, path] of [
      ["open+list 10,000 cards", manyPath],
      ["open+list 44,000 HISTORY", histPath],
    ]) {
      const ours = await best(async () => {
        const f = await openFitsFile(path);
        const n = f.hdus.reduce((s, h) => s + h.header.length, 0);
        await f.close();
        return n;
      });
      results.push(line(name, ours, python(PY_TIMES, "list", path, repeat)));
    }
    // 3. 4096×4096 float32 image.
    const n = 4096;
    const img = new Float32Array(n * n);
    for (let i = 0; i < img.length; i++) img[i] = (i % 4099) * 0.25;
    const imgPath = join(dir, "image4096.fits");
    writeFileSync(imgPath, writeFits([{ data: img, axes: [n, n] }], { checksum: false }));
    const oursImg = await best(async () => {
      const f = await openFitsFile(imgPath);
      const d = await f.readImage(0);
      await f.close();
      return d.data[100 * n + 100];
    });
    results.push(
      line("read 4096x4096 float32 → native f32", oursImg, python(PY_TIMES, "image", imgPath, repeat)),
    );
    // The difference is first-touch page faults: numpy asks for 2 MiB pages (transparent huge
    // pages in "madvise" mode), which Node cannot. The same read with numpy's huge pages off:
    results.push(
      line(
        "read 4096x4096 f32, peer without huge pages",
        oursImg,
        python(PY_TIMES, "image-4k", imgPath, repeat),
      ),
    );
    // 4. One plane of a cube, each side in a fresh process to measure peak memory.
    const nz = big ? 256 : ctx.quick ? 16 : 64;
    const cubePath = join(dir, "cube.fits");
    writeCube(cubePath, 1024, 1024, nz);
    const k = Math.floor(nz / 2);
    // Warm timings in this process (best of N) and, separately, peak memory of a fresh process.
    const oursWarm = await best(async () => {
      const f = await openFitsFile(cubePath);
      const d = await f.readImage(0, { plane: k });
      await f.close();
      return d.data[10 * 1024 + 10];
    });
    const peerWarm = python(PY_TIMES, "plane", cubePath, repeat, k);
    const oursPlane = JSON.parse(
      execFileSync(process.execPath, [join(here, "read-plane.mjs"), cubePath, String(k)], {
        encoding: "utf8",
      }),
    );
    const peerPlane = python(PY_PLANE, cubePath, k);
    const cubeMiB = (1024 * 1024 * nz * 4) / 2 ** 20;
    results.push(
      line(
        `read 1 plane of a ${cubeMiB} MiB cube → native f32`,
        oursWarm,
        peerWarm,
        `  peak RSS ours ${(oursPlane.maxRssKiB / 1024).toFixed(0)} MiB, astropy ${(peerPlane.maxRssKiB / 1024).toFixed(0)} MiB (plane 4 MiB)`,
      ),
    );
    say(
      `  cold, fresh process: ours ${oursPlane.seconds.toFixed(4)} s, astropy ${peerPlane.seconds.toFixed(4)} s (includes opening the file)`,
    );
    if (oursPlane.check !== peerPlane.check) say(`value mismatch: ${oursPlane.check} vs ${peerPlane.check}`);
    for (const r of results) {
      rows.push({
        case: r.name,
        ours: r.ours,
        peer: r.astropy,
        unit: "s",
        ratio: r.astropy / r.ours,
        notes: r.name.includes("native f32")
          ? "both sides convert to native float32; peer: astropy.io.fits; ratio = peer/ours (> 1: faster)"
          : "peer: astropy.io.fits; ratio = peer/ours (> 1: faster)",
      });
    }
    rows.push({
      case: `peak RSS, fresh process reading one 4 MiB plane of a ${cubeMiB} MiB cube`,
      ours: oursPlane.maxRssKiB / 1024,
      peer: peerPlane.maxRssKiB / 1024,
      unit: "MiB",
      notes: "VmHWM; peer: astropy section",
    });
    if (ctx.log === console.log) console.log(JSON.stringify({ cpus: os.cpus().length, results }));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const options = {};
  if (args.includes("--big")) options.big = "true";
  const r = args.indexOf("--repeat");
  if (r >= 0) options.repeat = args[r + 1];
  await run({ quick: false, options, log: console.log });
}
