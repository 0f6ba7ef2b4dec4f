// bench/portal uploads: 1,000 small FITS files and one big FITS file (2 GiB; --upload-mb=N or
// BENCH_PORTAL_UPLOAD_MB, --quick 256 MiB) sent through the tus API to a server in a child
// process (PGlite, local storage), next to `cp` of the same files on the same disk; the server's
// RSS is sampled every 100 ms during each upload (it must stay flat: bytes stream to storage).
// Small files go once as tus creation-with-upload (one POST per file, as `meridian upload` sends
// them) and once as create + PATCH (two requests), on PGlite and on a fresh PostgreSQL database
// (from the bench's PostgreSQL URL; skipped when unreachable). Idle RSS of each server is reported.
// Options: --files=N (default 1000, --quick 200), --jobs=N parallel uploads (default 4).
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BLOCK = 2880;

function card(key, value) {
  const v = typeof value === "string" ? `'${value.padEnd(8)}'` : String(value);
  return `${key.padEnd(8)}= ${v.padStart(20)}`.padEnd(80);
}

/** A FITS header block for a primary image of `axes` with BITPIX `bitpix`. */
function header(bitpix, axes, extra) {
  const cards = [
    card("SIMPLE", "T").replace("'T       '", "T".padStart(10)),
    card("BITPIX", bitpix),
    card("NAXIS", axes.length),
  ];
  cards[0] = `SIMPLE  = ${"T".padStart(20)}`.padEnd(80);
  for (const [i, n] of axes.entries()) cards.push(card(`NAXIS${i + 1}`, n));
  for (const [k, v] of Object.entries(extra)) cards.push(card(k, v));
  cards.push("END".padEnd(80));
  const text = cards.join("");
  return Buffer.from(text.padEnd(Math.ceil(text.length / BLOCK) * BLOCK, " "), "latin1");
}

async function makeSmall(dir, n) {
  await mkdir(dir, { recursive: true });
  const files = [];
  for (let i = 0; i < n; i++) {
    const h = header(16, [32, 32], { OBJECT: `BENCH-${i}`, "DATE-OBS": "2026-11-24T23:00:00", EXPTIME: 10 });
    const data = Buffer.alloc(BLOCK);
    randomBytes(2048).copy(data);
    const p = join(dir, `f${String(i).padStart(5, "0")}.fits`);
    await writeFile(p, Buffer.concat([h, data]));
    files.push(p);
  }
  return files;
}

async function makeBig(path, mib) {
  const dataBytes = Math.floor((mib * 2 ** 20) / BLOCK) * BLOCK - BLOCK;
  const f = await open(path, "w");
  await f.write(header(8, [dataBytes], { OBJECT: "BENCH-BIG" }));
  const chunk = randomBytes(16 * 2 ** 20);
  for (let left = dataBytes; left > 0; left -= chunk.length)
    await f.write(chunk, 0, Math.min(left, chunk.length));
  await f.close();
  return path;
}

function request(url, method, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res));
    });
    req.on("error", reject);
    if (body === undefined) req.end();
    else body.pipe(req);
  });
}

/** One file through the API: `one` = creation-with-upload (one POST), else POST + PATCH. */
async function tusUpload(server, path, name, dataset, one = false) {
  const size = (await stat(path)).size;
  const auth = { authorization: `Bearer ${server.apiKey}`, "tus-resumable": "1.0.0" };
  const md = [
    `name ${Buffer.from(name).toString("base64")}`,
    `dataset ${Buffer.from(dataset).toString("base64")}`,
  ].join(",");
  if (one) {
    const res = await request(
      `${server.url}/api/portals/${server.slug}/uploads`,
      "POST",
      {
        ...auth,
        "upload-length": String(size),
        "upload-metadata": md,
        "content-type": "application/offset+octet-stream",
        "content-length": String(size),
      },
      createReadStream(path, { highWaterMark: 1 << 20 }),
    );
    if (res.statusCode !== 201 || res.headers["meridian-file-id"] === undefined)
      throw new Error(`upload ${name}: HTTP ${res.statusCode}`);
    return;
  }
  const created = await request(`${server.url}/api/portals/${server.slug}/uploads`, "POST", {
    ...auth,
    "upload-length": String(size),
    "upload-metadata": md,
  });
  if (created.statusCode !== 201) throw new Error(`create ${name}: HTTP ${created.statusCode}`);
  const res = await request(
    `${server.url}${created.headers.location}`,
    "PATCH",
    {
      ...auth,
      "upload-offset": "0",
      "content-type": "application/offset+octet-stream",
      "content-length": String(size),
    },
    createReadStream(path, { highWaterMark: 1 << 20 }),
  );
  if (res.statusCode !== 204 || res.headers["meridian-file-id"] === undefined)
    throw new Error(`upload ${name}: HTTP ${res.statusCode}`);
}

