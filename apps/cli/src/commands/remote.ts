/**
 * `meridian remote [user@]host:DIR`: browse a directory on another machine through one SSH
 * connection. Meridian runs `meridian view` there (bound to 127.0.0.1, fresh token), forwards a
 * local port to it over the same connection, and tears both ends down on Ctrl-C.
 */
import { createServer } from "node:net";
import type { Command } from "commander";
import { UsageError } from "../cli-error.js";
import { INSTALLED_COMMAND, installRemoteMeridian } from "../remote/install-remote.js";
import { loadHostSettings, saveHostSettings } from "../remote/remote-settings.js";
import { nodeMajor, probeRemote, type RemoteViewer, startRemoteViewer } from "../remote/remote-viewer.js";
import { SshConnection } from "../remote/ssh-connection.js";
import { parseRemoteTarget } from "../remote/target.js";
import { cliVersion } from "../version.js";
import { openBrowser } from "./view.js";

interface RemoteOptions {
  port?: string;
  browser?: boolean;
  autoInit?: boolean;
  remoteCommand?: string;
  sshConfig?: string;
  sshOption: string[];
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Which remote command runs Meridian: as given, remembered, on PATH, or installed by --auto-init. */
async function findRemoteMeridian(
  connection: SshConnection,
  dir: string,
  options: RemoteOptions,
  remembered: string | undefined,
): Promise<string> {
  const candidates =
    options.remoteCommand !== undefined
      ? [options.remoteCommand]
      : [...new Set([remembered, "meridian", INSTALLED_COMMAND].filter((c) => c !== undefined))];
  const probe = await probeRemote(connection, dir, candidates);
  if (!probe.dirExists) throw new UsageError(`${connection.destination}:${dir} is not a directory`);
  if (options.remoteCommand !== undefined && probe.command === null)
    throw new Error(`--remote-command ${options.remoteCommand} does not exist on ${connection.destination}`);
  const local = cliVersion();
  const installedOther = probe.installedVersion !== null && probe.installedVersion !== local;
  const update = options.autoInit && probe.command === INSTALLED_COMMAND && installedOther;
  if (probe.command !== null && !update) {
    if (probe.command === INSTALLED_COMMAND && installedOther)
      say(
        `  (Meridian ${probe.installedVersion} in ~/.meridian on ${connection.destination}, ${local} here: --auto-init updates it)`,
      );
    return probe.command;
  }
  if (!options.autoInit)
    throw new Error(
      `Meridian is not installed on ${connection.destination}: run again with --auto-init to install it into ~/.meridian (needs Node.js 20 or newer there), or give --remote-command PATH`,
    );
  if (nodeMajor(probe.node) < 20)
    throw new Error(
      `--auto-init needs Node.js 20 or newer on ${connection.destination}; found ${probe.node ?? "no node on PATH"}`,
    );
  await installRemoteMeridian(connection, (line) => say(line));
  return INSTALLED_COMMAND;
}

async function localPort(requested: string | undefined, remembered: number | undefined): Promise<number> {
  if (requested !== undefined) {
    const port = Number(requested);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new UsageError(`--port must be an integer from 1 to 65535, not ${JSON.stringify(requested)}`);
    if (!(await portFree(port)))
      throw new UsageError(`local port ${port} is in use; pick another with --port`);
    return port;
  }
  if (remembered !== undefined && (await portFree(remembered))) return remembered;
  return anyFreePort();
}

/** Resolves with why the session ended: null for Ctrl-C (or SIGTERM/SIGHUP), else what went wrong. */
function untilStopped(
  connection: SshConnection,
  viewer: RemoteViewer,
  stop: AbortSignal,
): Promise<string | null> {
  return new Promise((resolve) => {
    if (stop.aborted) resolve(null);
    stop.addEventListener("abort", () => resolve(null), { once: true });
    // Decide a moment after the first sign: a terminal Ctrl-C also reaches the ssh master (same
    // process group), which may exit just before our handler runs (a stop, not a drop), and a
    // dropped connection also ends the viewer's session (a drop, not a viewer failure).
    let masterGone = false;
    const decide = () =>
      setTimeout(() => {
        if (stop.aborted) resolve(null);
        else if (masterGone) resolve(`the connection to ${connection.destination} ended`);
        else resolve(`the viewer on ${connection.destination} stopped`);
      }, 300);
    connection.closed.then(() => {
      masterGone = true;
      decide();
    });
    viewer.session.once("close", decide);
  });
}

/** `promise`, or a rejection as soon as `stop` is aborted. */
function unlessStopped<T>(promise: Promise<T>, stop: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new InterruptedError());
    if (stop.aborted) onAbort();
    stop.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => stop.removeEventListener("abort", onAbort));
  });
}

