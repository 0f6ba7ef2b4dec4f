// Cross-match benchmark: @meridian/sky vs astropy match_coordinates_sky, same inputs, one run.
//
// Run (after `npm run build`):  node bench/sky/cross-match.mjs [--n 1000000]
// Needs Debian's /usr/bin/python3 with python3-astropy (and scipy, which astropy uses for the
// kd-tree). Two seeded random all-sky catalogues of n positions each; for each row of the first,
// the nearest row of the second. Timed: ours = unit vectors + kd-tree build + queries; astropy =
// match_coordinates_sky(a, b) on prebuilt SkyCoord objects (its kd-tree build included). Also
// all pairs within 10″ (ours vs search_around_sky; both build their index inside the timing:
// astropy gets fresh SkyCoord objects so its cached kd-tree is not reused). Ratio = astropy time /
// our time.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { crossMatchNearest, crossMatchWithin, SkyIndex } from "../../packages/sky/dist/index.js";

const PY = `
import sys, json, time
import numpy as np
from astropy.coordinates import SkyCoord, match_coordinates_sky, search_around_sky
import astropy.units as u
d = sys.argv[1]; radius = float(sys.argv[2])
a = SkyCoord(np.fromfile(d + "/alon.f64") * u.deg, np.fromfile(d + "/alat.f64") * u.deg, frame="icrs")
b = SkyCoord(np.fromfile(d + "/blon.f64") * u.deg, np.fromfile(d + "/blat.f64") * u.deg, frame="icrs")
t = time.perf_counter(); idx, sep, _ = match_coordinates_sky(a, b); tn = time.perf_counter() - t
idx.astype(np.float64).tofile(d + "/astropy_idx.f64")
# fresh SkyCoord objects: match_coordinates_sky cached its kd-tree on b, and ours rebuilds its index too
a2 = SkyCoord(a.ra, a.dec, frame="icrs"); b2 = SkyCoord(b.ra, b.dec, frame="icrs")
t = time.perf_counter(); i1, i2, _, _ = search_around_sky(a2, b2, radius * u.deg); tw = time.perf_counter() - t
print(json.dumps({"nearest": tn, "within": tw, "pairs": int(len(i1))}))
`;

function catalogue(n, seed) {
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
  return { lon, lat };
}

export async function run({ n = 1_000_000, radius = 10 / 3600 } = {}) {
  const dir = mkdtempSync(join(os.tmpdir(), "bench-xmatch-"));
  try {
    const a = catalogue(n, 1);
    const b = catalogue(n, 2);
    for (const [k, v] of Object.entries({ alon: a.lon, alat: a.lat, blon: b.lon, blat: b.lat })) {
      writeFileSync(join(dir, `${k}.f64`), new Uint8Array(v.buffer));
    }
    // warm-up on a small sample so the JIT has compiled the hot loops
    crossMatchNearest(catalogue(20000, 3), catalogue(20000, 4));
    let t = performance.now();
    const m = crossMatchNearest(a, b);
    const oursNearest = (performance.now() - t) / 1000;
    t = performance.now();
    const idx = new SkyIndex(b);
    const w = crossMatchWithin(a, idx, radius);
    const oursWithin = (performance.now() - t) / 1000;
    const peer = JSON.parse(
      execFileSync("/usr/bin/python3", ["-c", PY, dir, String(radius)], { encoding: "utf8" }),
    );
    const ref = new Float64Array(readFileSync(join(dir, "astropy_idx.f64")).buffer.slice(0));
    let diff = 0;
    for (let i = 0; i < n; i++) if (ref[i] !== m.index[i]) diff++;
    return {
      peer: "astropy",
      cpus: os.cpus().length,
      rows: [
        {
          task: `nearest neighbour, ${n.toLocaleString("en")} × ${n.toLocaleString("en")}`,
          ours: oursNearest,
          peer: peer.nearest,
          note: `${diff} rows with a different match`,
        },
        {
          task: `all pairs within ${(radius * 3600).toFixed(0)}″, ${n.toLocaleString("en")} × ${n.toLocaleString("en")}`,
          ours: oursWithin,
          peer: peer.within,
          note: `${w.indexA.length} vs ${peer.pairs} pairs`,
        },
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function print(result) {
  console.log(
    `Cross-match: @meridian/sky vs ${result.peer} (os.cpus().length = ${result.cpus}; both single-threaded)`,
  );
  for (const r of result.rows) {
    console.log(
      `  ${r.task}: ours ${r.ours.toFixed(3)} s, ${result.peer} ${r.peer.toFixed(3)} s, ratio ${(r.peer / r.ours).toFixed(2)}x  (${r.note})`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf("--n");
  print(await run({ n: i > 0 ? Number(process.argv[i + 1]) : 1_000_000 }));
}

/** Rows for bench/run.js (docs/bench.md): seconds, ours vs astropy, lower is better. */
export async function harnessRows(ctx = {}) {
  const result = ctx.quick ? await run({ n: 200_000 }) : await run();
  return result.rows.map((r) => ({
    case: `cross-match: ${r.task}`,
    ours: r.ours,
    peer: r.peer,
    unit: "s",
    notes: `astropy; ${r.note}`,
  }));
}
