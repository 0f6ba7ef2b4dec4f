/**
 * Server configuration, read once from environment variables and validated. Every variable is
 * documented in docs/server.md; a malformed value raises one {@link ConfigError} naming it.
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "./errors.js";

/** pino log levels accepted in LOG_LEVEL. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The validated configuration of one server process. Paths are absolute. */
export interface Config {
  /** MERIDIAN_HOME: data directory holding the embedded database, storage and first-start files. */
  readonly home: string;
  /** HOST: interface to listen on. */
  readonly host: string;
  /** PORT: TCP port (0 picks a free one). */
  readonly port: number;
  /** DATABASE_URL: a postgres:// URL, or null for the embedded PGlite database in {@link pgliteDir}. */
  readonly databaseUrl: string | null;
  /** Data directory of the embedded PGlite database (`$MERIDIAN_HOME/db`). */
  readonly pgliteDir: string;
  /** MERIDIAN_STORAGE_DIR: root of the local file storage. */
  readonly storageDir: string;
  /** LOG_LEVEL: pino level. */
  readonly logLevel: LogLevel;
  /** MERIDIAN_PUBLIC_URL: the URL users reach the server at (behind a proxy), or null. */
  readonly publicUrl: string | null;
  /** MERIDIAN_SECURE_COOKIES: mark cookies Secure (default: true when the public URL is https). */
  readonly secureCookies: boolean;
  /** MERIDIAN_TRUST_PROXY: trust X-Forwarded-* headers (client IP for login rate limits). */
  readonly trustProxy: boolean;
  /** MERIDIAN_ADMIN_PASSWORD: password of the first admin, or null to generate one. */
  readonly adminPassword: string | null;
  /** MERIDIAN_DEMO: create demo content on first start. */
  readonly demo: boolean;
  /** MERIDIAN_BODY_LIMIT: largest accepted JSON request body, bytes. */
  readonly bodyLimitBytes: number;
  /** MERIDIAN_SESSION_TTL_HOURS: lifetime of a login session, hours. */
  readonly sessionTtlHours: number;
  /** MERIDIAN_LOGIN_MAX_FAILURES: failed logins allowed per IP and per username in one window. */
  readonly loginMaxFailures: number;
  /** MERIDIAN_LOGIN_WINDOW_MINUTES: length of the login rate-limit window, minutes. */
  readonly loginWindowMinutes: number;
  /** MERIDIAN_SHUTDOWN_TIMEOUT_MS: how long shutdown waits for in-flight requests, milliseconds. */
  readonly shutdownTimeoutMs: number;
  /** MERIDIAN_WEB_DIR: built web app to serve at `/` (skipped when the directory is absent). */
  readonly webDir: string;
}

/** Environment as read by {@link loadConfig}; `process.env` fits. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Where the web app's build lands in this repository (apps/web/dist), from src/ or dist/. */
const DEFAULT_WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../web/dist");

/**
 * Read and validate the configuration from `env` (default `process.env`). Relative paths are
 * resolved against `cwd` (default `process.cwd()`).
 *
 * @throws ConfigError naming the first variable whose value is malformed.
 */
