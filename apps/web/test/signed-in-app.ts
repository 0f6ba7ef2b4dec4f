/**
 * Browser-test harness for the web app: builds the app into a temporary folder (so a stale or
 * concurrent apps/web/dist cannot mislead), starts the real server on embedded PGlite with a known
 * admin password, opens Debian's Chromium and signs in as `admin`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig, type RunningServer, startServer } from "@meridian/server";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { CHROMIUM_ARGS } from "../../../test/chromium.js";
import { repoRoot } from "../../../test/paths.js";

export interface SignedInApp {
  readonly server: RunningServer;
  readonly browser: Browser;
  readonly page: Page;
  /** Uncaught errors of the page, in order. */
  readonly pageErrors: string[];
  /** Close the browser and the server and remove the build and the server's home. */
  close(): Promise<void>;
}

export async function startSignedInApp(options: {
  /** Names the temporary folders, e.g. "plan". */
  name: string;
  executablePath: string;
  password: string;
  /** Extra browser-context options (time zone, ...). */
  context?: BrowserContextOptions;
}): Promise<SignedInApp> {
  const dist = await mkdtemp(join(tmpdir(), `meridian-${options.name}-web-`));
  const home = await mkdtemp(join(tmpdir(), `meridian-${options.name}-test-`));
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.close();
    await rm(home, { recursive: true, force: true });
    await rm(dist, { recursive: true, force: true });
  };
  try {
    const { build } = await import("vite");
    await build({
      configFile: resolve(repoRoot, "apps/web/vite.config.ts"),
      logLevel: "warn",
      build: { outDir: dist, sourcemap: false },
    });
    const config = loadConfig({
      MERIDIAN_HOME: home,
      HOST: "127.0.0.1",
      PORT: "0",
      MERIDIAN_ADMIN_PASSWORD: options.password,
      MERIDIAN_DEMO: "false",
      MERIDIAN_WEB_DIR: dist,
      LOG_LEVEL: "silent",
    });
    server = await startServer(config, { handleSignals: false });
    browser = await chromium.launch({ executablePath: options.executablePath, args: [...CHROMIUM_ARGS] });
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
      colorScheme: "light",
      acceptDownloads: true,
      ...options.context,
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(options.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    return { server, browser, page, pageErrors, close };
  } catch (err) {
    await close();
    throw err;
  }
}
