// Satellite field check benchmark: @meridian/plan's coarse-to-fine `satcheck` vs brute-force
// propagation with python3-sgp4 at one-second steps (IAU CPS SatChecker's method), in one run.
//
// Run (after `npm run build`):  node bench/plan/satcheck.mjs [--copies 2] [--duration 600] [--json]
// (`npm run bench -- plan` runs a shorter case through bench/plan/bench.mjs.)
// Catalogue: the 5,018 real TLEs of ../shared/fixtures/tle (June 2022), repeated `--copies` times
// (10,036 objects by default); a 10-minute exposure from Cerro Pachón, 2° radius field, several
// pointings. Peer: sgp4.api.SatrecArray (C++ when `sgp4.api.accelerated`) for every object at every
// second, then the same TEME → topocentric geometry in numpy. Prints absolute times, the ratio
// (brute force / ours), whether every brute-force hit was found, and os.cpus().length.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { julianDate, makeSite, parseTle, SatelliteFrame, satcheck } from "../../packages/plan/dist/index.js";

const PY = `
import sys, json, time
import numpy as np
from sgp4.api import Satrec, SatrecArray, accelerated
d = sys.argv[1]
cfg = json.load(open(d + "/cfg.json"))
lines = open(cfg["tle"]).read().split("\\n")
sats = []
for c in range(cfg["copies"]):
    for i in range(0, len(lines) - 2, 3):
        sats.append(Satrec.twoline2rv(lines[i + 1], lines[i + 2]))
jd = np.array(cfg["jd"]); fr = np.zeros_like(jd)
obs = np.array(cfg["obsTeme"])          # (ntimes, 3) observer in TEME, km
dirs = np.array(cfg["dirsTeme"])         # (npointings, 3) field directions in TEME
cosmax = np.cos(np.radians(cfg["radius"]))
# Propagation does not depend on the pointing: propagate once, time it, and time the geometry
# of each pointing separately; the brute-force cost of one check = propagation + one geometry.
t_prop = 0.0
t_geo = np.zeros(len(dirs))
hits = [set() for _ in dirs]
for a in range(0, len(sats), 500):
    t0 = time.perf_counter()
    e, r, v = SatrecArray(sats[a:a + 500]).sgp4(jd, fr)
    t_prop += time.perf_counter() - t0
    for k, dvec in enumerate(dirs):
        t0 = time.perf_counter()
        rho = r - obs[None, :, :]
        c = (rho @ dvec) / np.linalg.norm(rho, axis=2)
        ok = (c >= cosmax) & (e == 0)
        found = np.nonzero(ok.any(axis=1))[0]
        t_geo[k] += time.perf_counter() - t0
        for j in found:
            hits[k].add(int(sats[a + j].satnum))
print(json.dumps({"accelerated": bool(accelerated), "propagation": t_prop,
                  "pointings": [{"seconds": t_prop + float(t_geo[k]), "hits": sorted(hits[k])} for k in range(len(dirs))]}))
`;

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const copies = arg("copies", 2);
const duration = arg("duration", 600);
const tlePath = fileURLToPath(new URL("../../../shared/fixtures/tle/stellarium-0.22.2.3le", import.meta.url));
const text = readFileSync(
  process.env.MERIDIAN_SHARED_FIXTURES
    ? join(process.env.MERIDIAN_SHARED_FIXTURES, "tle/stellarium-0.22.2.3le")
    : tlePath,
  "utf8",
);
const base = parseTle(text).records;
const sets = [];
for (let c = 0; c < copies; c++) sets.push(...base);
const site = makeSite(-30.2407, -70.7366, 2715);
const start = Date.UTC(2022, 5, 16, 2, 0, 0);
const radius = 2;
const pointings = [
  { ra: 300, dec: -10 },
  { ra: 150, dec: 10 },
  { ra: 250, dec: -60 },
  { ra: 200, dec: -30 },
];

// Warm-up (JIT), then one timed run per pointing.
satcheck({
  site,
  pointing: pointings[0],
  field: { kind: "circle", radius },
  start,
  duration,
  elements: sets.slice(0, 2000),
});
const ours = pointings.map((pointing) => {
  const res = satcheck({
    site,
    pointing,
    field: { kind: "circle", radius },
    start,
    duration,
    elements: sets,
  });
  return {
    ms: res.stats.milliseconds,
    stats: res.stats,
    ids: new Set(res.crossings.map((c) => Number(c.satnum))),
  };
});

const frame = new SatelliteFrame(site, start + (duration * 1000) / 2);
const jd = [];
const obsTeme = [];
for (let s = 0; s <= duration; s++) {
  const ms = start + s * 1000;
  jd.push(julianDate(ms));
  const o = [0, 0, 0];
  frame.observerTeme(ms, o);
  obsTeme.push(o);
}
const dirsTeme = pointings.map((p) => {
  const d = Math.PI / 180;
  return frame.j2000ToTeme([
    Math.cos(p.dec * d) * Math.cos(p.ra * d),
    Math.cos(p.dec * d) * Math.sin(p.ra * d),
    Math.sin(p.dec * d),
  ]);
});
const dir = mkdtempSync(join(os.tmpdir(), "bench-satcheck-"));
try {
  const tleFile = join(dir, "all.tle");
  writeFileSync(tleFile, text);
  writeFileSync(
    join(dir, "cfg.json"),
    JSON.stringify({ tle: tleFile, copies, jd, obsTeme, dirsTeme, radius }),
  );
  const py = JSON.parse(
    execFileSync("/usr/bin/python3", ["-c", PY, dir], { encoding: "utf8", maxBuffer: 1 << 26 }),
  );
  console.log(
    `satcheck: ${sets.length} objects × ${duration} s exposure, ${radius}° field, cpus=${os.cpus().length}, python3-sgp4 accelerated=${py.accelerated}`,
  );
  pointings.forEach((p, i) => {
    const o = ours[i];
    const b = py.pointings[i];
    const missed = b.hits.filter((h) => !o.ids.has(h));
    console.log(
      `  RA ${p.ra} Dec ${p.dec}: ours ${o.ms.toFixed(1)} ms (${o.stats.afterGeometry} after geometry, ${o.stats.coarseCalls} coarse + ${o.stats.fineCalls} fine SGP4 calls), ` +
        `brute force ${(b.seconds * 1000).toFixed(0)} ms (${sets.length * (duration + 1)} calls), ratio ${((b.seconds * 1000) / o.ms).toFixed(0)}×, ` +
        `hits ours ${o.ids.size} / brute ${b.hits.length}, missed ${missed.length}`,
    );
  });
  if (process.argv.includes("--json")) {
    const summary = {
      objects: sets.length,
      duration,
      radius,
      accelerated: py.accelerated,
      pointings: pointings.map((p, i) => ({
        ...p,
        oursMs: ours[i].ms,
        bruteMs: py.pointings[i].seconds * 1000,
        hitsOurs: ours[i].ids.size,
        hitsBrute: py.pointings[i].hits.length,
        missed: py.pointings[i].hits.filter((h) => !ours[i].ids.has(h)).length,
      })),
    };
    console.log(JSON.stringify(summary));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
