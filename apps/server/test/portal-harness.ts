/** Portal test helpers: users in every role of one portal, and requests as each of them. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LightMyRequestResponse } from "fastify";
import { createApiKey } from "../src/accounts/api-keys.js";
import { hashPassword } from "../src/accounts/password.js";
import type { Scope } from "../src/accounts/scopes.js";
import { createSession, csrfTokenFor } from "../src/accounts/sessions.js";
import { loadConfig } from "../src/config.js";
import type { OpenDatabase } from "../src/db/open-database.js";
import { memberships, type OrgRole } from "../src/db/portal-schema.js";
import { users } from "../src/db/schema.js";
import { buildApp } from "../src/http/app.js";
import { LocalStorage } from "../src/storage/local-storage.js";
import type { Storage } from "../src/storage/storage.js";
import type { Harness, LoggedIn } from "./harness.js";

/** Who makes a request: nobody, a logged-in browser, or an API key. */
export type Caller = null | LoggedIn | { readonly apiKey: string };

/** Send a request as `caller` (JSON body when given). */
export async function call(
  h: Harness,
  caller: Caller,
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE" | "HEAD",
  url: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (caller !== null && "apiKey" in caller) headers.authorization = `Bearer ${caller.apiKey}`;
  else if (caller !== null) {
    headers.cookie = caller.cookie;
    headers["x-csrf-token"] = caller.csrfToken;
  }
  if (body !== undefined && headers["content-type"] === undefined)
    headers["content-type"] = "application/json";
  return h.app.inject({
    method,
    url,
    headers,
    ...(body === undefined ? {} : { payload: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

/** Send, expect `status`, return the JSON body (or null for an empty body). */
export async function ok<T = Record<string, unknown>>(
  h: Harness,
  caller: Caller,
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  url: string,
  body?: unknown,
  status = method === "POST" ? 201 : method === "DELETE" ? 204 : 200,
): Promise<T> {
  const res = await call(h, caller, method, url, body);
  if (res.statusCode !== status)
    throw new Error(`${method} ${url}: expected ${status}, got ${res.statusCode} ${res.body}`);
  return (res.body === "" ? null : res.json()) as T;
}

/** A portal with one user in each role, plus a server admin and the admin of another portal. */
export interface PortalCast {
  readonly slug: string;
  readonly orgId: string;
  readonly owner: LoggedIn;
  readonly admin: LoggedIn;
  readonly member: LoggedIn;
  readonly observer: LoggedIn;
  /** Admin of another portal, with no role in this one. */
  readonly outsider: LoggedIn;
  readonly serverAdmin: LoggedIn;
}

let serial = 0;

/** The password of every user made here. */
export const TEST_PASSWORD = "correct horse battery";
let testHash: Promise<string> | undefined;

/**
 * A user with {@link TEST_PASSWORD} and a session, made without the HTTP login: scrypt runs once
 * per test file instead of twice per user (the login route has its own tests).
 */
export async function fastUser(
  h: Harness,
  username: string,
  options: { isAdmin?: boolean } = {},
): Promise<LoggedIn> {
  testHash ??= hashPassword(TEST_PASSWORD);
  const [row] = await h.database.db
    .insert(users)
    .values({
      username,
      displayName: username,
      passwordHash: await testHash,
      isAdmin: options.isAdmin ?? false,
    })
    .returning();
  const session = await createSession(h.database.db, row!.id, 1);
  return {
    cookie: `meridian_session=${session.token}`,
    csrfToken: csrfTokenFor(session.token),
    userId: row!.id,
  };
}

/** Create users in every role of a new portal (`slug`, public page on unless `isPublic` is false). */
export async function portalCast(
  h: Harness,
  slug: string,
  options: { isPublic?: boolean } = {},
): Promise<PortalCast> {
  const n = ++serial;
  const owner = await fastUser(h, `owner${n}`);
  const body = await ok<{ portal: { id: string } }>(h, owner, "POST", "/api/portals", {
    slug,
    name: `Portal ${slug}`,
    isPublic: options.isPublic ?? true,
  });
  const orgId = body.portal.id;
  const users: Partial<Record<OrgRole, LoggedIn>> = { owner };
  for (const role of ["admin", "member", "observer"] as const) {
    const u = await fastUser(h, `${role}${n}`);
    await h.database.db.insert(memberships).values({ orgId, userId: u.userId, role });
    users[role] = u;
  }
  const outsider = await fastUser(h, `outsider${n}`);
  await ok(h, outsider, "POST", "/api/portals", { slug: `${slug}-other`, name: "Another portal" });
  const serverAdmin = await fastUser(h, `root${n}`, { isAdmin: true });
  return {
    slug,
    orgId,
    owner,
    admin: users.admin!,
    member: users.member!,
    observer: users.observer!,
    outsider,
    serverAdmin,
  };
}

/** An API key of `user` with `scopes`. */
export async function apiKeyOf(h: Harness, user: LoggedIn, scopes: Scope[]): Promise<{ apiKey: string }> {
  const { secret } = await createApiKey(h.database.db, user.userId, { name: `k${++serial}`, scopes });
  return { apiKey: secret };
}

/** An app (not listening) on `database`, like buildHarness but for any database target. */
export async function buildHarnessOn(
  database: OpenDatabase,
  env: Record<string, string> = {},
): Promise<Harness & { storage: Storage }> {
  const home = await mkdtemp(join(tmpdir(), "meridian-portal-test-"));
  const config = loadConfig({
    MERIDIAN_HOME: home,
    LOG_LEVEL: "silent",
    MERIDIAN_WEB_DIR: join(home, "no-web-build"),
    ...env,
  });
  const storage = new LocalStorage(join(home, "storage"));
  const app = await buildApp({ config, database, storage });
  await app.ready();
  return {
    app,
    database,
    config,
    storage,
    async close() {
      await app.close();
      await database.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}
