// Planning benchmarks for bench/run.js (contract: docs/bench.md): observability (alt/az grid and
// full night plan vs astropy AltAz, observability.mjs) and the satellite field check (coarse to
// fine vs brute-force python3-sgp4 at 1-s steps, satcheck.mjs), each in its own child process so
// that the two runs do not share a heap. `npm run bench -- plan` after `npm run build`.
// Options: --targets=N (default 1000, quick 200), --copies=N and --duration=S for the satellite
// check (default 1 copy of the 5,018 TLEs and 120 s; quick 60 s; the docs quote 2 copies × 600 s).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const name = "plan";

function runJson(script, args) {
  const out = execFileSync(
    process.execPath,
    [fileURLToPath(new URL(script, import.meta.url)), ...args, "--json"],
    {
      encoding: "utf8",
      maxBuffer: 1 << 26,
    },
  );
  const last = out.trim().split("\n").at(-1) ?? "{}";
  return JSON.parse(last);
}

/** @returns rows { case, ours, peer, unit, ratio, notes } in milliseconds; ratio = peer / ours (speed-up). */
export async function run(ctx = {}) {
  const o = ctx.options ?? {};
  const targets = o.targets ?? (ctx.quick ? "200" : "1000");
  ctx.log?.(`observability: ${targets} targets × one night at 1-min steps vs astropy AltAz`);
  const obs = runJson("./observability.mjs", ["--targets", targets]);
  const rows = [
    {
      case: `${obs.nTargets} targets × ${obs.nTimes} times, alt/az grid`,
      ours: obs.gridMs,
      peer: obs.astropyMs,
      unit: "ms",
      ratio: obs.astropyMs / obs.gridMs,
      notes: `speed-up (peer/ours); peer: astropy AltAz, same grid; max |Δalt| ${obs.worstArcsec.toFixed(2)}″`,
    },
    {
      case: `${obs.nTargets} targets, full planNight`,
      ours: obs.fullMs,
      peer: obs.astropyMs,
      unit: "ms",
      ratio: obs.astropyMs / obs.fullMs,
      notes: "speed-up; ours adds Sun, Moon, twilights, rise/transit/set, constraints, windows",
    },
  ];
  const copies = o.copies ?? "1";
  const duration = o.duration ?? (ctx.quick ? "60" : "120");
  ctx.log?.(`satellite check: ${copies} × 5,018 TLEs, ${duration} s exposure vs brute-force python3-sgp4`);
  const sat = runJson("./satcheck.mjs", ["--copies", copies, "--duration", duration]);
  for (const p of sat.pointings) {
    rows.push({
      case: `satcheck ${sat.objects} objects × ${sat.duration} s, 2° field at RA ${p.ra} Dec ${p.dec}`,
      ours: p.oursMs,
      peer: p.bruteMs,
      unit: "ms",
      ratio: p.bruteMs / p.oursMs,
      notes: `speed-up; peer: sgp4 brute force at 1 s (accelerated=${sat.accelerated}); hits ${p.hitsOurs}/${p.hitsBrute}, missed ${p.missed}`,
    });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run({ log: (t) => console.log(t), options: {} })) {
    console.log(
      `  ${r.case}: ours ${r.ours.toFixed(1)} ${r.unit}, peer ${r.peer.toFixed(1)} ${r.unit}, ${r.ratio.toFixed(1)}× (${r.notes})`,
    );
  }
}
