import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { loadConfig } from "./config.js";
import { isConfigError } from "./errors.js";

describe("loadConfig", () => {
  test("defaults: PGlite and storage under ./.meridian, loopback:8080, demo on", () => {
    const config = loadConfig({}, "/srv/app");
    expect(config).toMatchObject({
      home: "/srv/app/.meridian",
      host: "127.0.0.1",
      port: 8080,
      databaseUrl: null,
      pgliteDir: "/srv/app/.meridian/db",
      storageDir: "/srv/app/.meridian/storage",
      logLevel: "info",
      publicUrl: null,
      secureCookies: false,
      trustProxy: false,
      adminPassword: null,
      demo: true,
      bodyLimitBytes: 1048576,
      sessionTtlHours: 336,
      loginMaxFailures: 10,
      loginWindowMinutes: 15,
    });
  });

  test("every variable is read", () => {
    const config = loadConfig(
      {
        MERIDIAN_HOME: "data",
        HOST: "0.0.0.0",
        PORT: "9000",
        DATABASE_URL: "postgres://u@db:5432/meridian",
        MERIDIAN_STORAGE_DIR: "/var/meridian/files",
        LOG_LEVEL: "DEBUG",
        MERIDIAN_PUBLIC_URL: "https://meridian.example.org/",
        MERIDIAN_TRUST_PROXY: "yes",
        MERIDIAN_ADMIN_PASSWORD: "s3cret-enough",
        MERIDIAN_DEMO: "off",
        MERIDIAN_BODY_LIMIT: "2048",
        MERIDIAN_SESSION_TTL_HOURS: "24",
        MERIDIAN_LOGIN_MAX_FAILURES: "3",
        MERIDIAN_LOGIN_WINDOW_MINUTES: "5",
        MERIDIAN_SHUTDOWN_TIMEOUT_MS: "500",
        MERIDIAN_WEB_DIR: "web",
      },
      "/srv/app",
    );
    expect(config).toEqual({
      home: "/srv/app/data",
      host: "0.0.0.0",
      port: 9000,
      databaseUrl: "postgres://u@db:5432/meridian",
      pgliteDir: "/srv/app/data/db",
      storageDir: "/var/meridian/files",
      logLevel: "debug",
      publicUrl: "https://meridian.example.org",
      secureCookies: true,
      trustProxy: true,
      adminPassword: "s3cret-enough",
      demo: false,
      bodyLimitBytes: 2048,
      sessionTtlHours: 24,
      loginMaxFailures: 3,
      loginWindowMinutes: 5,
      shutdownTimeoutMs: 500,
      webDir: resolve("/srv/app/web"),
    });
  });

  test.each([
    ["PORT", "80a", 'PORT: expected an integer, got "80a"'],
    ["PORT", "70000", "PORT: expected 0 to 65535, got 70000"],
    [
      "DATABASE_URL",
      "mysql://x/y",
      'DATABASE_URL: expected a postgres:// or postgresql:// URL, got "mysql://…"',
    ],
    ["DATABASE_URL", "not a url", 'DATABASE_URL: not a valid URL: "not a url"'],
    [
      "LOG_LEVEL",
      "loud",
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
    ["MERIDIAN_DEMO", "maybe", 'MERIDIAN_DEMO: expected true/false (or 1/0, yes/no, on/off), got "maybe"'],
    [
      "MERIDIAN_PUBLIC_URL",
      "ftp://x",
      'MERIDIAN_PUBLIC_URL: expected an http:// or https:// URL, got "ftp://x"',
    ],
    ["MERIDIAN_ADMIN_PASSWORD", "short", "MERIDIAN_ADMIN_PASSWORD: must be at least 8 characters long"],
    ["MERIDIAN_BODY_LIMIT", "10", "MERIDIAN_BODY_LIMIT: expected 1024 to 1073741824, got 10"],
  ])("%s=%s is one clear error", (name, value, message) => {
    let caught: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      caught = err;
    }
    expect(isConfigError(caught)).toBe(true);
    expect((caught as Error).message).toBe(message);
  });

  test("empty values count as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: " " }, "/x")).toMatchObject({
      port: 8080,
      databaseUrl: null,
    });
  });
});
