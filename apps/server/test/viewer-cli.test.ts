/**
 * `meridian view DIR` as a user runs it (the built CLI): prints a tokenised 127.0.0.1 URL that
 * works, never fails for want of a browser opener, refuses bad options, and stops cleanly on
 * Ctrl-C.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoRoot } from "../../../test/paths.js";

const bin = join(repoRoot, "apps/cli/bin/meridian.js");

function startView(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, [bin, "view", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
      if (output.includes("Ctrl-C")) resolve({ child, output });
    });
    child.stderr?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.once("exit", (code) => reject(new Error(`view exited early (${code}): ${output}`)));
  });
}

describe("meridian view", () => {
  let base: string;
  let tree: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "meridian-view-cli-"));
    tree = join(base, "run");
    await mkdir(join(tree, "logs"), { recursive: true });
    await writeFile(join(tree, "logs", "a.log"), "hello\n");
  });
  afterAll(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  test("prints a working URL, survives a missing browser opener, and stops on Ctrl-C", async () => {
    // PATH without xdg-open/open: the command must still run and say so.
    const env = { ...process.env, PATH: join(base, "empty-bin"), MERIDIAN_VIEW_CACHE: join(base, "cache") };
    const { child, output } = await startView([tree], env);
    const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]{43})/.exec(output);
    expect(m, output).not.toBeNull();
    expect(output).toContain("no browser opener found");
    const [, url, token] = m!;
    expect((await fetch(`${url}/api/list?path=logs`)).status).toBe(401);
    const res = await fetch(`${url}/api/list?path=logs`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await res.json()) as { entries: { name: string }[] }).entries.map((e) => e.name)).toEqual([
      "a.log",
    ]);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/api/list`)).rejects.toThrow();
  });

  test("bad port and missing directory are one-line errors", () => {
    const env = { ...process.env, MERIDIAN_VIEW_CACHE: join(base, "cache") };
    const port = spawnSync(process.execPath, [bin, "view", tree, "--port", "99999", "--no-browser"], { env });
    expect(port.status).toBe(2);
    expect(port.stderr.toString()).toBe('meridian: --port must be an integer from 0 to 65535, not "99999"\n');
    const missing = spawnSync(process.execPath, [bin, "view", join(base, "nope"), "--no-browser"], { env });
    expect(missing.status).toBe(2);
    expect(missing.stderr.toString()).toBe(
      `meridian: ${join(base, "nope")}: no such directory [NOT_FOUND]\n`,
    );
  });
});
