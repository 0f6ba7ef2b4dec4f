/**
 * `meridian remote` end to end against a real OpenSSH server on localhost: Debian's sshd started
 * here on a free port with its own config, host key and authorized key in a temp directory (the
 * system's sshd is not touched), key authentication for the current user, and this repository's
 * apps/cli/bin/meridian.js as the remote `meridian`. Checks the page and the API load through the
 * tunnel with the token (401 without), that Ctrl-C (SIGINT) or a dropped connection leave no
 * process on either side (ps, by a unique marker in every command line), the remembered per-host
 * settings, and --auto-init into a fresh remote home.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureDebianTool } from "../../../test/debian-tools.js";
import { repoRoot } from "../../../test/paths.js";

const bin = join(repoRoot, "apps/cli/bin/meridian.js");
const sshd = ensureDebianTool("/usr/sbin/sshd", "openssh-server");
const ssh = ensureDebianTool("ssh", "openssh-client");
const keygen = ensureDebianTool("ssh-keygen", "openssh-client");
const root = typeof process.getuid === "function" && process.getuid() === 0;
// sshd needs its privilege-separation directory; only root can create it.
if (root && sshd !== null) mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
const privsepOk = existsSync("/run/sshd") || !root;
if (!privsepOk) console.warn("skipping: /run/sshd is missing and cannot be created");
const canRun = sshd !== null && ssh !== null && keygen !== null && privsepOk;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const a = server.address();
      server.close(() => resolve(typeof a === "object" && a !== null ? a.port : 0));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Command lines of running processes that contain `marker` (ps is procps's, as in Debian). */
function processesWith(marker: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .filter((l) => l.includes(marker))
    .map((l) => l.trim());
}

async function noProcessesWith(marker: string, withinMs = 10_000): Promise<string[]> {
  const until = Date.now() + withinMs;
  let left = processesWith(marker);
  while (left.length > 0 && Date.now() < until) {
    await sleep(200);
    left = processesWith(marker);
  }
  return left;
}

