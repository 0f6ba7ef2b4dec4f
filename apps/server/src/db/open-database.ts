/**
 * Open the metadata database and bring its schema up to date with the committed migrations:
 * PGlite (PostgreSQL compiled to WASM, in process, data directory on disk) by default, or a
 * PostgreSQL server when a `postgres://` URL is given.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import type { Database, DatabaseKind } from "./database.js";
import * as schema from "./schema.js";

/** Folder of the committed migrations (apps/server/drizzle), from src/db or dist/db alike. */
export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../drizzle");

/** Any advisory-lock key works as long as every Meridian process uses the same one. */
const MIGRATION_LOCK_KEY = 7_246_118_042;

/** Where the database lives: `databaseUrl` wins; otherwise PGlite in `pgliteDir` (null: in memory). */
export interface DatabaseOptions {
  readonly databaseUrl: string | null;
  readonly pgliteDir: string | null;
}

/** An open, migrated database. Call `close()` once when done. */
export interface OpenDatabase {
  readonly db: Database;
  readonly kind: DatabaseKind;
  close(): Promise<void>;
}

/** Open the database described by `options` (a {@link Config} fits) and apply pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  if (options.databaseUrl !== null) return openPostgres(options.databaseUrl);
  return openPglite(options.pgliteDir);
}

async function openPglite(dataDir: string | null): Promise<OpenDatabase> {
  if (dataDir === null) return usePglite(await PGlite.create());
  await mkdir(dataDir, { recursive: true });
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    // A fresh data folder: initdb and the migrations grow PGlite's WASM memory, which never shrinks
    // (a first start idled at ~800 MiB RSS, a restart at ~370 MiB). Create and migrate in a first
    // instance, close it, and serve from a second one, as a restart would.
    const first = await usePglite(await PGlite.create(dataDir));
    await first.close();
  }
  return usePglite(await PGlite.create(dataDir));
}

/** Migrate and wrap an already created PGlite instance (tests start one from a template). */
export async function usePglite(client: PGlite): Promise<OpenDatabase> {
  try {
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder: MIGRATIONS_DIR });
    return { db: db as Database, kind: "pglite", close: () => client.close() };
  } catch (err) {
    await client.close().catch(() => {});
    throw err;
  }
}

async function openPostgres(url: string): Promise<OpenDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  try {
    const client = await pool.connect();
    try {
      // Several server processes may start at once against one database: migrate one at a time.
      await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      try {
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_DIR });
      } finally {
        await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  const db = drizzlePg(pool, { schema });
  return { db: db as Database, kind: "postgres", close: () => pool.end() };
}
