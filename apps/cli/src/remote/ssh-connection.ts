/**
 * One SSH connection made with the system `ssh` client as a ControlMaster; every later command,
 * file copy and port forward goes over it through a control socket in a private temp directory,
 * so the user authenticates (password, key passphrase, host-key question) at most once.
 *
 * The master's own session runs `cat` on the remote side reading our stdin: if this process dies,
 * the pipe closes, the remote `cat` ends, and the master (ControlPersist=no) exits with it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shCommand } from "./shell-quote.js";

export interface SshOptions {
  /** The ssh program (default `ssh` on PATH). */
  readonly ssh?: string;
  /** An ssh_config file (`ssh -F`). */
  readonly configFile?: string;
  /** Extra `-o` options, e.g. `Port=2222`. */
  readonly options?: readonly string[];
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Unix socket paths are limited to about 104 bytes, and ssh appends a random suffix while binding. */
function controlDirectory(): string {
  const base = tmpdir().length <= 60 ? tmpdir() : "/tmp";
  return mkdtempSync(join(base, "meridian-ssh-"));
}

function lastLines(text: string, n = 6): string {
  return text.trim().split("\n").slice(-n).join("\n");
}

export class SshConnection {
  private closing = false;
  private readonly exited: Promise<number | null>;
  private masterStderr = "";

