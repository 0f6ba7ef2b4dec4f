// Sky benchmarks for bench/run.js (contract: docs/bench.md): frame conversions (frames.mjs),
// HEALPix (healpix.mjs) and cross-match (cross-match.mjs), each against its Python peer on the
// same input in one run. `npm run bench -- sky` after `npm run build`; `node bench/sky/bench.mjs`
// prints the same rows directly. Each module also runs on its own (`node bench/sky/healpix.mjs`).
import * as crossMatch from "./cross-match.mjs";
import * as frames from "./frames.mjs";
import * as healpix from "./healpix.mjs";

export const name = "sky";

/** @returns rows { case, ours, peer, unit, notes } (seconds; ratio = ours / peer, lower is better) */
export async function run(ctx = {}) {
  const rows = [];
  for (const [label, mod] of [
    ["frames", frames],
    ["HEALPix ang2pix and query_disc vs healpy", healpix],
    ["cross-match 1M x 1M vs astropy", crossMatch],
  ]) {
    ctx.log?.(label);
    rows.push(...(await mod.harnessRows(ctx)));
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run({ log: (t) => console.log(t) })) {
    console.log(
      `  ${r.case}: ours ${r.ours.toFixed(3)} ${r.unit}, peer ${r.peer.toFixed(3)} ${r.unit} (${r.notes})`,
    );
  }
}
