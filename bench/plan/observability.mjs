// Observability benchmark: @meridian/plan vs astropy AltAz on the same grid, in one run.
//
// Run (after `npm run build`):  node bench/plan/observability.mjs [--targets 1000] [--json]
// (`npm run bench -- plan` runs it through bench/plan/bench.mjs.)
// 1,000 random ICRS targets × one night at one-minute steps (1,441 times) from Cerro Pachón.
// Ours: the vectorised alt/az grid alone, and the whole `planNight` (Sun, Moon, twilights,
// rise/transit/set, constraints, windows). Peer: astropy's SkyCoord.transform_to(AltAz) on the
// same 1,000 × 1,441 grid (pressure 0), Debian's /usr/bin/python3, auto-download off.
// Prints absolute times, the ratio (astropy / ours, > 1 means we are faster), the largest
// altitude difference and os.cpus().length. Both sides single-threaded.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import {
  altAzGrid,
  apparentTargetVectors,
  horizonMatrices,
  makeSite,
  nightSpan,
  planNight,
  timeGrid,
} from "../../packages/plan/dist/index.js";

const PY = `
import sys, json, time, warnings
import numpy as np
from astropy import units as u
from astropy.coordinates import AltAz, EarthLocation, SkyCoord
from astropy.time import Time
from astropy.utils import iers
iers.conf.auto_download = False
warnings.simplefilter("ignore")
d = sys.argv[1]
ra = np.fromfile(d + "/ra.f64"); dec = np.fromfile(d + "/dec.f64"); t = np.fromfile(d + "/t.f64")
loc = EarthLocation.from_geodetic(-70.7366 * u.deg, -30.2407 * u.deg, 2715 * u.m)
c = SkyCoord(ra=ra * u.deg, dec=dec * u.deg)
times = Time(t / 1000.0, format="unix")
# Warm-up on a small grid (imports, caches), then the timed run.
c[:10][None, :].transform_to(AltAz(obstime=times[:10, None], location=loc))
t0 = time.perf_counter()
aa = c[None, :].transform_to(AltAz(obstime=times[:, None], location=loc, pressure=0 * u.hPa))
alt = aa.alt.deg
el = time.perf_counter() - t0
alt.T.astype(np.float64).tofile(d + "/alt.f64")
print(json.dumps({"seconds": el}))
`;

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const nTargets = arg("targets", 1000);
let s = 20220621;
const rnd = () => {
  s = (s + 0x6d2b79f5) >>> 0;
  let t = Math.imul(s ^ (s >>> 15), s | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const ra = Float64Array.from({ length: nTargets }, () => rnd() * 360);
const dec = Float64Array.from({ length: nTargets }, () => (Math.asin(2 * rnd() - 1) * 180) / Math.PI);
const site = makeSite(-30.2407, -70.7366, 2715);
const span = nightSpan("2022-06-21", site.longitude);
const times = timeGrid(span, 1);

function best(fn, reps = 5) {
  let b = Number.POSITIVE_INFINITY;
  let out;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    out = fn();
    b = Math.min(b, performance.now() - t0);
  }
  return { ms: b, out };
}

const grid = best(() => {
  const m = horizonMatrices(times, site);
  return altAzGrid(apparentTargetVectors({ ra, dec }, (span.start + span.end) / 2), m, {
    latitude: site.latitude,
  });
});
const targets = Array.from(ra, (r, i) => ({
  kind: "fixed",
  name: `t${i}`,
  ra: r,
  dec: dec[i],
  aliases: [],
  source: "bench",
  type: "coordinates",
}));
const full = best(() => planNight(targets, site, span, { keepSeries: false }), 3);

const dir = mkdtempSync(join(os.tmpdir(), "bench-plan-"));
try {
  writeFileSync(join(dir, "ra.f64"), new Uint8Array(ra.buffer));
  writeFileSync(join(dir, "dec.f64"), new Uint8Array(dec.buffer));
  writeFileSync(join(dir, "t.f64"), new Uint8Array(times.buffer));
  const py = JSON.parse(
    execFileSync("/usr/bin/python3", ["-c", PY, dir], { encoding: "utf8", maxBuffer: 1 << 26 }),
  );
  const theirs = new Float64Array(readFileSync(join(dir, "alt.f64")).buffer.slice(0));
  let worst = 0;
  for (let i = 0; i < theirs.length; i++)
    worst = Math.max(worst, Math.abs((grid.out.altitude[i] ?? 0) - (theirs[i] ?? 0)));
  const astropyMs = py.seconds * 1000;
  console.log(
    `observability: ${nTargets} targets × ${times.length} times (one night, 1-min steps), cpus=${os.cpus().length}`,
  );
  console.log(`  ours alt/az grid     ${grid.ms.toFixed(1)} ms`);
  console.log(
    `  ours full planNight  ${full.ms.toFixed(1)} ms (Sun, Moon, twilights, rise/transit/set, constraints, windows)`,
  );
  console.log(`  astropy AltAz        ${astropyMs.toFixed(1)} ms`);
  console.log(
    `  ratio astropy/ours   ${(astropyMs / grid.ms).toFixed(1)}× (grid), ${(astropyMs / full.ms).toFixed(1)}× (full plan)`,
  );
  console.log(`  max |alt − astropy|  ${(worst * 3600).toFixed(2)}″`);
  if (process.argv.includes("--json")) {
    const summary = {
      nTargets,
      nTimes: times.length,
      gridMs: grid.ms,
      fullMs: full.ms,
      astropyMs,
      worstArcsec: worst * 3600,
    };
    console.log(JSON.stringify(summary));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
