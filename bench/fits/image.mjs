// Image tools benchmark: @meridian/fits vs numpy/astropy/matplotlib on the same 4096×4096 float32
// image, in one run: NaN-aware statistics (min, max, mean, std, median, 8 percentiles), zscale,
// and rendering to PNG (zscale + asinh + inferno).
//
// Run (after `npm run build`):  node bench/fits/image.mjs [--size 4096]
// or through the harness (docs/bench.md): `run(ctx)` returns the rows ({case, ours, peer, unit}).
// Needs Debian's /usr/bin/python3 with python3-astropy and python3-matplotlib. Prints absolute
// times, the ratio (peer time / our time, so > 1 means we are faster) and os.cpus().length.
// Both sides are single-threaded; the image is generated here and handed to Python as raw bytes.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import zlib from "node:zlib";
import { imageStats, renderPng, zscale } from "../../packages/fits/dist/index.js";

const PY = `
import sys, json, time, warnings
warnings.simplefilter("ignore")
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.image
from astropy.visualization import ZScaleInterval, AsinhStretch
d = sys.argv[1]; n = int(sys.argv[2])
a = np.fromfile(d + "/image.f32", dtype="<f4").reshape(n, n)
res = {}
def best(fn, k=3):
    out = None; tb = 1e9
    for _ in range(k):
        t = time.perf_counter(); out = fn(); tb = min(tb, time.perf_counter() - t)
    return tb, out
def stats():
    d64 = a.astype(np.float64)
    st = [np.nanmin(d64), np.nanmax(d64), np.nanmean(d64), np.nanstd(d64), np.nanmedian(d64)]
    st.append(list(np.nanpercentile(d64, [0.5, 1, 5, 25, 75, 95, 99, 99.5])))
    return st
res["stats"], st = best(stats)
res["statsValues"] = [float(v) for v in st[:5]]
res["zscale"], lim = best(lambda: ZScaleInterval().get_limits(a))
res["zscaleValues"] = [float(v) for v in lim]
def render():
    vmin, vmax = ZScaleInterval().get_limits(a)
    y = AsinhStretch()(np.clip((a - vmin) / (vmax - vmin), 0, 1), clip=True)
    matplotlib.image.imsave(d + "/peer.png", y, cmap="inferno", vmin=0, vmax=1, origin="lower")
res["render"], _ = best(render, 2)
print(json.dumps(res))
`;

/** A sky-like test image: noise, a gradient, Gaussian stars and a few NaN columns (seeded). */
function makeImage(n) {
  let s = 12345;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const a = new Float32Array(n * n);
  for (let i = 0; i < a.length; i++) {
    const u = rnd() || 1e-12;
    a[i] = 100 + 0.002 * (i % n) + 5 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  }
  for (let k = 0; k < 2000; k++) {
    const cx = Math.floor(rnd() * n);
    const cy = Math.floor(rnd() * n);
    const amp = 50 + rnd() * 5000;
    for (let dy = -6; dy <= 6; dy++) {
      for (let dx = -6; dx <= 6; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x >= 0 && y >= 0 && x < n && y < n) a[y * n + x] += amp * Math.exp(-(dx * dx + dy * dy) / 4);
      }
    }
  }
  for (let x = 0; x < n; x += 509) for (let y = 0; y < n; y++) a[y * n + x] = Number.NaN;
  return a;
}

/** Best of `k` runs (the peer is timed the same way), so neither side pays first-call costs. */
const time = (fn, k = 3) => {
  let best = Number.POSITIVE_INFINITY;
  let v;
  for (let i = 0; i < k; i++) {
    const t = performance.now();
    v = fn();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return [best, v];
};

/** Run the benchmark; returns harness rows (seconds; ratio = peer / ours, > 1 means we are faster). */
export async function run(ctx = {}) {
  const size = Number(ctx.options?.size ?? (ctx.quick ? 2048 : 4096));
  const log = ctx.log ?? (() => {});
  log(`image tools on a ${size}×${size} float32 image`);
  const dir = mkdtempSync(join(os.tmpdir(), "bench-fits-image-"));
  try {
    const img = makeImage(size);
    writeFileSync(join(dir, "image.f32"), Buffer.from(img.buffer));
    const [tStats, st] = time(() => imageStats(img));
    const [tZ, z] = time(() => zscale(img));
    const [tRender, r] = time(
      () =>
        renderPng(img, size, size, {
          interval: { kind: "zscale" },
          stretch: { kind: "asinh" },
          cmap: "inferno",
          // Node's native zlib at the same level as matplotlib/libpng (6).
          png: { deflate: (b, level) => zlib.deflateSync(b, { level }) },
        }),
      2,
    );
    let peer;
    try {
      peer = JSON.parse(
        execFileSync("/usr/bin/python3", ["-c", PY, dir, String(size)], {
          encoding: "utf8",
          maxBuffer: 1 << 20,
        }),
      );
    } catch (err) {
      const note = `peer unavailable: ${String(err).split("\n")[0]}`;
      return [
        { case: "stats", ours: tStats, peer: null, unit: "s", notes: note },
        { case: "zscale", ours: tZ, peer: null, unit: "s", notes: note },
        { case: "render PNG", ours: tRender, peer: null, unit: "s", notes: note },
      ];
    }
    const agree =
      Math.abs(st.median - peer.statsValues[4]) <= 1e-9 * Math.abs(st.median) &&
      Math.abs(st.std - peer.statsValues[3]) <= 1e-9 * st.std &&
      Math.abs(z[0] - peer.zscaleValues[0]) <= 1e-6 * Math.abs(z[0]);
    const note = `peer: numpy/astropy/matplotlib; ratio = peer/ours (> 1: faster); results agree: ${agree}`;
    const rows = [
      [`stats (min,max,mean,std,median,8 pct) ${size}²`, tStats, peer.stats],
      [`zscale ${size}²`, tZ, peer.zscale],
      [`render PNG zscale+asinh+inferno ${size}² (${r.png.length} B)`, tRender, peer.render],
    ];
    return rows.map(([c, ours, theirs]) => ({
      case: c,
      ours,
      peer: theirs,
      unit: "s",
      ratio: theirs / ours,
      notes: note,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const size = args.includes("--size") ? args[args.indexOf("--size") + 1] : undefined;
  const rows = await run({ options: size === undefined ? {} : { size } });
  console.log(`fits image bench: cpus=${os.cpus().length}, node ${process.version}`);
  console.log("task".padEnd(60), "ours (s)".padStart(10), "peer (s)".padStart(10), "peer/ours".padStart(10));
  for (const row of rows) {
    console.log(
      row.case.padEnd(60),
      row.ours.toFixed(3).padStart(10),
      (row.peer ?? Number.NaN).toFixed(3).padStart(10),
      (row.ratio ?? Number.NaN).toFixed(2).padStart(10),
    );
  }
  console.log(rows[0]?.notes ?? "");
}
