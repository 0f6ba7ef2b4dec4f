// Image tools benchmark: @meridian/fits vs numpy/astropy/matplotlib on the same 4096×4096 float32
// image, in one run: NaN-aware statistics (min, max, mean, std, median, 8 percentiles), zscale,
// and rendering to PNG (zscale + asinh + inferno).
//
// Run (after `npm run build`):  node bench/fits/image.mjs [--size 4096]
// Needs Debian's /usr/bin/python3 with python3-astropy and python3-matplotlib. Prints absolute
// times, the ratio (peer time / our time, so > 1 means we are faster) and os.cpus().length.
// Both sides are single-threaded; the image is generated here and handed to Python as raw bytes.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
t = time.perf_counter()
d64 = a.astype(np.float64)
st = [np.nanmin(d64), np.nanmax(d64), np.nanmean(d64), np.nanstd(d64), np.nanmedian(d64)]
st.append(list(np.nanpercentile(d64, [0.5, 1, 5, 25, 75, 95, 99, 99.5])))
res["stats"] = time.perf_counter() - t
res["statsValues"] = [float(v) for v in st[:5]]
t = time.perf_counter(); lim = ZScaleInterval().get_limits(a); res["zscale"] = time.perf_counter() - t
res["zscaleValues"] = [float(v) for v in lim]
t = time.perf_counter()
vmin, vmax = ZScaleInterval().get_limits(a)
y = AsinhStretch()(np.clip((a - vmin) / (vmax - vmin), 0, 1), clip=True)
matplotlib.image.imsave(d + "/peer.png", y, cmap="inferno", vmin=0, vmax=1, origin="lower")
res["render"] = time.perf_counter() - t
print(json.dumps(res))
`;

const args = process.argv.slice(2);
const size = Number(args[args.indexOf("--size") + 1] ?? 4096) || 4096;

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

const time = (fn) => {
  const t = performance.now();
  const v = fn();
  return [(performance.now() - t) / 1000, v];
};

const dir = mkdtempSync(join(os.tmpdir(), "bench-fits-image-"));
try {
  const img = makeImage(size);
  writeFileSync(join(dir, "image.f32"), Buffer.from(img.buffer));
  const [tStats, st] = time(() => imageStats(img));
  const [tZ, z] = time(() => zscale(img));
  const [tRender, r] = time(() =>
    renderPng(img, size, size, {
      interval: { kind: "zscale" },
      stretch: { kind: "asinh" },
      cmap: "inferno",
      // Node's native zlib at the same level as matplotlib/libpng (6).
      png: { deflate: (b, level) => zlib.deflateSync(b, { level }) },
    }),
  );
  writeFileSync(join(dir, "ours.png"), r.png);
  const peer = JSON.parse(
    execFileSync("/usr/bin/python3", ["-c", PY, dir, String(size)], { encoding: "utf8", maxBuffer: 1 << 20 }),
  );
  const peerPng = readFileSync(join(dir, "peer.png")).length;
  const agree =
    Math.abs(st.median - peer.statsValues[4]) <= 1e-9 * Math.abs(st.median) &&
    Math.abs(st.std - peer.statsValues[3]) <= 1e-9 * st.std &&
    Math.abs(z[0] - peer.zscaleValues[0]) <= 1e-6 * Math.abs(z[0]);
  const rows = [
    ["stats (min,max,mean,std,median,8 pct)", tStats, peer.stats],
    ["zscale", tZ, peer.zscale],
    ["render PNG (zscale+asinh+inferno)", tRender, peer.render],
  ];
  console.log(`fits image bench: ${size}×${size} float32, cpus=${os.cpus().length}, node ${process.version}`);
  console.log(
    `results agree with numpy/astropy: ${agree}; PNG bytes ours ${r.png.length}, matplotlib ${peerPng}`,
  );
  console.log("task".padEnd(40), "ours (s)".padStart(10), "peer (s)".padStart(10), "peer/ours".padStart(10));
  for (const [name, ours, theirs] of rows) {
    console.log(
      name.padEnd(40),
      ours.toFixed(3).padStart(10),
      theirs.toFixed(3).padStart(10),
      (theirs / ours).toFixed(2).padStart(10),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
