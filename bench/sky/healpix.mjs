// HEALPix benchmark: @meridian/sky vs healpy on the same inputs, in one run.
//
// Run (after `npm run build`):  node bench/sky/healpix.mjs [--n 10000000] [--discs 2000]
// Needs Debian's /usr/bin/python3 with python3-healpy. Prints absolute times, throughput, the
// ratio (healpy time / our time, so > 1 means we are faster) and os.cpus().length. Both sides are
// single-threaded; ours is timed before and after the peer (best of both). Results are checked
// for equality too.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { ang2pixArray, queryDisc } from "../../packages/sky/dist/index.js";

const PY = `
import sys, json, time
import numpy as np, healpy as hp
d = sys.argv[1]; order = int(sys.argv[2])
lon = np.fromfile(d + "/lon.f64"); lat = np.fromfile(d + "/lat.f64")
res = {}
for name, nest in (("nest", True), ("ring", False)):
    hp.ang2pix(2**order, lon[:1000], lat[:1000], nest=nest, lonlat=True)
    best = 1e9
    for _ in range(2):
        t = time.perf_counter(); p = hp.ang2pix(2**order, lon, lat, nest=nest, lonlat=True); best = min(best, time.perf_counter() - t)
    res["ang2pix_" + name] = best
    p.astype(np.float64).tofile(d + "/healpy_" + name + ".f64")
discs = np.fromfile(d + "/discs.f64").reshape(-1, 3)
vecs = hp.ang2vec(discs[:, 0], discs[:, 1], lonlat=True)
rads = np.radians(discs[:, 2])
for label, inc in (("query_disc", False), ("query_disc_inclusive", True)):
    t = time.perf_counter(); tot = 0
    for v, r in zip(vecs, rads):
        tot += len(hp.query_disc(2**order, v, r, inclusive=inc, nest=True))
    res[label] = time.perf_counter() - t; res[label + "_pixels"] = int(tot)
print(json.dumps(res))
`;

/** Seeded uniform points on the sphere (degrees). */
function points(n, seed) {
  let s = seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lon[i] = rnd() * 360;
    lat[i] = (Math.asin(2 * rnd() - 1) * 180) / Math.PI;
  }
  return { lon, lat, rnd };
}

export async function run({ n = 10_000_000, discs = 2000, order = 12 } = {}) {
  const dir = mkdtempSync(join(os.tmpdir(), "bench-healpix-"));
  try {
    const { lon, lat, rnd } = points(n, 12345);
    writeFileSync(join(dir, "lon.f64"), new Uint8Array(lon.buffer));
    writeFileSync(join(dir, "lat.f64"), new Uint8Array(lat.buffer));
    const d = new Float64Array(3 * discs);
    for (let i = 0; i < discs; i++) {
      d[3 * i] = rnd() * 360;
      d[3 * i + 1] = (Math.asin(2 * rnd() - 1) * 180) / Math.PI;
      d[3 * i + 2] = 0.1 + rnd() * 1.9;
    }
    writeFileSync(join(dir, "discs.f64"), new Uint8Array(d.buffer));
    const ours = {};
    const out = new Float64Array(n);
    // warm-up so the JIT has compiled the hot paths before timing
    for (const scheme of ["nest", "ring"]) {
      ang2pixArray(order, lon.subarray(0, 100000), lat.subarray(0, 100000), scheme);
    }
    for (let i = 0; i < 300; i++)
      queryDisc(order, i, (i % 170) - 85, 0.05 + (i % 7) / 5, { inclusive: i % 2 === 0 });
    const keepMin = (key, v) => {
      ours[key] = Math.min(ours[key] ?? Infinity, v);
    };
    // Ours runs before and after the peer and keeps the faster run, so a load spike on a shared
    // machine does not decide the ratio.
    const measureOurs = () => {
      for (const scheme of ["nest", "ring"]) {
        for (let k = 0; k < 2; k++) {
          const t = performance.now();
          ang2pixArray(order, lon, lat, scheme, out);
          keepMin(`ang2pix_${scheme}`, (performance.now() - t) / 1000);
        }
        ours[`result_${scheme}`] = out.slice();
      }
      for (const [label, inclusive] of [
        ["query_disc", false],
        ["query_disc_inclusive", true],
      ]) {
        const t = performance.now();
        let tot = 0;
        for (let i = 0; i < discs; i++)
          tot += queryDisc(order, d[3 * i], d[3 * i + 1], d[3 * i + 2], { inclusive }).size;
        keepMin(label, (performance.now() - t) / 1000);
        ours[`${label}_pixels`] = tot;
      }
    };
    measureOurs();
    const peer = JSON.parse(
      execFileSync("/usr/bin/python3", ["-c", PY, dir, String(order)], { encoding: "utf8" }),
    );
    measureOurs();
    const rows = [];
    for (const scheme of ["nest", "ring"]) {
      const hp = new Float64Array(readFileSync(join(dir, `healpy_${scheme}.f64`)).buffer.slice(0));
      let diff = 0;
      const mine = ours[`result_${scheme}`];
      for (let i = 0; i < n; i++) if (hp[i] !== mine[i]) diff++;
      rows.push({
        task: `ang2pix ${scheme.toUpperCase()} order ${order}, ${n.toLocaleString("en")} points`,
        ours: ours[`ang2pix_${scheme}`],
        peer: peer[`ang2pix_${scheme}`],
        note: `${(n / ours[`ang2pix_${scheme}`] / 1e6).toFixed(1)} vs ${(n / peer[`ang2pix_${scheme}`] / 1e6).toFixed(1)} Mpts/s; ${diff} differing indices`,
      });
    }
    for (const label of ["query_disc", "query_disc_inclusive"]) {
      rows.push({
        task: `${label} NESTED order ${order}, ${discs} discs r 0.1–2°`,
        ours: ours[label],
        peer: peer[label],
        note: `${ours[`${label}_pixels`]} vs ${peer[`${label}_pixels`]} pixels`,
      });
    }
    return { peer: "healpy", cpus: os.cpus().length, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function print(result) {
  console.log(
    `HEALPix: @meridian/sky vs ${result.peer} (os.cpus().length = ${result.cpus}; both single-threaded)`,
  );
  for (const r of result.rows) {
    console.log(
      `  ${r.task}: ours ${r.ours.toFixed(3)} s, ${result.peer} ${r.peer.toFixed(3)} s, ratio ${(r.peer / r.ours).toFixed(2)}x  (${r.note})`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k, d) => {
    const i = process.argv.indexOf(k);
    return i > 0 ? Number(process.argv[i + 1]) : d;
  };
  print(await run({ n: arg("--n", 10_000_000), discs: arg("--discs", 2000), order: arg("--order", 12) }));
}

/** Rows for bench/run.js (docs/bench.md): seconds, ours vs healpy, lower is better. */
export async function harnessRows(ctx = {}) {
  const result = ctx.quick ? await run({ n: 1_000_000, discs: 200 }) : await run();
  return result.rows.map((r) => ({
    case: `healpix: ${r.task}`,
    ours: r.ours,
    peer: r.peer,
    unit: "s",
    notes: `healpy; ${r.note}`,
  }));
}
