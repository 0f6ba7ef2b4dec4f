// bench/portal: the observatory cloud. Search (cone plus date over 10^6 data_files rows on
// PostgreSQL, bench/portal/search.mjs) and, when present, uploads (bench/portal/upload.mjs).
// PostgreSQL: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
// Options: --rows=N (default 1000000, --quick 100000), --queries=N (default 200, --quick 40),
// --only=search or --only=upload.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runSearch } from "./search.mjs";

export const name = "portal";
const here = dirname(fileURLToPath(import.meta.url));

export async function run(ctx) {
  const base =
    process.env.BENCH_DATABASE_URL ||
    process.env.DATABASE_URL ||
    "postgres://postgres@127.0.0.1:5432/postgres";
  const rows = [];
  const only = ctx.options.only;
  if (only === undefined || only === "search") {
    ctx.log("search: cone plus date range");
    rows.push(...(await runSearch(ctx, base)));
  }
  const upload = join(here, "upload.mjs");
  if ((only === undefined || only === "upload") && existsSync(upload)) {
    const mod = await import(pathToFileURL(upload).href);
    if (typeof mod.runUpload === "function") rows.push(...(await mod.runUpload(ctx, base)));
  }
  return rows;
}
