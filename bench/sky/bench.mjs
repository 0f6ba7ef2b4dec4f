// Sky benchmarks (HEALPix and cross-match parts): run with `node bench/sky/bench.mjs` after
// `npm run build`. Each module exports run() and print(); see healpix.mjs and cross-match.mjs.
import * as crossMatch from "./cross-match.mjs";
import * as healpix from "./healpix.mjs";

export const benches = { healpix, crossMatch };

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const b of Object.values(benches)) b.print(await b.run());
}
