/**
 * Per-host settings `meridian remote` remembers between runs, in
 * `$XDG_CONFIG_HOME/meridian/remote.json` (default `~/.config/meridian/remote.json`):
 * the local port used last (reused when free, so browser bookmarks keep working) and the remote
 * command that started the viewer.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export interface HostSettings {
  /** Local port of the last tunnel. */
  readonly port?: number;
  /** Remote command that runs Meridian (`meridian`, `~/.meridian/bin/meridian`, …). */
  readonly command?: string;
}

export function remoteSettingsPath(): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "meridian", "remote.json");
}

function readAll(path: string): Record<string, HostSettings> {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { hosts?: unknown };
    const hosts = parsed.hosts;
    if (typeof hosts !== "object" || hosts === null) return {};
    const out: Record<string, HostSettings> = {};
    for (const [host, value] of Object.entries(hosts as Record<string, unknown>)) {
      if (typeof value !== "object" || value === null) continue;
      const v = value as { port?: unknown; command?: unknown };
      out[host] = {
        ...(Number.isInteger(v.port) && (v.port as number) > 0 && (v.port as number) < 65536
          ? { port: v.port as number }
          : {}),
        ...(typeof v.command === "string" && v.command !== "" ? { command: v.command } : {}),
      };
    }
    return out;
  } catch {
    // Missing or damaged: start afresh (the file only holds conveniences).
    return {};
  }
}

/** What was remembered for `destination` (empty when nothing). */
export function loadHostSettings(destination: string, path = remoteSettingsPath()): HostSettings {
  return readAll(path)[destination] ?? {};
}

/** Remember `settings` for `destination` (written to a temp file, then renamed; mode 0600). */
export function saveHostSettings(
  destination: string,
  settings: HostSettings,
  path = remoteSettingsPath(),
): void {
  const all = readAll(path);
  all[destination] = { ...all[destination], ...settings };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ hosts: all }, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}
