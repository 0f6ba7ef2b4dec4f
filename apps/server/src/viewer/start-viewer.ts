/**
 * Start a viewer: `meridian view DIR` calls this. It serves exactly one directory tree, read-only,
 * on 127.0.0.1 by default, behind a fresh random token; nothing is ever written inside the tree.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyBaseLogger } from "fastify";
import type { App } from "../http/app-type.js";
import { buildViewerApp } from "./build-viewer-app.js";
import { prepareCacheDir } from "./cache-dir.js";
import { TreeRoot } from "./tree-root.js";
import type { ViewerContext } from "./viewer-context.js";
import { newViewerToken } from "./viewer-token.js";

/** Options of {@link startViewer}. */
export interface ViewerOptions {
  /** The directory to serve. */
  readonly dir: string;
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
  /** TCP port (default 0: a free one). */
  readonly port?: number;
  /** Token to use instead of a fresh random one (tests, `meridian remote`). */
  readonly token?: string;
  /** Built web app holding viewer.html (default MERIDIAN_WEB_DIR or apps/web/dist). */
  readonly webDir?: string;
  /** Environment for the cache location (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: FastifyBaseLogger;
  /** pino level when no logger is given (default "warn"). */
  readonly logLevel?: string;
}

/** A running viewer. */
export interface RunningViewer {
  /** Base URL, e.g. `http://127.0.0.1:8765`. */
  readonly url: string;
  /** URL to open in a browser: the base URL with `?token=…`. */
  readonly openUrl: string;
  readonly token: string;
  readonly port: number;
  /** Real path of the served tree. */
  readonly root: string;
  readonly cacheDir: string;
  readonly app: App;
  close(): Promise<void>;
}

const DEFAULT_WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../web/dist");

export async function startViewer(options: ViewerOptions): Promise<RunningViewer> {
  const env = options.env ?? process.env;
  const root = await TreeRoot.open(resolve(options.dir));
  const token = options.token ?? newViewerToken();
  const context: ViewerContext = {
    root,
    token,
    cacheDir: await prepareCacheDir(root.real, env),
    webDir: options.webDir ?? env.MERIDIAN_WEB_DIR ?? DEFAULT_WEB_DIR,
    streams: new Set(),
  };
  const app = await buildViewerApp(context, {
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
  });
  const host = options.host ?? "127.0.0.1";
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 0);
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const url = `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    openUrl: `${url}/?token=${token}`,
    token,
    port,
    root: root.real,
    cacheDir: context.cacheDir,
    app,
    close: () => {
      closing ??= app.close();
      return closing;
    },
  };
}
