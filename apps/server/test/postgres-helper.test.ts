/** The shared PostgreSQL test helper: fails loudly in CI without a server, skips with a reason elsewhere. */
import { afterEach, expect, test, vi } from "vitest";
import { findPostgres } from "../../../test/postgres.js";

const saved = { DATABASE_URL: process.env.DATABASE_URL, CI: process.env.CI };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  vi.restoreAllMocks();
});

// Port 1 on loopback: nothing listens there, so the connection is refused at once.
const NOBODY = "postgres://postgres:hunter2@127.0.0.1:1/test";

test("without a server and CI=true: throws, naming the URL without its password", async () => {
  process.env.DATABASE_URL = NOBODY;
  process.env.CI = "true";
  const err = await findPostgres().then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(err?.message).toMatch(
    /^no PostgreSQL server answers at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test: /,
  );
  expect(err?.message).toContain("CI must run the PostgreSQL tests");
  expect(err?.message).not.toContain("hunter2");
});

test("without a server elsewhere: null, and the reason is printed", async () => {
  process.env.DATABASE_URL = NOBODY;
  delete process.env.CI;
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  expect(await findPostgres()).toBeNull();
  expect(warn).toHaveBeenCalledTimes(1);
  expect(String(warn.mock.calls[0]?.[0])).toMatch(
    /^\[postgres\] skipping PostgreSQL tests: no PostgreSQL server answers at/,
  );
});
