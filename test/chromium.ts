/**
 * Finds Debian's Chromium for browser tests. Order: `MERIDIAN_CHROMIUM`, then `/usr/bin/chromium`.
 * When `CI=true` and none is present, installs it with apt (as root) so CI never silently skips;
 * elsewhere returns null and the caller skips with {@link chromiumSkipReason}.
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** Flags that keep a headless Chromium quiet, offline and deterministic in containers and CI. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function candidates(): string[] {
  const fromEnv = process.env.MERIDIAN_CHROMIUM?.trim();
  return fromEnv ? [fromEnv, DEBIAN_CHROMIUM] : [DEBIAN_CHROMIUM];
}

/** Why {@link findChromium} returned null, for the skip message. */
export function chromiumSkipReason(): string {
  return `no Chromium at ${candidates().join(" or ")}; install it with "apt-get install -y chromium" or set MERIDIAN_CHROMIUM`;
}

function aptInstallChromium(): void {
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    throw new Error(`CI=true and Chromium is missing, but apt-get needs root (uid ${process.getuid()}).`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
    stdio: "inherit",
    env,
  });
}

/** Path of a Chromium executable, or null when there is none (and not in CI). */
export async function findChromium(): Promise<string | null> {
  const found = candidates().find(executable);
  if (found) return found;
  if (process.env.CI !== "true") return null;
  aptInstallChromium();
  if (executable(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  throw new Error(`CI=true: installed the chromium package but ${DEBIAN_CHROMIUM} is still missing.`);
}