interface Running {
  child: ChildProcess;
  url: string;
  base: string;
  token: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

describe.skipIf(!canRun)("meridian remote against a real sshd on localhost", () => {
  // Server files live apart from the marker directory, so only our processes carry the marker.
  const serverDir = mkdtempSync(join(tmpdir(), "mrs-"));
  const marker = mkdtempSync(join(tmpdir(), "meridian-remote-test-"));
  const data = join(marker, "data");
  const remoteHome = join(serverDir, "home");
  let server: ChildProcess | null = null;
  const started: ChildProcess[] = [];

  function meridianRemote(
    args: string[],
    configHome = join(marker, "config"),
    host = "meridian-test",
    env: Record<string, string> = {},
  ): Promise<Running> {
    const child = spawn(
      process.execPath,
      [bin, "remote", `${host}:${data}`, "--no-browser", "-F", join(marker, "ssh_config"), ...args],
      {
        env: { ...process.env, XDG_CONFIG_HOME: configHome, TMPDIR: marker, ...env },
        stdio: ["ignore", "pipe", "pipe"],
        // Its own process group, so a test can press "Ctrl-C" as a terminal does (the whole group).
        detached: true,
      },
    );
    started.push(child);
    let stdout = "";
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    return new Promise<Running>((resolve, reject) => {
      child.stdout?.on("data", (d: Buffer) => {
        stdout += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(stdout);
        if (m && stdout.includes("Ctrl-C"))
          resolve({ child, url: m[0], base: m[1]!, token: m[2]!, stderr: () => stderr, exit });
      });
      exit.then((code) => reject(new Error(`meridian remote exited (${code}): ${stdout}${stderr}`)));
    });
  }

  beforeAll(async () => {
    mkdirSync(data);
    mkdirSync(remoteHome);
    writeFileSync(join(data, "run.log"), "stage 1 ok\nERROR stage 2 failed\n");
    writeFileSync(join(data, "table.csv"), "a,b\n1,2\n");
    execFileSync(keygen!, ["-q", "-t", "ed25519", "-N", "", "-f", join(serverDir, "host_key")]);
    execFileSync(keygen!, ["-q", "-t", "ed25519", "-N", "", "-f", join(serverDir, "user_key")]);
    // A second key behind a passphrase, to count how often ssh asks for a secret.
    execFileSync(keygen!, ["-q", "-t", "ed25519", "-N", "sesame", "-f", join(serverDir, "locked_key")]);
    writeFileSync(
      join(serverDir, "authorized_keys"),
      `${readFileSync(join(serverDir, "user_key.pub"), "utf8")}${readFileSync(join(serverDir, "locked_key.pub"), "utf8")}`,
    );
    const port = await freePort();
    writeFileSync(
      join(serverDir, "sshd_config"),
      [
        `Port ${port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${join(serverDir, "host_key")}`,
        `PidFile ${join(serverDir, "sshd.pid")}`,
        `AuthorizedKeysFile ${join(serverDir, "authorized_keys")}`,
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "StrictModes no",
        // A fresh home for the remote user: --auto-init installs there, not into the real one.
        `SetEnv HOME=${remoteHome}`,
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(marker, "ssh_config"),
      [
        "Host meridian-test",
        "  HostName 127.0.0.1",
        `  Port ${port}`,
        `  User ${userInfo().username}`,
        `  IdentityFile ${join(serverDir, "user_key")}`,
        "  IdentitiesOnly yes",
        `  UserKnownHostsFile ${join(serverDir, "known_hosts")}`,
        "  StrictHostKeyChecking accept-new",
        "  LogLevel ERROR",
        // What a user's config may hold for a host; meridian remote must not be thrown by it.
        "  RemoteCommand echo this-would-clash",
        `  LocalForward 127.0.0.1:${port} 127.0.0.1:9`,
        "  ExitOnForwardFailure yes",
        "Host meridian-locked",
        "  HostName 127.0.0.1",
        `  Port ${port}`,
        `  User ${userInfo().username}`,
        `  IdentityFile ${join(serverDir, "locked_key")}`,
        "  IdentitiesOnly yes",
        `  UserKnownHostsFile ${join(serverDir, "known_hosts")}`,
        "  StrictHostKeyChecking accept-new",
        "  LogLevel ERROR",
        "",
      ].join("\n"),
    );
    server = spawn(sshd!, ["-D", "-e", "-f", join(serverDir, "sshd_config")], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let log = "";
    server.stderr?.on("data", (d: Buffer) => {
      log += d.toString();
    });
    for (let i = 0; i < 100 && !(await accepts(port)); i++) {
      if (server.exitCode !== null) throw new Error(`sshd did not start: ${log}`);
      await sleep(50);
    }
  });

  afterAll(async () => {
    for (const c of started) if (c.exitCode === null) c.kill("SIGKILL");
    if (server && server.exitCode === null) {
      const gone = new Promise((r) => server!.once("exit", r));
      server.kill("SIGTERM");
      await gone;
    }
    rmSync(marker, { recursive: true, force: true });
    rmSync(serverDir, { recursive: true, force: true });
  });

  test("the page and the API load through the tunnel with the token (401 without); Ctrl-C in a terminal leaves no process", async () => {
    const r = await meridianRemote(["--remote-command", bin]);
    // Both ends are running and carry the marker: the ssh processes here, sh and the viewer there.
    const before = processesWith(marker);
    expect(
      before.some((l) => / view .*--no-browser --host 127\.0\.0\.1 --port 0/.test(l) && l.includes("node")),
    ).toBe(true);
    expect(before.some((l) => l.includes("ssh ") && l.includes(" -M "))).toBe(true);
    expect(before.some((l) => l.includes("meridian-remote-watchdog"))).toBe(true);

    expect((await fetch(`${r.base}/api/list?path=`)).status).toBe(401);
    const list = await fetch(`${r.base}/api/list?path=`, { headers: { authorization: `Bearer ${r.token}` } });
    expect(list.status).toBe(200);
    const { entries } = (await list.json()) as { entries: { name: string; kind: string }[] };
    expect(entries.map((e) => [e.name, e.kind]).sort()).toEqual([
      ["run.log", "log"],
      ["table.csv", "csv"],
    ]);
    // Opening the printed URL trades the token for a cookie, then the page loads with it.
    const open = await fetch(r.url, { redirect: "manual" });
    expect(open.status).toBe(302);
    const cookie = open.headers.get("set-cookie")?.split(";")[0] ?? "";
    expect(cookie).toContain(r.token);
    const page = await fetch(`${r.base}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<!doctype html>");
    expect((await fetch(`${r.base}/`)).status).toBe(401);

    // Ctrl-C in a terminal: SIGINT to the whole foreground process group (ssh master included).
    process.kill(-r.child.pid!, "SIGINT");
    expect(await r.exit).toBe(0);
    expect(await noProcessesWith(marker)).toEqual([]);
    expect(existsSync(join(marker, "config", "meridian", "remote.json"))).toBe(true);
    const settings = JSON.parse(readFileSync(join(marker, "config", "meridian", "remote.json"), "utf8")) as {
      hosts: Record<string, { port: number; command: string }>;
    };
    expect(settings.hosts["meridian-test"]).toEqual({ port: Number(new URL(r.base).port), command: bin });
  }, 60_000);

  test("remembered command and port; a dropped connection stops the remote viewer", async () => {
    const settings = JSON.parse(readFileSync(join(marker, "config", "meridian", "remote.json"), "utf8")) as {
      hosts: Record<string, { port: number }>;
    };
    const r = await meridianRemote([]); // no --remote-command: remembered
    expect(Number(new URL(r.base).port)).toBe(settings.hosts["meridian-test"]!.port);
    const list = await fetch(`${r.base}/api/list?path=`, { headers: { authorization: `Bearer ${r.token}` } });
    expect(list.status).toBe(200);
    // Drop the connection: kill the ssh master hard, as a network failure would end it.
    const master = processesWith(marker).find((l) => l.includes("ssh ") && l.includes(" -M "));
    expect(master).toBeDefined();
    process.kill(Number(master!.split(/\s+/)[0]), "SIGKILL");
    expect(await r.exit).toBe(1);
    expect(r.stderr()).toContain("the connection to meridian-test ended");
    expect(await noProcessesWith(marker)).toEqual([]);
  }, 60_000);

  test("a secret is asked for once, however many ssh calls follow", async () => {
    // ssh asks through SSH_ASKPASS when forced to: the script counts the questions.
    const askpass = join(serverDir, "askpass.sh");
    const asked = join(serverDir, "asked");
    writeFileSync(askpass, `#!/bin/sh\necho "$1" >> '${asked}'\necho sesame\n`, { mode: 0o755 });
    const r = await meridianRemote(
      ["--remote-command", bin],
      join(marker, "config-locked"),
      "meridian-locked",
      {
        SSH_ASKPASS: askpass,
        SSH_ASKPASS_REQUIRE: "force",
        SSH_AUTH_SOCK: "",
      },
    );
    const list = await fetch(`${r.base}/api/list?path=`, { headers: { authorization: `Bearer ${r.token}` } });
    expect(list.status).toBe(200);
    r.child.kill("SIGINT");
    expect(await r.exit).toBe(0);
    const questions = readFileSync(asked, "utf8").trim().split("\n");
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatch(/passphrase/i);
    expect(await noProcessesWith(marker)).toEqual([]);
  }, 60_000);

  test("without Meridian on the remote side it says so; --auto-init installs it into ~/.meridian (Ctrl-C during the install leaves nothing running)", async () => {
    const fresh = join(marker, "config-fresh");
    const missing = meridianRemote([], fresh);
    await expect(missing).rejects.toThrow(/not installed on meridian-test: run again with --auto-init/);
    // Ctrl-C in the middle of the install stops it cleanly on both sides …
    const interrupted = spawn(
      process.execPath,
      [
        bin,
        "remote",
        `meridian-test:${data}`,
        "--no-browser",
        "-F",
        join(marker, "ssh_config"),
        "--auto-init",
      ],
      { env: { ...process.env, XDG_CONFIG_HOME: fresh, TMPDIR: marker }, stdio: ["ignore", "pipe", "pipe"] },
    );
    started.push(interrupted);
    const interruptedExit = new Promise<number | null>((r) => interrupted.once("exit", (code) => r(code)));
    let progress = "";
    await new Promise<void>((resolve) =>
      interrupted.stderr.on("data", (d: Buffer) => {
        progress += d.toString();
        if (progress.includes("Installing")) resolve();
      }),
    );
    interrupted.kill("SIGINT");
    expect(await interruptedExit).toBe(0);
    expect(await noProcessesWith(marker)).toEqual([]);
    // … and the next run installs from scratch.
    const r = await meridianRemote(["--auto-init"], fresh);
    expect(r.stderr()).toMatch(/Installing Meridian .* into ~\/\.meridian on meridian-test/);
    expect(existsSync(join(remoteHome, ".meridian", "bin", "meridian"))).toBe(true);
    expect(processesWith(marker).some((l) => l.includes(join(remoteHome, ".meridian", "app")))).toBe(true);
    const open = await fetch(r.url, { redirect: "manual" });
    const cookie = open.headers.get("set-cookie")?.split(";")[0] ?? "";
    const page = await fetch(`${r.base}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    r.child.kill("SIGINT");
    expect(await r.exit).toBe(0);
    expect(await noProcessesWith(marker)).toEqual([]);

    // An install of another version is used as it is, with a note that --auto-init updates it.
    const manifest = join(remoteHome, ".meridian", "app", "apps", "cli", "package.json");
    writeFileSync(
      manifest,
      readFileSync(manifest, "utf8").replace(/"version": "[^"]*"/, '"version": "0.0.1"'),
    );
    const old = await meridianRemote([], fresh);
    expect(old.stderr()).toMatch(
      /Meridian 0\.0\.1 in ~\/\.meridian on meridian-test, .* here: --auto-init updates it/,
    );
    old.child.kill("SIGINT");
    expect(await old.exit).toBe(0);
    expect(await noProcessesWith(marker)).toEqual([]);
  }, 90_000);
});
