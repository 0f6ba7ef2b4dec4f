/**
 * The remote side of `meridian remote`: find Meridian there, start `meridian view` bound to
 * 127.0.0.1 on a free port with a fresh token, and read the URL it prints.
 *
 * The viewer runs under a one-line sh wrapper that keeps reading the session's stdin: when the
 * session ends for any reason (we close stdin on Ctrl-C, this process dies, or the connection
 * drops and sshd closes the session), `cat` sees end-of-file and the wrapper stops the viewer.
 */
import type { ChildProcess } from "node:child_process";
import { remotePathWord, shQuote } from "./shell-quote.js";
import type { SshConnection } from "./ssh-connection.js";

export interface RemoteProbe {
  readonly dirExists: boolean;
  /** `node --version` there (e.g. "v20.19.2"), or null. */
  readonly node: string | null;
  /** The first of the candidate commands that exists there, or null. */
  readonly command: string | null;
  /** Version of the `~/.meridian` install (from its package.json), or null. */
  readonly installedVersion: string | null;
}

/** The command as a shell snippet: `~/…` from the remote home; a single path quoted; words as typed. */
export function commandWords(command: string): string {
  if (command.startsWith("~")) return remotePathWord(command);
  return /\s/.test(command) ? command : shQuote(command);
}

/** A cheap existence test for a candidate (no node started: that costs a second or more). */
function existsTest(command: string): string {
  if (/\s/.test(command)) return "true"; // words typed by the user: starting the viewer will tell
  if (command.includes("/")) return `[ -x ${commandWords(command)} ]`;
  return `command -v ${shQuote(command)} >/dev/null 2>&1`;
}

/**
 * Look at the remote machine in one round trip: does the directory exist, which node is there,
 * which of `candidates` (tried in order) exists, and the version of a `~/.meridian` install.
 */
export async function probeRemote(
  connection: SshConnection,
  dir: string,
  candidates: readonly string[],
): Promise<RemoteProbe> {
  const tries = candidates
    .map((c, i) => `${i === 0 ? "if" : "elif"} ${existsTest(c)}; then echo hit=${i}`)
    .join("; ");
  const script = [
    `if [ -d ${remotePathWord(dir)} ]; then echo dir=yes; else echo dir=no; fi`,
    'echo "node=$(node --version 2>/dev/null)"',
    `echo "installed=$(sed -n 's/^ *"version": *"\\([^"]*\\)".*/\\1/p' "$HOME/.meridian/app/apps/cli/package.json" 2>/dev/null | head -n 1)"`,
    ...(candidates.length > 0 ? [`${tries}; fi`] : []),
  ].join("; ");
  const r = await connection.run(script);
  if (r.code !== 0)
    throw new Error(`could not inspect ${connection.destination}: ${r.stderr.trim() || `exit ${r.code}`}`);
  const values = new Map<string, string>();
  for (const line of r.stdout.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0 && !values.has(line.slice(0, eq))) values.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  return {
    dirExists: values.get("dir") === "yes",
    node: values.get("node") || null,
    command: candidates[Number(values.get("hit") ?? -1)] ?? null,
    installedVersion: values.get("installed") || null,
  };
}

/** Node's major version from `v20.19.2`, or 0. */
export function nodeMajor(version: string | null): number {
  return Number(/^v(\d+)\./.exec(version ?? "")?.[1] ?? 0);
}

export interface RemoteViewer {
  readonly session: ChildProcess;
  readonly port: number;
  readonly token: string;
}

/** The wrapper that runs `meridian view` and stops it when the session's stdin ends. */
export function viewerScript(command: string, dir: string): string {
  const view = `${commandWords(command)} view ${remotePathWord(dir)} --no-browser --host 127.0.0.1 --port 0`;
  return `${view} </dev/null & pid=$!; trap 'kill $pid 2>/dev/null' EXIT HUP INT TERM; cat >/dev/null; kill $pid 2>/dev/null; wait $pid`;
}

/** Start the viewer; resolves once it printed its URL (or rejects with what it said). */
export function startRemoteViewer(
  connection: SshConnection,
  command: string,
  dir: string,
  timeoutMs = 60_000,
): Promise<RemoteViewer> {
  const session = connection.start(viewerScript(command, dir));
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const fail = (message: string) => {
      clearTimeout(timer);
      session.stdin?.end();
      reject(new Error(message));
    };
    const timer = setTimeout(
      () =>
        fail(`the remote viewer printed no URL within ${timeoutMs / 1000} s: ${(stderr || stdout).trim()}`),
      timeoutMs,
    );
    session.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({ session, port: Number(m[1]), token: m[2]! });
      }
    });
    session.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
      const line = /^meridian: .*$/m.exec(stderr)?.[0];
      if (line) fail(`on ${connection.destination}: ${line}`);
    });
    session.once("close", (code) =>
      fail(`the remote viewer stopped (exit ${code}): ${(stderr || stdout).trim()}`),
    );
  });
}
