/** An app on an in-memory PGlite database, and helpers to log in through it with app.inject(). */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LightMyRequestResponse } from "fastify";
import { createUser } from "../src/accounts/users.js";
import { type Config, loadConfig } from "../src/config.js";
import type { Database } from "../src/db/database.js";
import type { OpenDatabase } from "../src/db/open-database.js";
import { type AppDeps, buildApp } from "../src/http/app.js";
import type { App } from "../src/http/app-type.js";
import { openTestPglite } from "./pglite.js";

export interface Harness {
  readonly app: App;
  readonly database: OpenDatabase;
  readonly config: Config;
  close(): Promise<void>;
}

/** Build an app (not listening) with test configuration; `env` overrides variables. */
export async function buildHarness(
  env: Record<string, string> = {},
  options: { extend?: AppDeps["extend"]; ready?: boolean; database?: "pglite" | "none" } = {},
): Promise<Harness> {
  const home = await mkdtemp(join(tmpdir(), "meridian-test-"));
  const config = loadConfig({
    MERIDIAN_HOME: home,
    LOG_LEVEL: "silent",
    MERIDIAN_WEB_DIR: join(home, "no-web-build"),
    ...env,
  });
  const database = options.database === "none" ? noDatabase() : await openTestPglite();
  const app = await buildApp({ config, database, ...(options.extend ? { extend: options.extend } : {}) });
  if (options.ready ?? true) await app.ready();
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** A logged-in browser: its cookie header and CSRF token. */
export interface LoggedIn {
  readonly cookie: string;
  readonly csrfToken: string;
  readonly userId: string;
}

/** Create a user (when `create`) and log in over HTTP. */
export async function login(
  h: Harness,
  username: string,
  password: string,
  create: { isAdmin?: boolean } | false = {},
): Promise<LoggedIn> {
  if (create !== false) await createUser(h.database.db, { username, password, ...create });
  const res = await h.app.inject({ method: "POST", url: "/api/auth/login", payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = sessionCookie(res);
  const body = res.json() as { csrfToken: string; user: { id: string } };
  return { cookie, csrfToken: body.csrfToken, userId: body.user.id };
}

/** `meridian_session=…` from a response's Set-Cookie. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === "meridian_session");
  if (c === undefined) throw new Error("no session cookie set");
  return `meridian_session=${c.value}`;
}

/**
 * A stand-in for tests that never reach the database (anonymous requests, documents, static
 * files): any use of it throws, so a test that does need a database fails loudly.
 */
function noDatabase(): OpenDatabase {
  const db = new Proxy({} as Database, {
    get(_target, property) {
      throw new Error(`this test app has no database (used db.${String(property)})`);
    },
  });
  return { db, kind: "pglite", close: async () => {} };
}
