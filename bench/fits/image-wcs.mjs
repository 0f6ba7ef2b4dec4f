// WCS benchmark: @meridian/fits vs astropy.wcs (wcslib) on the same pixels, in one run:
// 1,000,000 pixel → world and world → pixel conversions through a TAN-SIP header (the Spitzer
// fixture) and a plain ZPN header (UKIDSS fixture).
//
// Run (after `npm run build`):  node bench/fits/image-wcs.mjs [--n 1000000]
// or through the harness (docs/bench.md): `run(ctx)` returns the rows ({case, ours, peer, unit}).
// Needs Debian's /usr/bin/python3 with python3-astropy and ../shared/fixtures beside the clone.
// Prints absolute times, the ratio (astropy time / our time: > 1 means we are faster), the largest
// difference in degrees and os.cpus().length. Both sides are single-threaded.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseHeaderText, parseWcs } from "../../packages/fits/dist/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const shared = process.env.MERIDIAN_SHARED_FIXTURES ?? resolve(root, "../shared/fixtures");

const PY = `
import sys, json, time, warnings
warnings.simplefilter("ignore")
import numpy as np
from astropy.io import fits
from astropy.wcs import WCS
d = sys.argv[1]
res = {}
for name, path, hdu in (("TAN-SIP", sys.argv[2], 0), ("ZPN", sys.argv[3], 1)):
    w = WCS(fits.getheader(path, hdu))
    x = np.fromfile(d + "/x.f64"); y = np.fromfile(d + "/y.f64")
    t = time.perf_counter(); ra, dec = w.all_pix2world(x, y, 1); res[name + ":p2w"] = time.perf_counter() - t
    t = time.perf_counter(); w.all_world2pix(ra, dec, 1, tolerance=1e-8, maxiter=50, quiet=True); res[name + ":w2p"] = time.perf_counter() - t
    np.asarray(ra).tofile(d + "/" + name + "-ra.f64"); np.asarray(dec).tofile(d + "/" + name + "-dec.f64")
print(json.dumps(res))
`;

/** Header text of one HDU, read with the Python oracle so both sides see the same cards. */
function headerText(path, hdu) {
  return execFileSync(
    "/usr/bin/python3",
    [
      "-c",
      "import sys;from astropy.io import fits;print(fits.getheader(sys.argv[1], int(sys.argv[2])).tostring(),end='')",
      path,
      String(hdu),
    ],
    { encoding: "utf8" },
  );
}

/** Run the benchmark; returns harness rows (seconds; ratio = astropy / ours, > 1 means we are faster). */
export async function run(ctx = {}) {
  const n = Number(ctx.options?.n ?? (ctx.quick ? 200000 : 1000000));
  ctx.log?.(`WCS pixel<->world, ${n} points`);
  const dir = mkdtempSync(join(os.tmpdir(), "bench-fits-wcs-"));
  try {
    let s = 99;
    const rnd = () => {
      s = (s * 1103515245 + 12345) >>> 0;
      return s / 2 ** 32;
    };
    const x = Float64Array.from({ length: n }, () => 0.5 + rnd() * 128);
    const y = Float64Array.from({ length: n }, () => 0.5 + rnd() * 128);
    writeFileSync(join(dir, "x.f64"), Buffer.from(x.buffer));
    writeFileSync(join(dir, "y.f64"), Buffer.from(y.buffer));
    const files = [
      ["TAN-SIP", join(shared, "fits", "spitzer_tan_sip.fits"), 0],
      ["ZPN", join(shared, "fits", "ukidss_zpn.fits"), 1],
    ];
    const ours = {};
    for (const [name, path, hdu] of files) {
      const wcs = parseWcs(parseHeaderText(headerText(path, hdu)));
      let t = performance.now();
      const [ra, dec] = wcs.pixelToWorld([x, y]);
      ours[`${name}:p2w`] = (performance.now() - t) / 1000;
      t = performance.now();
      wcs.worldToPixel([ra, dec]);
      ours[`${name}:w2p`] = (performance.now() - t) / 1000;
      ours[`${name}:ra`] = ra;
      ours[`${name}:dec`] = dec;
    }
    const peer = JSON.parse(
      execFileSync("/usr/bin/python3", ["-c", PY, dir, files[0][1], files[1][1]], { encoding: "utf8" }),
    );
    const rows = [];
    for (const [name] of files) {
      const pra = new Float64Array(readFileSync(join(dir, `${name}-ra.f64`)).buffer.slice(0));
      const pdec = new Float64Array(readFileSync(join(dir, `${name}-dec.f64`)).buffer.slice(0));
      let maxd = 0;
      for (let i = 0; i < n; i++) {
        const d = Math.max(
          Math.abs((ours[`${name}:ra`][i] - pra[i]) * Math.cos((pdec[i] * Math.PI) / 180)),
          Math.abs(ours[`${name}:dec`][i] - pdec[i]),
        );
        if (d > maxd) maxd = d;
      }
      for (const dirn of ["p2w", "w2p"]) {
        const k = `${name}:${dirn}`;
        rows.push({
          case: `${k} ${n} points`,
          ours: ours[k],
          peer: peer[k],
          unit: "s",
          ratio: peer[k] / ours[k],
          notes: `peer: astropy.wcs (wcslib); ratio = peer/ours${dirn === "p2w" ? `; max diff ${maxd.toExponential(2)} deg` : ""}`,
        });
      }
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const n = args.includes("--n") ? args[args.indexOf("--n") + 1] : undefined;
  const rows = await run({ options: n === undefined ? {} : { n } });
  console.log(`fits WCS bench: cpus=${os.cpus().length}, node ${process.version}`);
  console.log(
    "task".padEnd(28),
    "ours (s)".padStart(10),
    "astropy (s)".padStart(12),
    "ratio".padStart(8),
    " notes",
  );
  for (const r of rows) {
    console.log(
      r.case.padEnd(28),
      r.ours.toFixed(3).padStart(10),
      r.peer.toFixed(3).padStart(12),
      r.ratio.toFixed(2).padStart(8),
      ` ${r.notes}`,
    );
  }
}
