/** Account services against both database drivers: PGlite (always) and PostgreSQL (when a server answers). */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from "../src/accounts/api-keys.js";
import { ensureFirstStart } from "../src/accounts/first-start.js";
import { assertLoginAllowed, recordLoginAttempt } from "../src/accounts/login-limiter.js";
import { verifyPassword } from "../src/accounts/password.js";
import {
  createSession,
  deleteExpiredSessions,
  deleteSession,
  findSession,
} from "../src/accounts/sessions.js";
import {
  changePassword,
  countUsers,
  createUser,
  findUserById,
  findUserByUsername,
  listUsers,
} from "../src/accounts/users.js";
import type { OpenDatabase } from "../src/db/open-database.js";
import * as schema from "../src/db/schema.js";
import { apiKeys, sessions, users } from "../src/db/schema.js";
import { isServerError, type ServerErrorCode } from "../src/errors.js";
import { databaseTargets } from "./databases.js";

async function expectCode(promise: Promise<unknown>, code: ServerErrorCode): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isServerError(err, code), `expected ServerError ${code}, got ${String(err)}`).toBe(true);
}

const targets = await databaseTargets();

describe.each(targets)("data layer on $name", (target) => {
  describe.skipIf(!target.available)("", () => {
    let database: OpenDatabase;
    beforeAll(async () => {
      database = await target.open();
    });
    afterAll(async () => {
      await database?.close();
    });

    test("migrations created every table", async () => {
      expect(database.kind).toBe(target.name);
      const result = await database.db.execute(
        sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      const names = (result as unknown as { rows: { table_name: string }[] }).rows.map((r) => r.table_name);
      const expected = Object.values(schema)
        .filter((value) => is(value, PgTable))
        .map((table) => getTableName(table))
        .sort();
      expect(expected).toContain("data_files");
      expect(names).toEqual(expected);
    });

    test("first start creates admin and demo user once, and saves the generated password", async () => {
      const { db } = database;
      const home = await mkdtemp(join(tmpdir(), "meridian-home-"));
      try {
        const first = await ensureFirstStart(db, { home, adminPassword: null, demo: true });
        expect(first).toMatchObject({
          adminUsername: "admin",
          adminPasswordSource: "generated",
          demoUsername: "demo",
        });
        const file = join(home, "initial-admin-password");
        expect(await readFile(file, "utf8")).toBe(`${first!.adminPassword}\n`);
        expect((await stat(file)).mode & 0o777).toBe(0o600);
        expect(await findUserByUsername(db, "admin")).toMatchObject({ isAdmin: true });
        expect(await findUserByUsername(db, "demo")).toMatchObject({ isAdmin: false });
        expect(await ensureFirstStart(db, { home, adminPassword: null, demo: true })).toBeNull();
        expect(await countUsers(db)).toBe(2);
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    });

    test("users: hashed password, case-insensitive unique usernames, validation", async () => {
      const { db } = database;
      const vera = await createUser(db, {
        username: "Vera",
        password: "rubin-observatory",
        email: "vera@example.org",
      });
      expect(vera).toMatchObject({
        username: "Vera",
        displayName: "Vera",
        email: "vera@example.org",
        isAdmin: false,
      });
      expect(new Date(vera.createdAt).toISOString()).toBe(vera.createdAt);
      const [row] = await db.select().from(users).where(eq(users.id, vera.id));
      expect(row!.passwordHash).toMatch(/^scrypt\$/);
      expect(row!.passwordHash).not.toContain("rubin-observatory");
      expect(await verifyPassword("rubin-observatory", row!.passwordHash)).toBe(true);

      expect(await findUserByUsername(db, "vERA")).toEqual(vera);
      expect(await findUserById(db, vera.id)).toEqual(vera);
      expect(await findUserByUsername(db, "nobody")).toBeNull();
      await expectCode(createUser(db, { username: "vera", password: "another-password" }), "CONFLICT");
      await expectCode(
        createUser(db, { username: "../etc", password: "another-password" }),
        "VALIDATION_FAILED",
      );
      await expectCode(createUser(db, { username: "short", password: "1234567" }), "VALIDATION_FAILED");
      await expectCode(
        createUser(db, { username: "mail", password: "12345678", email: "no-at" }),
        "VALIDATION_FAILED",
      );
    });

    test("users: pages and total", async () => {
      const { db } = database;
      const total = await countUsers(db);
      const all = await listUsers(db, { limit: 1000 });
      expect(all.total).toBe(total);
      expect(all.items).toHaveLength(total);
      const page = await listUsers(db, { limit: 1, offset: 1 });
      expect(page).toEqual({ items: [all.items[1]], total });
    });

    test("password change checks the current password", async () => {
      const { db } = database;
      const u = await createUser(db, { username: "henrietta", password: "leavitt-1912" });
      await expectCode(changePassword(db, u.id, "wrong-password", "cepheids-1912"), "INVALID_CREDENTIALS");
      await expectCode(changePassword(db, u.id, "leavitt-1912", "short"), "VALIDATION_FAILED");
      await changePassword(db, u.id, "leavitt-1912", "cepheids-1912");
      const [row] = await db.select().from(users).where(eq(users.id, u.id));
      expect(await verifyPassword("cepheids-1912", row!.passwordHash)).toBe(true);
      expect(row!.passwordChangedAt).toBeInstanceOf(Date);
    });

    test("API keys: secret shown once and stored hashed; last use; revoke; expiry; ownership", async () => {
      const { db } = database;
      const owner = await createUser(db, { username: "cecilia", password: "payne-gaposchkin" });
      const other = await createUser(db, { username: "annie", password: "jump-cannon-1" });
      const { apiKey, secret } = await createApiKey(db, owner.id, {
        name: " laptop ",
        scopes: ["read", "upload", "read"],
      });
      expect(secret).toMatch(/^mk_[A-Za-z0-9_-]{43}$/);
      expect(apiKey).toMatchObject({
        name: "laptop",
        prefix: secret.slice(0, 11),
        scopes: ["read", "upload"],
        lastUsedAt: null,
        expiresAt: null,
        revokedAt: null,
      });
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
      expect(row!.secretHash).toBe(createHash("sha256").update(secret).digest("hex"));
      expect(JSON.stringify(row)).not.toContain(secret);
      expect(await listApiKeys(db, owner.id)).toEqual([apiKey]);
      expect(await listApiKeys(db, other.id)).toEqual([]);

      const found = await authenticateApiKey(db, secret);
      expect(found?.user).toEqual(owner);
      expect(found?.apiKey.lastUsedAt).not.toBeNull();
      expect((await listApiKeys(db, owner.id))[0]?.lastUsedAt).toBe(found?.apiKey.lastUsedAt);
      expect(await authenticateApiKey(db, `${secret}x`)).toBeNull();
      expect(await authenticateApiKey(db, "not-a-key")).toBeNull();

      await expectCode(revokeApiKey(db, other.id, apiKey.id), "NOT_FOUND");
      await expectCode(revokeApiKey(db, owner.id, "not-a-uuid"), "NOT_FOUND");
      const revoked = await revokeApiKey(db, owner.id, apiKey.id);
      expect(revoked.revokedAt).not.toBeNull();
      expect(await authenticateApiKey(db, secret)).toBeNull();
      expect((await revokeApiKey(db, owner.id, apiKey.id)).revokedAt).toBe(revoked.revokedAt);

      const soon = await createApiKey(db, owner.id, {
        name: "short-lived",
        scopes: ["write"],
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      });
      expect(await authenticateApiKey(db, soon.secret)).not.toBeNull();
      await db
        .update(apiKeys)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(apiKeys.id, soon.apiKey.id));
      expect(await authenticateApiKey(db, soon.secret)).toBeNull();

      await expectCode(createApiKey(db, owner.id, { name: "x", scopes: [] }), "VALIDATION_FAILED");
      await expectCode(createApiKey(db, owner.id, { name: "", scopes: ["read"] }), "VALIDATION_FAILED");
      await expectCode(
        createApiKey(db, owner.id, { name: "x", scopes: ["read"], expiresAt: "2001-01-01T00:00:00Z" }),
        "VALIDATION_FAILED",
      );
      await expectCode(
        createApiKey(db, owner.id, { name: "x", scopes: ["root" as "read"] }),
        "VALIDATION_FAILED",
      );
    });

    test("sessions: token stored hashed, expiry, logout", async () => {
      const { db } = database;
      const u = await createUser(db, { username: "maria", password: "mitchell-1847" });
      const s = await createSession(db, u.id, 1, { ip: "127.0.0.1", userAgent: "test" });
      const [row] = await db.select().from(sessions).where(eq(sessions.id, s.id));
      expect(row!.tokenHash).toBe(createHash("sha256").update(s.token).digest("hex"));
      expect(await findSession(db, s.token)).toEqual({ sessionId: s.id, user: u });
      expect(await findSession(db, "nope")).toBeNull();
      await db
        .update(sessions)
        .set({ expiresAt: new Date(Date.now() - 1) })
        .where(eq(sessions.id, s.id));
      expect(await findSession(db, s.token)).toBeNull();
      await deleteExpiredSessions(db);
      expect(await db.select().from(sessions).where(eq(sessions.id, s.id))).toEqual([]);
      const s2 = await createSession(db, u.id, 1);
      await deleteSession(db, s2.token);
      expect(await findSession(db, s2.token)).toBeNull();
    });

    test("login limiter: per username and per IP, success clears the username", async () => {
      const { db } = database;
      const limits = { maxFailures: 3, windowMinutes: 15 };
      for (let i = 0; i < 3; i++) {
        await assertLoginAllowed(db, "10.0.0.1", "Target", limits);
        await recordLoginAttempt(db, `10.0.0.${i + 1}`, "Target", false);
      }
      // Three IPs failed once each against one username: that username is now locked everywhere.
      await expectCode(assertLoginAllowed(db, "10.9.9.9", "target", limits), "RATE_LIMITED");
      await assertLoginAllowed(db, "10.0.0.1", "someone-else", limits);
      await recordLoginAttempt(db, "10.9.9.9", "target", true);
      await assertLoginAllowed(db, "10.9.9.9", "target", limits);
      // One IP failing against many usernames is locked too.
      for (const name of ["a", "b", "c"]) await recordLoginAttempt(db, "10.6.6.6", name, false);
      await expectCode(assertLoginAllowed(db, "10.6.6.6", "fresh-name", limits), "RATE_LIMITED");
    });
  });
});
