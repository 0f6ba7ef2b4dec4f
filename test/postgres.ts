/**
 * A real PostgreSQL server for data-layer tests. The server is DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test. Each test file gets its own temporary database, dropped
 * afterwards. When no server answers: with CI=true the suite fails loudly (CI must exercise the
 * PostgreSQL path); elsewhere the PostgreSQL tests are skipped with a printed reason.
 *
 * ```ts
 * const server = await findPostgres();
 * describe.skipIf(server === null)("on PostgreSQL", () => {
 *   let database: TempDatabase;
 *   beforeAll(async () => { database = await createTempDatabase(server!); });
 *   afterAll(() => database.drop());
 * });
 * ```
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

/** Default server when DATABASE_URL is not set. */
export const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";

/** A reachable PostgreSQL server. */
export interface PostgresServer {
  /** URL of the database we connected to (used to create and drop temporary databases). */
  readonly url: string;
}

/** A temporary database on a {@link PostgresServer}. */
export interface TempDatabase {
  readonly name: string;
  /** Connection URL of the temporary database. */
  readonly url: string;
  /** Drop the database (closing other connections to it). */
  drop(): Promise<void>;
}

/** The URL tests use: DATABASE_URL or {@link DEFAULT_POSTGRES_URL}. */
export function postgresUrl(): string {
  const url = process.env.DATABASE_URL?.trim();
  return url === undefined || url === "" ? DEFAULT_POSTGRES_URL : url;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== "") u.password = "***";
    return u.href;
  } catch {
    return "(unparsable URL)";
  }
}

/**
 * Find the PostgreSQL server, or null (and a printed reason) when none answers.
 *
 * @throws Error when CI=true and no server answers.
 */
export async function findPostgres(): Promise<PostgresServer | null> {
  const url = postgresUrl();
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return { url };
  } catch (err) {
    const reason = `no PostgreSQL server answers at ${redact(url)}: ${(err as Error).message}`;
    if (process.env.CI === "true") {
      throw new Error(`${reason}. CI must run the PostgreSQL tests: start a server or set DATABASE_URL.`, {
        cause: err,
      });
    }
    console.warn(`[postgres] skipping PostgreSQL tests: ${reason} (set DATABASE_URL to run them)`);
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Create a fresh, empty database on `server`, named uniquely for this test file. */
export async function createTempDatabase(server: PostgresServer): Promise<TempDatabase> {
  const name = `meridian_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.href,
    async drop() {
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      try {
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
