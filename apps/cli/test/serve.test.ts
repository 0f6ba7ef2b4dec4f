import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { repoRoot } from "../../../test/paths.js";

const bin = join(repoRoot, "apps/cli/bin/meridian.js");

/** Start `meridian serve` and resolve with its child process and everything it printed up to "Ctrl-C". */
function startServe(home: string): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, [bin, "serve", "--port", "0"], {
    env: {
      ...process.env,
      MERIDIAN_HOME: home,
      LOG_LEVEL: "warn",
      DATABASE_URL: "",
      MERIDIAN_ADMIN_PASSWORD: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
      if (output.includes("Ctrl-C")) resolve({ child, output });
    });
    child.stderr?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.once("exit", (code) => reject(new Error(`serve exited early (${code}): ${output}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("meridian serve (the quick-start path)", () => {
  const homes: string[] = [];
  afterAll(async () => {
    await Promise.all(homes.map((h) => rm(h, { recursive: true, force: true })));
  });

  test("prints a URL and admin credentials that log in; Ctrl-C stops it; a restart keeps the data", async () => {
    const home = await mkdtemp(join(tmpdir(), "meridian-serve-"));
    homes.push(home);
    const first = await startServe(home);
    const url = /running at (http:\/\/\S+)/.exec(first.output)?.[1];
    const password = /admin password: (\S+)/.exec(first.output)?.[1];
    expect(url).toBeDefined();
    expect(password).toBeDefined();

    const login = await fetch(`${url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const created = await fetch(`${url}/api/apikeys`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, "x-csrf-token": csrfToken },
      body: JSON.stringify({ name: "kept", scopes: ["read"] }),
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };

    const stopped = exitOf(first.child);
    first.child.kill("SIGINT");
    expect(await stopped).toBe(0);

    const second = await startServe(home);
    expect(second.output).not.toContain("admin password:");
    expect(second.output).toContain("initial-admin-password");
    const url2 = /running at (http:\/\/\S+)/.exec(second.output)?.[1];
    const keys = await fetch(`${url2}/api/apikeys`, { headers: { authorization: `Bearer ${secret}` } });
    expect(keys.status).toBe(200);
    const { items } = (await keys.json()) as { items: { name: string }[] };
    expect(items.map((k) => k.name)).toEqual(["kept"]);
    const stopped2 = exitOf(second.child);
    second.child.kill("SIGINT");
    expect(await stopped2).toBe(0);
  }, 60_000);
});
