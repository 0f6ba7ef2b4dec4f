// Server under load: requests/s and p99 latency with autocannon on loopback.
//
//   npm run build && npm run bench -- server [--duration=5] [--connections=10] [--log-level=warn] [--quick]
//   (standalone: node bench/server/bench.mjs)
//
// Cases: `GET /api/health` (public) and `GET /api/apikeys` with a Bearer API key (authenticated,
// one key lookup and one list query per request), on PGlite and on PostgreSQL (a throwaway
// database on BENCH_DATABASE_URL / DATABASE_URL, else postgres://postgres@127.0.0.1:5432).
// A platform server has no direct peer; the peer column is a bare node:http server answering the
// same health JSON, i.e. the ceiling of any Node HTTP server on this machine. ratio = ours / peer.
// Each server runs in its own child process; autocannon runs here, so on a small machine the load
// generator and the server share the cores (see the core count in the header).
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const name = "server";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../..");
// autocannon and pg are dependencies of @meridian/server: resolve them from there.
const requireFromServer = createRequire(join(repoRoot, "apps/server/package.json"));
const autocannon = requireFromServer("autocannon");
const pg = requireFromServer("pg");

/** @param {{ quick?: boolean, options?: Record<string, string>, log?: (s: string) => void }} ctx */
export async function run(ctx = {}) {
  const options = ctx.options ?? {};
  const log = ctx.log ?? ((s) => console.log(`  ${s}`));
  const duration = Number(options.duration ?? (ctx.quick ? 2 : 5));
  const warmup = ctx.quick ? 0.5 : 1;
  const connections = Number(options.connections ?? 10);
  const logLevel = options["log-level"] ?? "warn";
  const load = (target, path, headers = {}) =>
    measure({ url: `${target.url}${path}`, headers, duration, warmup, connections });
  const setup = `${connections} connections, ${duration} s after ${warmup} s warm-up, LOG_LEVEL=${logLevel}`;

  log(`baseline: bare node:http (${setup})`);
  const baselineServer = await startChild("baseline", {});
  let baseline;
  try {
    baseline = await load(baselineServer, "/api/health");
  } finally {
    await baselineServer.stop();
  }

  const rows = [];
  const databases = [{ label: "PGlite", url: null }];
  const postgres = await createThrowawayDatabase();
  databases.push({ label: "PostgreSQL", url: postgres.url, skipped: postgres.skipped });
  try {
    for (const database of databases) {
      if (database.url === null && database.label !== "PGlite") {
        for (const path of ["/api/health", "/api/apikeys"]) {
          rows.push({
            case: `GET ${path} · ${database.label}`,
            ours: null,
            peer: baseline.rps,
            unit: "req/s",
            notes: database.skipped,
          });
        }
        log(`${database.label}: skipped (${database.skipped})`);
        continue;
      }
      log(`${database.label}: Meridian server`);
      const home = await mkdtemp(join(tmpdir(), "meridian-bench-"));
      const server = await startChild("meridian", {
        MERIDIAN_HOME: home,
        LOG_LEVEL: logLevel,
        MERIDIAN_DEMO: "false",
        ...(database.url === null ? { DATABASE_URL: "" } : { DATABASE_URL: database.url }),
      });
      try {
        const auth = { authorization: `Bearer ${server.info.apiKey}` };
        const check = await fetch(`${server.url}/api/apikeys`, { headers: auth });
        const listed = await check.json();
        if (check.status !== 200 || !Array.isArray(listed.items) || listed.items.length !== 10) {
          throw new Error(
            `GET /api/apikeys answered ${check.status} ${JSON.stringify(listed).slice(0, 200)}`,
          );
        }
        const health = await load(server, "/api/health");
        const list = await load(server, "/api/apikeys", auth);
        const db = `${database.label} (${server.info.database})`;
        rows.push(
          {
            case: `GET /api/health · ${db}`,
            ours: health.rps,
            peer: baseline.rps,
            unit: "req/s",
            notes: "peer: bare node:http",
          },
          {
            case: `GET /api/health · ${db} · p99`,
            ours: health.p99,
            peer: baseline.p99,
            unit: "ms",
            notes: "lower is better",
          },
          {
            case: `GET /api/apikeys · ${db}`,
            ours: list.rps,
            peer: baseline.rps,
            unit: "req/s",
            notes: "Bearer key, 10 keys listed; peer: bare node:http health",
          },
          {
            case: `GET /api/apikeys · ${db} · p99`,
            ours: list.p99,
            peer: baseline.p99,
            unit: "ms",
            notes: "lower is better",
          },
        );
      } finally {
        await server.stop();
        await rm(home, { recursive: true, force: true });
      }
    }
  } finally {
    await postgres.drop();
  }
  rows.push({
    case: "load",
    ours: null,
    peer: null,
    unit: "",
    notes: `${setup}; loopback; autocannon and the server share the machine's cores`,
  });
  return rows;
}

/** Warm up, then load `url` for `duration` seconds; mean requests/s and p99 latency (ms). */
async function measure({ url, headers, duration, warmup, connections }) {
  if (warmup > 0) await autocannon({ url, headers, connections, duration: warmup });
  const result = await autocannon({ url, headers, connections, duration });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) {
    throw new Error(
      `${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts under load`,
    );
  }
  return { rps: result.requests.average, p99: result.latency.p99, total: result.requests.total };
}

/** Start bench/server/serve.mjs in `mode`; resolves when it printed its JSON ready line. */
function startChild(mode, env) {
  const child = spawn(process.execPath, [join(here, "serve.mjs"), mode], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise((done) => child.on("exit", (code, signal) => done({ code, signal })));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((ready, fail) => {
    let buffered = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`${mode} server did not start within 120 s: ${stderr}`));
    }, 120_000);
    child.stdout.on("data", (d) => {
      buffered += d.toString();
      const line = buffered.split("\n").find((l) => l.startsWith('{"url"'));
      if (line === undefined) return;
      clearTimeout(timer);
      const info = JSON.parse(line);
      child.stdout.resume(); // keep draining any log output
      ready({ url: info.url, info, stop });
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`${mode} server exited (${code ?? signal}) before it was ready: ${stderr.trim()}`));
    });
  });
}

/** A fresh database on the PostgreSQL server, or `{ url: null, skipped }` when none answers. */
async function createThrowawayDatabase() {
  const base =
    process.env.BENCH_DATABASE_URL ||
    process.env.DATABASE_URL ||
    "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `meridian_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    return { url: null, skipped: `no PostgreSQL at ${redact(base)}: ${err.message}`, drop: async () => {} };
  }
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { formatTable, machineFacts, normaliseRow } = await import("../run.js");
  const m = machineFacts();
  console.log(`${m.cpuModel} · ${m.cores} cores · node ${m.node}`);
  const rows = await run({ options: {} });
  console.log(formatTable(rows.map((r) => normaliseRow(r, name))));
}
