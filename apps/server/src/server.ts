/**
 * Start the platform server: open (and migrate) the database, create the first accounts on an
 * empty database, listen, and shut down gracefully on SIGINT/SIGTERM.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyBaseLogger } from "fastify";
import { ensureFirstStart, type FirstStart, INITIAL_ADMIN_PASSWORD_FILE } from "./accounts/first-start.js";
import { pruneLoginAttempts } from "./accounts/login-limiter.js";
import { deleteExpiredSessions } from "./accounts/sessions.js";
import type { Config } from "./config.js";
import { type OpenDatabase, openDatabase } from "./db/open-database.js";
import { type AppDeps, buildApp } from "./http/app.js";
import type { App } from "./http/app-type.js";
import { addDemoFrames } from "./portal/uploads/demo-frames.js";
import { LocalStorage } from "./storage/local-storage.js";
import type { Storage } from "./storage/storage.js";

const HOUSEKEEPING_INTERVAL_MS = 3_600_000;

/** Options of {@link startServer}. */
export interface StartOptions {
  /** Install SIGINT/SIGTERM handlers that close the server gracefully (default true). */
  readonly handleSignals?: boolean;
  /** Logger to use instead of a new pino logger. */
  readonly logger?: FastifyBaseLogger;
  /** Register more routes before the server listens (see {@link AppDeps.extend}). */
  readonly extend?: AppDeps["extend"];
}

/** A running server. */
export interface RunningServer {
  /** Where to reach it: MERIDIAN_PUBLIC_URL, else `http://host:port` with the bound port. */
  readonly url: string;
  /** Credentials created on this start (first start only), else null. */
  readonly firstStart: FirstStart | null;
  /** `$MERIDIAN_HOME/initial-admin-password` when it exists, else null. */
  readonly adminPasswordFile: string | null;
  readonly app: App;
  readonly database: OpenDatabase;
  /** File storage in MERIDIAN_STORAGE_DIR. */
  readonly storage: Storage;
  /** Stop accepting requests, finish in-flight ones (up to MERIDIAN_SHUTDOWN_TIMEOUT_MS), close the database. */
  close(): Promise<void>;
}

/** Start the server described by `config`. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  await mkdir(config.home, { recursive: true });
  await mkdir(config.storageDir, { recursive: true });
  const storage = new LocalStorage(config.storageDir);
  // Temporary files of writers that died with an earlier process are garbage now.
  await storage.cleanupTemp();
  const database = await openDatabase(config);
  let app: App;
  let built: App | undefined;
  let firstStart: FirstStart | null;
  try {
    firstStart = await ensureFirstStart(database.db, {
      home: config.home,
      adminPassword: config.adminPassword,
      demo: config.demo,
    });
    app = await buildApp({
      config,
      database,
      storage,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.extend === undefined ? {} : { extend: options.extend }),
    });
    built = app;
    if (config.demo) await addDemoFrames(database.db, storage);
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    // e.g. EADDRINUSE: release the database (PGlite holds its data directory) before failing.
    await built?.close().catch(() => {});
    await database.close().catch(() => {});
    throw err;
  }

  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = config.publicUrl ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const passwordFile = join(config.home, INITIAL_ADMIN_PASSWORD_FILE);

  // Forget expired sessions and old login attempts now and then (any process may do it).
  const housekeeping = setInterval(() => {
    const limits = { maxFailures: config.loginMaxFailures, windowMinutes: config.loginWindowMinutes };
    Promise.all([deleteExpiredSessions(database.db), pruneLoginAttempts(database.db, limits)]).catch(
      (err: unknown) => app.log.warn({ err }, "housekeeping failed"),
    );
  }, HOUSEKEEPING_INTERVAL_MS);
  housekeeping.unref();

  let closing: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing !== undefined) {
      app.log.warn({ signal }, "second signal: exiting now");
      process.exit(130);
    }
    app.log.info({ signal }, "shutting down: finishing in-flight requests");
    close().catch((err: unknown) => {
      app.log.error({ err }, "shutdown failed");
      process.exitCode = 1;
    });
  };
  const handleSignals = options.handleSignals ?? true;
  if (handleSignals) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      clearInterval(housekeeping);
      if (handleSignals) {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
      // After the grace period, cut the connections still open so that close() completes.
      const timer = setTimeout(() => app.server.closeAllConnections(), config.shutdownTimeoutMs);
      timer.unref();
      // A keep-alive connection whose request finishes during shutdown turns idle; close it then.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      sweep.unref();
      try {
        await app.close();
      } finally {
        clearTimeout(timer);
        clearInterval(sweep);
        await database.close();
      }
    })();
    return closing;
  }

  return {
    url,
    firstStart,
    adminPasswordFile: existsSync(passwordFile) ? passwordFile : null,
    app,
    database,
    storage,
    close,
  };
}
