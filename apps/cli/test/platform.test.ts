import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { changePassword, findUserByUsername, loadConfig, openDatabase } from "@meridian/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCaptured } from "./capture.js";

describe("meridian users / apikeys on the embedded database", () => {
  let home: string;
  const saved = process.env.MERIDIAN_HOME;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "meridian-cli-"));
    process.env.MERIDIAN_HOME = home;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.MERIDIAN_HOME;
    else process.env.MERIDIAN_HOME = saved;
    await rm(home, { recursive: true, force: true });
  });

  test("users create prints a generated password, list shows the user", async () => {
    const created = await runCaptured(["users", "create", "vera", "--json"]);
    expect(created.code).toBe(0);
    const body = JSON.parse(created.stdout) as {
      user: { username: string; isAdmin: boolean };
      password: string;
    };
    expect(body.user.username).toBe("vera");
    expect(body.user.isAdmin).toBe(false);
    expect(body.password.length).toBeGreaterThanOrEqual(16);

    const listed = await runCaptured(["users", "list", "--json"]);
    const list = JSON.parse(listed.stdout) as { items: { username: string }[] };
    expect(list.items.map((u) => u.username)).toEqual(["vera"]);

    const again = await runCaptured(["users", "create", "vera"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^meridian: .*vera.*\n$/);
  });

  test("apikeys create shows the secret once; list never shows it; revoke marks it", async () => {
    const created = await runCaptured([
      "apikeys",
      "create",
      "--user",
      "vera",
      "--name",
      "laptop",
      "--scopes",
      "read,upload",
      "--json",
    ]);
    expect(created.code).toBe(0);
    const { apiKey, secret } = JSON.parse(created.stdout) as {
      apiKey: { id: string; scopes: string[] };
      secret: string;
    };
    expect(secret).toMatch(/^mk_/);
    expect(apiKey.scopes).toEqual(["read", "upload"]);

    const listed = await runCaptured(["apikeys", "list", "--user", "vera", "--json"]);
    expect(listed.stdout).not.toContain(secret);
    const items = (JSON.parse(listed.stdout) as { items: { id: string; revokedAt: string | null }[] }).items;
    expect(items.map((k) => [k.id, k.revokedAt])).toEqual([[apiKey.id, null]]);

    const revoked = await runCaptured(["apikeys", "revoke", apiKey.id, "--user", "vera", "--json"]);
    expect(revoked.code).toBe(0);
    expect(
      (JSON.parse(revoked.stdout) as { apiKey: { revokedAt: string | null } }).apiKey.revokedAt,
    ).not.toBeNull();
  });

  test("users set-password replaces the password", async () => {
    const created = await runCaptured(["users", "create", "mira", "--json"]);
    const oldPassword = (JSON.parse(created.stdout) as { password: string }).password;
    const reset = await runCaptured(["users", "set-password", "mira", "--json"]);
    expect(reset.code).toBe(0);
    const newPassword = (JSON.parse(reset.stdout) as { password: string }).password;
    expect(newPassword).not.toBe(oldPassword);

    const { db, close } = await openDatabase(loadConfig(process.env));
    try {
      const mira = await findUserByUsername(db, "mira");
      expect(mira).not.toBeNull();
      const id = mira?.id ?? "";
      await expect(changePassword(db, id, oldPassword, "another-password-1")).rejects.toThrow();
      await expect(changePassword(db, id, newPassword, "another-password-1")).resolves.toBeUndefined();
    } finally {
      await close();
    }

    const missing = await runCaptured(["users", "set-password", "nobody"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('meridian: no user named "nobody"\n');
  });

  test("errors are one line with a non-zero exit code", async () => {
    const noUser = await runCaptured(["apikeys", "create", "--user", "nobody", "--name", "x"]);
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toBe('meridian: no user named "nobody"\n');

    const badScope = await runCaptured([
      "apikeys",
      "create",
      "--user",
      "vera",
      "--name",
      "x",
      "--scopes",
      "root",
    ]);
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toContain('unknown scope "root"');
  });
});