  private constructor(
    readonly destination: string,
    private readonly ssh: string,
    private readonly baseArgs: readonly string[],
    private readonly controlDir: string,
    private readonly master: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      master.once("exit", (code) => resolve(code));
      master.once("error", () => resolve(null)); // never started: no "exit" will follow
    });
    master.stderr?.on("data", (d: Buffer) => {
      this.masterStderr = (this.masterStderr + d.toString()).slice(-8192);
    });
  }

  /** The control socket every other ssh call uses. */
  get controlPath(): string {
    return join(this.controlDir, "c");
  }

  /**
   * Connect (authenticating once) and resolve when the control socket answers. Aborting `signal`
   * (Ctrl-C while ssh asks for a password) ends the attempt and cleans up.
   */
  static async open(destination: string, options: SshOptions, signal?: AbortSignal): Promise<SshConnection> {
    const ssh = options.ssh ?? "ssh";
    const baseArgs = [
      ...(options.configFile ? ["-F", options.configFile] : []),
      ...(options.options ?? []).flatMap((o) => ["-o", o]),
    ];
    const controlDir = controlDirectory();
    const control = join(controlDir, "c");
    const master = spawn(
      ssh,
      [
        ...baseArgs,
        "-M",
        "-S",
        control,
        "-o",
        "ControlPersist=no",
        // The user's ssh_config may ask for a RemoteCommand or forwardings of its own for this
        // host; they would clash with ours (or fail on a port in use), so not for this connection.
        "-o",
        "RemoteCommand=none",
        "-o",
        "ClearAllForwardings=yes",
        "-o",
        "ServerAliveInterval=15",
        "-o",
        "ServerAliveCountMax=3",
        "-T",
        destination,
        // "; exit" keeps sh from exec-ing cat, so the labelled sh stays visible in ps.
        shCommand("cat >/dev/null; exit 0", `meridian-remote-watchdog ${control}`),
      ],
      { stdio: ["pipe", "ignore", "pipe"] },
    );
    const connection = new SshConnection(destination, ssh, baseArgs, controlDir, master);
    const spawnError = new Promise<Error>((resolve) => master.once("error", resolve));
    try {
      for (;;) {
        const outcome = await Promise.race([
          connection.exited.then((code) => ({ kind: "exit" as const, code })),
          spawnError.then((err) => ({ kind: "error" as const, err })),
          new Promise<{ kind: "tick" }>((r) => setTimeout(() => r({ kind: "tick" }), 150)),
        ]);
        if (signal?.aborted) throw new Error("interrupted");
        if (outcome.kind === "error")
          throw new Error(`cannot run ${ssh}: ${outcome.err.message} (is OpenSSH's client installed?)`);
        if (outcome.kind === "exit")
          throw new Error(
            `ssh to ${destination} failed (exit ${outcome.code}): ${lastLines(connection.masterStderr) || "no message"}`,
          );
        const check = await connection.control("check");
        if (check.code === 0) return connection;
      }
    } catch (err) {
      await connection.close();
      throw err;
    }
  }

  /** Resolves with the master's exit code when the connection ends (dropped, or closed by us). */
  get closed(): Promise<number | null> {
    return this.exited;
  }

  /** What the master printed last (for error messages). */
  get lastError(): string {
    return lastLines(this.masterStderr);
  }

  private clientArgs(): string[] {
    // Only ever through the master: if the control socket is gone (connection ended or being torn
    // down), ssh would silently open a new connection (maybe asking for a password); BatchMode
    // forbids asking and ProxyCommand=false makes that new connection fail at once.
    return [
      ...this.baseArgs,
      "-S",
      this.controlPath,
      "-o",
      "ControlMaster=no",
      "-o",
      "BatchMode=yes",
      "-o",
      "ProxyCommand=false",
      "-o",
      "RemoteCommand=none",
      "-o",
      "ClearAllForwardings=yes",
    ];
  }

  /**
   * A request to the master. Read no ssh_config (`-F none`): the socket says which connection,
   * and forwardings from the user's config would otherwise be requested along with ours.
   */
  private control(command: "check" | "exit" | "forward", extra: readonly string[] = []): Promise<RunResult> {
    return collect(
      spawn(this.ssh, ["-F", "none", "-S", this.controlPath, ...extra, "-O", command, this.destination]),
    );
  }

  /** Start `script` (one line of sh) on the remote side; stdin, stdout and stderr are pipes. */
  start(script: string): ChildProcess {
    if (this.closing) throw new Error(`the connection to ${this.destination} is closing`);
    // Its own process group: a Ctrl-C in the terminal reaches us (and the master) but not this
    // session, which we end in order (stdin closed → the remote side stops its process).
    return spawn(this.ssh, [...this.clientArgs(), "-T", this.destination, shCommand(script)], {
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
  }

  /** Run `script` and collect its output; `input` is streamed to its stdin. */
  run(script: string, input?: NodeJS.ReadableStream): Promise<RunResult> {
    const child = this.start(script);
    if (input) input.pipe(child.stdin!);
    else child.stdin?.end();
    return collect(child);
  }

  /** Forward 127.0.0.1:localPort here to 127.0.0.1:remotePort there, over the same connection. */
  async forward(localPort: number, remotePort: number): Promise<void> {
    const r = await this.control("forward", ["-L", `127.0.0.1:${localPort}:127.0.0.1:${remotePort}`]);
    if (r.code !== 0)
      throw new Error(
        `cannot forward local port ${localPort}: ${lastLines(r.stderr) || `ssh exit ${r.code}`}`,
      );
  }

  /** End the connection (and everything that runs over it) and remove the control directory. */
  async close(): Promise<void> {
    if (this.closing) {
      await this.exited;
      return;
    }
    this.closing = true;
    if (this.master.exitCode === null && this.master.signalCode === null) {
      this.master.stdin?.end();
      await this.control("exit").catch(() => undefined);
      const done = await Promise.race([this.exited.then(() => true), delay(3000).then(() => false)]);
      if (!done) {
        this.master.kill("SIGTERM");
        if (!(await Promise.race([this.exited.then(() => true), delay(2000).then(() => false)])))
          this.master.kill("SIGKILL");
        await this.exited;
      }
    }
    rmSync(this.controlDir, { recursive: true, force: true });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

/** Wait for a child and gather its output. */
export function collect(child: ChildProcess): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.once("error", (err) => resolve({ code: 127, stdout, stderr: `${stderr}${err.message}` }));
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