export function loadConfig(env: Environment = process.env, cwd: string = process.cwd()): Config {
  const home = path(env, "MERIDIAN_HOME", cwd) ?? resolve(cwd, ".meridian");
  const databaseUrl = postgresUrl(env, "DATABASE_URL");
  const publicUrl = httpUrl(env, "MERIDIAN_PUBLIC_URL");
  const adminPassword = text(env, "MERIDIAN_ADMIN_PASSWORD");
  if (adminPassword !== null && adminPassword.length < 8) {
    throw new ConfigError("MERIDIAN_ADMIN_PASSWORD", "must be at least 8 characters long");
  }
  return {
    home,
    host: text(env, "HOST") ?? "127.0.0.1",
    port: integer(env, "PORT", 0, 65535) ?? 8080,
    databaseUrl,
    pgliteDir: resolve(home, "db"),
    storageDir: path(env, "MERIDIAN_STORAGE_DIR", cwd) ?? resolve(home, "storage"),
    logLevel: logLevel(env, "LOG_LEVEL") ?? "info",
    publicUrl,
    secureCookies: boolean(env, "MERIDIAN_SECURE_COOKIES") ?? publicUrl?.startsWith("https:") ?? false,
    trustProxy: boolean(env, "MERIDIAN_TRUST_PROXY") ?? false,
    adminPassword,
    demo: boolean(env, "MERIDIAN_DEMO") ?? true,
    bodyLimitBytes: integer(env, "MERIDIAN_BODY_LIMIT", 1024, 1024 ** 3) ?? 1024 * 1024,
    sessionTtlHours: integer(env, "MERIDIAN_SESSION_TTL_HOURS", 1, 24 * 366) ?? 24 * 14,
    loginMaxFailures: integer(env, "MERIDIAN_LOGIN_MAX_FAILURES", 1, 1_000_000) ?? 10,
    loginWindowMinutes: integer(env, "MERIDIAN_LOGIN_WINDOW_MINUTES", 1, 24 * 60) ?? 15,
    shutdownTimeoutMs: integer(env, "MERIDIAN_SHUTDOWN_TIMEOUT_MS", 0, 3_600_000) ?? 10_000,
    webDir: path(env, "MERIDIAN_WEB_DIR", cwd) ?? DEFAULT_WEB_DIR,
  };
}

function text(env: Environment, name: string): string | null {
  const value = env[name];
  return value === undefined || value.trim() === "" ? null : value;
}

function path(env: Environment, name: string, cwd: string): string | null {
  const value = text(env, name);
  if (value === null) return null;
  if (value.includes("\0")) throw new ConfigError(name, "must be a file system path");
  return isAbsolute(value) ? resolve(value) : resolve(cwd, value);
}

function integer(env: Environment, name: string, min: number, max: number): number | null {
  const value = text(env, name);
  if (value === null) return null;
  if (!/^\d+$/.test(value.trim())) throw new ConfigError(name, `expected an integer, got "${value}"`);
  const n = Number(value.trim());
  if (n < min || n > max) throw new ConfigError(name, `expected ${min} to ${max}, got ${n}`);
  return n;
}

function boolean(env: Environment, name: string): boolean | null {
  const value = text(env, name)?.trim().toLowerCase() ?? null;
  if (value === null) return null;
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off"].includes(value)) return false;
  throw new ConfigError(name, `expected true/false (or 1/0, yes/no, on/off), got "${env[name]}"`);
}

function logLevel(env: Environment, name: string): LogLevel | null {
  const value = text(env, name)?.trim().toLowerCase() ?? null;
  if (value === null) return null;
  const level = LOG_LEVELS.find((l) => l === value);
  if (level === undefined) {
    throw new ConfigError(name, `expected one of ${LOG_LEVELS.join(", ")}, got "${env[name]}"`);
  }
  return level;
}

function parseUrl(name: string, value: string): URL {
  try {
    return new URL(value);
  } catch (cause) {
    throw new ConfigError(name, `not a valid URL: "${value}"`, { cause });
  }
}

function postgresUrl(env: Environment, name: string): string | null {
  const value = text(env, name)?.trim() ?? null;
  if (value === null) return null;
  const url = parseUrl(name, value);
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new ConfigError(name, `expected a postgres:// or postgresql:// URL, got "${url.protocol}//…"`);
  }
  return value;
}

function httpUrl(env: Environment, name: string): string | null {
  const value = text(env, name)?.trim() ?? null;
  if (value === null) return null;
  const url = parseUrl(name, value);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(name, `expected an http:// or https:// URL, got "${value}"`);
  }
  return url.href.replace(/\/$/, "");
}