async function pool(items, jobs, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function rssMiB(pid) {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** Sample the server's RSS while `work` runs: { start, peak, end } MiB. */
async function sampled(pid, work) {
  const start = await rssMiB(pid);
  let peak = start;
  const timer = setInterval(() => {
    rssMiB(pid).then(
      (r) => {
        peak = Math.max(peak, r);
      },
      () => {},
    );
  }, 100);
  const t0 = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, start, peak, end: await rssMiB(pid) };
}

function timed(fn) {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function startServer(home, databaseUrl = "") {
  const child = spawn(process.execPath, [join(import.meta.dirname, "upload-serve.mjs")], {
    env: { ...process.env, MERIDIAN_HOME: home, DATABASE_URL: databaseUrl, MERIDIAN_DEMO: "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const info = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n")) resolve(JSON.parse(line));
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code})`)));
  });
  await new Promise((r) => setTimeout(r, 1000));
  return { ...info, child, idleRss: await rssMiB(info.pid) };
}

async function stopServer(server) {
  const exited = new Promise((r) => server.child.once("exit", r));
  server.child.kill("SIGTERM");
  await exited;
}

const requireFromServer = createRequire(join(import.meta.dirname, "../../apps/server/package.json"));

/** A fresh PostgreSQL database for one run (dropped by the returned function), or null. */
async function freshPostgres(base, ctx) {
  if (base === undefined) return null;
  const pg = requireFromServer("pg");
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    ctx.log(`upload: PostgreSQL at ${base} unreachable (${err.message}); PostgreSQL rows skipped`);
    return null;
  }
  const name = `meridian_bench_upload_${process.pid}`;
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function runUpload(ctx, pgBase) {
  const files = Number(ctx.options.files ?? (ctx.quick ? 200 : 1000));
  const mib = Number(
    ctx.options["upload-mb"] ?? process.env.BENCH_PORTAL_UPLOAD_MB ?? (ctx.quick ? 256 : 2048),
  );
  const jobs = Number(ctx.options.jobs ?? 4);
  const work = await mkdtemp(join(tmpdir(), "meridian-bench-upload-"));
  const rows = [];
  let server;
  let pgServer;
  let pgDb;
  try {
    ctx.log(`upload: generating ${files} small FITS files and one of ${mib} MiB`);
    const small = await makeSmall(join(work, "small"), files);
    const smallBytes = (await Promise.all(small.map((p) => stat(p)))).reduce((n, s) => n + s.size, 0);
    const big = await makeBig(join(work, "big.fits"), mib);
    const bigBytes = (await stat(big)).size;
    const kib = (smallBytes / files / 1024).toFixed(1);
    const cpSmall = timed(() => execFileSync("cp", ["-r", join(work, "small"), join(work, "cp-small")]));
    const smallRun = async (srv, db, one, dataset) => {
      ctx.log(`upload: ${files} small files on ${db}, ${one ? "creation-with-upload" : "create + PATCH"}`);
      const s = await sampled(srv.pid, () =>
        pool(small, jobs, (p) => tusUpload(srv, p, p.slice(p.lastIndexOf("/") + 1), dataset, one)),
      );
      rows.push({
        case: `${files} small FITS files (${kib} KiB each), ${db}, ${one ? "one POST each" : "POST + PATCH each"}`,
        ours: files / s.seconds,
        peer: files / cpSmall,
        unit: "files/s",
        notes: `peer: cp -r on the same disk; ours: ${one ? "tus creation-with-upload" : "tus create, then PATCH"}, ${jobs} parallel, header ingest and a DB row per file; RSS ${s.start.toFixed(0)} → ${s.peak.toFixed(0)} MiB`,
      });
    };
    server = await startServer(join(work, "home"));
    const pg = await freshPostgres(pgBase, ctx);
    if (pg !== null) {
      pgDb = pg;
      pgServer = await startServer(join(work, "home-pg"), pg.url);
    }
    rows.push({
      case: "server RSS when idle after start",
      ours: server.idleRss,
      peer: pgServer?.idleRss ?? null,
      unit: "MiB",
      notes: "ours: PGlite (embedded, in the server process); peer: the same server on PostgreSQL",
    });
    await smallRun(server, "PGlite", true, "small-one");
    await smallRun(server, "PGlite", false, "small-two");
    if (pgServer !== undefined) {
      await smallRun(pgServer, "PostgreSQL", true, "small-one");
      await smallRun(pgServer, "PostgreSQL", false, "small-two");
    }
    ctx.log(`upload: one ${mib} MiB file through the tus API`);
    const b = await sampled(server.pid, () => tusUpload(server, big, "big.fits", "big"));
    const cpBig = timed(() => execFileSync("cp", [big, join(work, "cp-big.fits")]));
    rows.push({
      case: `one ${mib} MiB FITS file`,
      ours: bigBytes / 2 ** 20 / b.seconds,
      peer: bigBytes / 2 ** 20 / cpBig,
      unit: "MiB/s",
      notes:
        "peer: cp on the same disk; ours: one PATCH, sha256 while storing, fsync, headers by ranged reads",
    });
    rows.push({
      case: `server RSS during the ${mib} MiB upload (start → peak → end)`,
      ours: b.peak,
      peer: null,
      unit: "MiB",
      notes: `${b.start.toFixed(0)} → ${b.peak.toFixed(0)} → ${b.end.toFixed(0)} MiB; flat = independent of file size`,
    });
  } finally {
    if (server !== undefined) await stopServer(server);
    if (pgServer !== undefined) await stopServer(pgServer);
    if (pgDb !== undefined) await pgDb.drop().catch(() => {});
    await rm(work, { recursive: true, force: true });
  }
  return rows;
}
