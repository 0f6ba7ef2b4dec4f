// Portal search benchmark: a cone plus a date range over 1,000,000 data_files rows on PostgreSQL.
// Ours: the portal's file search (HEALPix NESTED order-29 index ranges, then the footprint circle
// and polygon), exactly as GET /api/portals/:org/files runs it. Peer: the same question as plain
// SQL with a bounding box on (dec, ra) and an index on (org_id, dec) — what one writes without a
// sky index. Both return the first page (100 rows, by DATE-OBS). Rows are generated once into a
// kept database (meridian_bench_portal_<rows>) and reused by later runs.
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../..");
const requireFromServer = createRequire(join(repoRoot, "apps/server/package.json"));
const pg = requireFromServer("pg");
const dist = (p) => pathToFileURL(join(repoRoot, p)).href;

/** Seeded generator (mulberry32) so every run builds the same table. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS = 2000; // an observatory revisits fields: positions cluster around field centres
const YEARS = 5;
const T0 = Date.parse("2021-01-01T00:00:00Z");

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function adminClient(base) {
  const c = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  await c.connect();
  return c;
}

/** Build (or reuse) the bench database with `rows` files; returns its URL and the org id. */
async function prepare(ctx, base, rows) {
  const name = `meridian_bench_portal_${rows}`;
  const admin = await adminClient(base);
  const exists = (await admin.query("select 1 from pg_database where datname = $1", [name])).rowCount > 0;
  if (!exists) await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const { openDatabase } = await import(dist("apps/server/dist/index.js"));
  const opened = await openDatabase({ databaseUrl: url.toString(), pgliteDir: null });
  await opened.close();
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  const have = await c.query("select id from organisations where slug = 'bench'");
  const counted =
    have.rowCount === 0 ? 0 : Number((await c.query("select count(*) from data_files")).rows[0].count);
  if (counted === rows) {
    ctx.log(`reusing ${rows.toLocaleString()} rows in database ${name}`);
    const orgId = have.rows[0].id;
    await c.end();
    return { url: url.toString(), orgId };
  }
  ctx.log(
    `generating ${rows.toLocaleString()} data_files rows in database ${name} (once; kept for later runs)`,
  );
  await c.query("delete from organisations where slug in ('bench', 'bench-other')");
  const org = (await c.query("insert into organisations (slug, name) values ('bench', 'Bench') returning id"))
    .rows[0].id;
  const other = (
    await c.query("insert into organisations (slug, name) values ('bench-other', 'Other') returning id")
  ).rows[0].id;
  const ds = (await c.query("insert into datasets (org_id, name) values ($1, 'all') returning id", [org]))
    .rows[0].id;
  const ds2 = (await c.query("insert into datasets (org_id, name) values ($1, 'all') returning id", [other]))
    .rows[0].id;
  const { ang2pixBig } = await import(dist("packages/sky/dist/index.js"));
  const rand = rng(42);
  const fields = Array.from({ length: FIELDS }, () => [
    360 * rand(),
    (Math.asin(2 * rand() - 1) * 180) / Math.PI,
  ]);
  const batch = 50_000;
  const started = Date.now();
  for (let done = 0; done < rows; done += batch) {
    const n = Math.min(batch, rows - done);
    const ra = new Array(n);
    const dec = new Array(n);
    const hpx = new Array(n);
    const date = new Array(n);
    const exptime = new Array(n);
    const radius = new Array(n);
    for (let i = 0; i < n; i++) {
      const f = fields[Math.floor(rand() * FIELDS)];
      const d = Math.max(-90, Math.min(90, f[1] + (rand() - 0.5) * 0.4));
      const r = (f[0] + ((rand() - 0.5) * 0.4) / Math.max(0.05, Math.cos((d * Math.PI) / 180)) + 360) % 360;
      ra[i] = r;
      dec[i] = d;
      hpx[i] = ang2pixBig(29, r, d).toString();
      date[i] = new Date(T0 + rand() * YEARS * 365.25 * 86400e3).toISOString();
      exptime[i] = [1, 10, 30, 60, 120, 300][Math.floor(rand() * 6)];
      radius[i] = 0.05 + 0.15 * rand();
    }
    // 1 in 10 rows belongs to another organisation: the org filter must keep them out.
    await c.query(
      `insert into data_files (org_id, dataset_id, name, size, sha256, storage_key, format, ra, dec, healpix29,
         date_obs, exptime, radius_deg, footprint, frame_type, filter, object)
       select case when (g % 10) = 0 then $8::uuid else $9::uuid end,
              case when (g % 10) = 0 then $10::uuid else $11::uuid end,
              'f' || ($12::int + g) || '.fits', 2880, md5(($12::int + g)::text) || md5(g::text), 'bench/' || ($12::int + g), 'fits',
              ra, dec, hpx, dt, ex, rd,
              jsonb_build_array(
                jsonb_build_array(ra - rd / greatest(0.05, cos(radians(dec))) / 1.4142, dec - rd / 1.4142),
                jsonb_build_array(ra + rd / greatest(0.05, cos(radians(dec))) / 1.4142, dec - rd / 1.4142),
                jsonb_build_array(ra + rd / greatest(0.05, cos(radians(dec))) / 1.4142, least(90, dec + rd / 1.4142)),
                jsonb_build_array(ra - rd / greatest(0.05, cos(radians(dec))) / 1.4142, least(90, dec + rd / 1.4142))),
              'light', 'V', 'field'
       from unnest($1::float8[], $2::float8[], $3::int8[], $4::timestamptz[], $5::float8[], $6::float8[])
            with ordinality as t(ra, dec, hpx, dt, ex, rd, g)
       where $7::int >= 0`,
      [ra, dec, hpx, date, exptime, radius, 0, other, org, ds2, ds, done],
    );
    ctx.log(`  ${(done + n).toLocaleString()} rows (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  // Footprint corners above stay within ±180 of the centre; wrap them into [0, 360).
  await c.query(`update data_files set footprint = (
      select jsonb_agg(jsonb_build_array(((p->>0)::float8 + 360)::numeric % 360, (p->>1)::float8)) from jsonb_array_elements(footprint) p)
    where ra < 1 or ra > 359`);
  await c.query("create index if not exists bench_peer_org_dec_idx on data_files (org_id, dec)");
  await c.query("analyze data_files");
  await c.end();
  return { url: url.toString(), orgId: org };
}

/** The peer: bounding box on dec and ra (with the RA wrap and poles), circle test, date range. */
function peerSql() {
  return `select id from data_files
    where org_id = $1::uuid and date_obs >= $2::timestamptz and date_obs < $3::timestamptz
      and dec between $4::float8 - $6::float8 - 0.25 and $4::float8 + $6::float8 + 0.25
      and ($7::boolean or (ra between $8::float8 and $9::float8)
           or ($8::float8 < 0 and ra >= $8::float8 + 360) or ($9::float8 >= 360 and ra <= $9::float8 - 360))
      and degrees(2 * asin(least(1, sqrt(power(sin(radians(dec - $4::float8) / 2), 2)
          + cos(radians(dec)) * cos(radians($4::float8)) * power(sin(radians(ra - $5::float8) / 2), 2)))))
          <= $6::float8 + coalesce(radius_deg, 0)
    order by date_obs asc nulls last, id asc
    limit 100`;
}

/** The API on the bench database, listening on loopback, with an observer's API key. */
async function startApi(prepared, opened) {
  const { buildApp, createApiKey, createUser, loadConfig } = await import(dist("apps/server/dist/index.js"));
  const db = new pg.Client({ connectionString: prepared.url });
  await db.connect();
  await db.query("delete from users where username = 'bench-observer'");
  await db.end();
  const user = await createUser(opened.db, { username: "bench-observer", password: "bench password 1" });
  const c = new pg.Client({ connectionString: prepared.url });
  await c.connect();
  await c.query("insert into memberships (org_id, user_id, role) values ($1, $2, 'observer')", [
    prepared.orgId,
    user.id,
  ]);
  await c.end();
  const { secret } = await createApiKey(opened.db, user.id, { name: "bench", scopes: ["read"] });
  const config = loadConfig({ LOG_LEVEL: "warn", MERIDIAN_HOME: join(repoRoot, "bench/out/portal-home") });
  const app = await buildApp({ config, database: opened });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return { url, headers: { authorization: `Bearer ${secret}` }, close: () => app.close() };
}

/** Run the benchmark; `base` is the PostgreSQL server URL. */
export async function runSearch(ctx, base) {
  const rows = Number(ctx.options.rows ?? (ctx.quick ? 100_000 : 1_000_000));
  const queries = Number(ctx.options.queries ?? (ctx.quick ? 40 : 200));
  let prepared;
  try {
    prepared = await prepare(ctx, base, rows);
  } catch (err) {
    const reason = `no PostgreSQL server at ${base.replace(/\/\/[^@]*@/, "//…@")}: ${err.message}`;
    ctx.log(`skipped: ${reason}`);
    return [
      {
        case: `cone 0.5° + 30-day range, ${rows.toLocaleString()} rows`,
        ours: null,
        peer: null,
        unit: "ms",
        notes: `skipped: ${reason}`,
      },
    ];
  }
  const { openDatabase } = await import(dist("apps/server/dist/index.js"));
  const { searchFiles } = await import(dist("apps/server/dist/portal/search/file-search.js"));
  const opened = await openDatabase({ databaseUrl: prepared.url, pgliteDir: null });
  const peer = new pg.Client({ connectionString: prepared.url });
  await peer.connect();
  const rand = rng(7);
  const radius = 0.5;
  const ours = [];
  const theirs = [];
  const viaHttp = [];
  const api = await startApi(prepared, opened);
  let hits = 0;
  let disagree = 0;
  try {
    // Centres at random existing rows so that cones find files.
    const centres = (
      await peer.query("select ra, dec from data_files where org_id = $1 order by md5(id::text) limit $2", [
        prepared.orgId,
        queries,
      ])
    ).rows;
    for (let i = -5; i < centres.length; i++) {
      const c = centres[Math.max(0, i)];
      const from = new Date(T0 + rand() * (YEARS * 365.25 - 30) * 86400e3);
      const to = new Date(from.getTime() + 30 * 86400e3);
      const cosDec = Math.cos((c.dec * Math.PI) / 180);
      const half = (radius + 0.25) / Math.max(1e-6, cosDec);
      const polar = Math.abs(c.dec) + radius + 0.25 >= 90 || half >= 180;
      const t0 = process.hrtime.bigint();
      const page = await searchFiles(
        opened.db,
        prepared.orgId,
        { cone: { ra: c.ra, dec: c.dec, radius }, from: from.toISOString(), to: to.toISOString() },
        { limit: 100 },
      );
      const t1 = process.hrtime.bigint();
      const res = await peer.query(peerSql(), [
        prepared.orgId,
        from,
        to,
        c.dec,
        c.ra,
        radius,
        polar,
        c.ra - half,
        c.ra + half,
      ]);
      const t2 = process.hrtime.bigint();
      const q = new URLSearchParams({
        ra: String(c.ra),
        dec: String(c.dec),
        radius: String(radius),
        from: from.toISOString(),
        to: to.toISOString(),
        limit: "100",
      });
      const http = await fetch(`${api.url}/api/portals/bench/files?${q}`, { headers: api.headers });
      const body = await http.json();
      const t3 = process.hrtime.bigint();
      if (!http.ok || body.items.length !== page.items.length) throw new Error(`API answered ${http.status}`);
      if (i < 0) continue; // warm-up
      ours.push(Number(t1 - t0) / 1e6);
      theirs.push(Number(t2 - t1) / 1e6);
      viaHttp.push(Number(t3 - t2) / 1e6);
      hits += page.items.length;
      // The peer has no footprint polygon test: ours must be a subset of its rows.
      const peerIds = new Set(res.rows.map((r) => r.id));
      if (res.rows.length < 100 && page.items.some((f) => !peerIds.has(f.id))) disagree++;
    }
    ours.sort((a, b) => a - b);
    theirs.sort((a, b) => a - b);
    viaHttp.sort((a, b) => a - b);
    const plan = (
      await peer.query(
        `explain (analyze false, costs false) select id from data_files where org_id = $1 and healpix29 >= 0 and healpix29 < 1000`,
        [prepared.orgId],
      )
    ).rows
      .map((r) => r["QUERY PLAN"])
      .join(" | ");
    const label = `cone ${radius}° + 30-day range, ${rows.toLocaleString()} rows, ${queries} queries`;
    const notes = `peer: bounding box on (org_id, dec) index + same circle test; mean ${(hits / queries).toFixed(1)} hits/query; ${disagree} disagreements; healpix plan: ${plan.slice(0, 60)}`;
    return [
      { case: `${label}: p50`, ours: percentile(ours, 50), peer: percentile(theirs, 50), unit: "ms", notes },
      {
        case: `${label}: p95`,
        ours: percentile(ours, 95),
        peer: percentile(theirs, 95),
        unit: "ms",
        notes: "goal: ours p95 < 100 ms; lower is better",
      },
      {
        case: `${label}, through GET /api/portals/:org/files: p50`,
        ours: percentile(viaHttp, 50),
        peer: percentile(theirs, 50),
        unit: "ms",
        notes: "ours over HTTP on loopback (API key, policy, JSON); peer: the bare SQL as above",
      },
      {
        case: `${label}, through GET /api/portals/:org/files: p95`,
        ours: percentile(viaHttp, 95),
        peer: percentile(theirs, 95),
        unit: "ms",
        notes: "goal: ours p95 < 100 ms",
      },
    ];
  } finally {
    await api.close();
    await peer.end();
    await opened.close();
  }
}