class InterruptedError extends Error {
  constructor() {
    super("interrupted");
  }
}

async function stopViewer(viewer: RemoteViewer): Promise<void> {
  const session = viewer.session;
  if (session.exitCode !== null || session.signalCode !== null) return;
  const closed = new Promise<void>((r) => session.once("close", () => r()));
  session.stdin?.end();
  const timer = setTimeout(() => session.kill("SIGTERM"), 5000);
  await closed;
  clearTimeout(timer);
}

export function registerRemoteCommands(program: Command): void {
  program
    .command("remote")
    .description("browse a directory on another machine over one SSH connection (runs `meridian view` there)")
    .argument("<target>", "[user@]host:DIR (host may be an alias from ~/.ssh/config)")
    .option(
      "--port <port>",
      "local port of the tunnel (default: the one used last for this host, else a free one)",
    )
    .option("--no-browser", "do not open a browser; just print the URL")
    .option(
      "--auto-init",
      "install Meridian into ~/.meridian on the remote machine when missing (needs Node.js 20+ there)",
    )
    .option("--remote-command <cmd>", "how to run Meridian on the remote machine (remembered per host)")
    .option("-F, --ssh-config <file>", "ssh_config file to use (ssh -F)")
    .option(
      "-o, --ssh-option <option>",
      "extra ssh option, e.g. -o Port=2222 (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action(async (targetText: string, options: RemoteOptions) => {
      const target = parseRemoteTarget(targetText);
      const remembered = loadHostSettings(target.destination);
      const port = await localPort(options.port, remembered.port);
      // One handler for the whole run: Ctrl-C while connecting, installing or serving tears down.
      const stop = new AbortController();
      const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
      const onSignal = () => stop.abort();
      for (const s of signals) process.on(s, onSignal);
      let connection: SshConnection | null = null;
      let viewer: RemoteViewer | null = null;
      let reason: string | null = null;
      try {
        say(`Connecting to ${target.destination} …`);
        connection = await SshConnection.open(
          target.destination,
          { ...(options.sshConfig ? { configFile: options.sshConfig } : {}), options: options.sshOption },
          stop.signal,
        );
        const ssh = connection;
        const command = await unlessStopped(
          findRemoteMeridian(ssh, target.dir, options, remembered.command),
          stop.signal,
        );
        viewer = await unlessStopped(startRemoteViewer(ssh, command, target.dir), stop.signal);
        await unlessStopped(ssh.forward(port, viewer.port), stop.signal);
        saveHostSettings(target.destination, { port, command });
        const url = `http://127.0.0.1:${port}/?token=${viewer.token}`;
        const out = process.stdout;
        out.write(`\nMeridian viewer for ${target.destination}:${target.dir} (over ssh)\n`);
        out.write(`  ${url}\n`);
        if (options.browser !== false && !openBrowser(url)) {
          out.write("  (no browser opener found: open the URL above yourself)\n");
        }
        out.write("\nPress Ctrl-C to stop (the viewer on the remote machine stops too).\n\n");
        reason = await untilStopped(ssh, viewer, stop.signal);
      } catch (err) {
        // Ctrl-C before the viewer was up: not an error, just stop.
        if (!(err instanceof InterruptedError || stop.signal.aborted)) throw err;
      } finally {
        for (const s of signals) process.off(s, onSignal);
        if (viewer) await stopViewer(viewer);
        if (connection) await connection.close();
      }
      if (reason !== null) throw new Error(reason);
    });
}
