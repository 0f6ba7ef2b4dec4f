/**
 * End-to-end test of the web app in Debian's Chromium against the real server (in-process,
 * embedded PGlite in a temporary MERIDIAN_HOME): sign in, create an API key and use it, revoke it,
 * add a user, sign out, sign in as that user, hit the login rate limit. Screenshots go to
 * test-artifacts/web/ (git-ignored).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig, type RunningServer, startServer } from "@meridian/server";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHROMIUM_ARGS, chromiumSkipReason, findChromium } from "../../../test/chromium.js";
import { repoRoot } from "../../../test/paths.js";

const webRoot = resolve(repoRoot, "apps/web");
const webDist = resolve(webRoot, "dist");
const artifacts = resolve(repoRoot, "test-artifacts/web");
const ADMIN_PASSWORD = "browser-test-password-1";
const USER_PASSWORD = "vera-rubin-password-2";
/** Low, so that the test reaches the login rate limit quickly. */
const LOGIN_MAX_FAILURES = 3;

const executablePath = await findChromium();
if (executablePath === null) console.warn(`[apps/web browser test] skipped: ${chromiumSkipReason()}`);

describe.skipIf(executablePath === null)("web app in Chromium against the real server", () => {
  let home: string;
  let server: RunningServer;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(webDist, "index.html"))) {
      const { build } = await import("vite");
      await build({ configFile: join(webRoot, "vite.config.ts"), logLevel: "warn" });
    }
    // Fresh screenshots only: a stale one from an earlier run would mislead.
    await rm(artifacts, { recursive: true, force: true });
    await mkdir(artifacts, { recursive: true });
    home = await mkdtemp(join(tmpdir(), "meridian-web-test-"));
    const config = loadConfig({
      MERIDIAN_HOME: home,
      HOST: "127.0.0.1",
      PORT: "0",
      MERIDIAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      MERIDIAN_DEMO: "false",
      MERIDIAN_LOGIN_MAX_FAILURES: String(LOGIN_MAX_FAILURES),
      MERIDIAN_WEB_DIR: webDist,
      LOG_LEVEL: "silent",
    });
    server = await startServer(config, { handleSignals: false });
    baseUrl = server.url;
    browser = await chromium.launch({ executablePath: executablePath!, args: [...CHROMIUM_ARGS] });
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: "light" });
    page = await context.newPage();
    page.on("pageerror", (err) => pageErrors.push(err.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  async function screenshot(name: string, fullPage = false): Promise<void> {
    if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage });
  }

  function bearer(secret: string, path: string): Promise<Response> {
    return fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${secret}` } });
  }

  test("sign in, create an API key that works once shown, revoke it, add a user, sign out", async () => {
    // Signed out: every path leads to the sign-in page.
    await page.goto(`${baseUrl}/account`);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
    await screenshot("01-login");

    // A wrong password shows the server's error.
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const loginAlert = page.getByRole("alert");
    await loginAlert.waitFor();
    expect(await loginAlert.textContent()).toContain("INVALID_CREDENTIALS");
    await screenshot("02-login-error");

    // Sign in: back to the page asked for.
    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Account", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/account");
    expect(await page.getByTestId("profile-username").textContent()).toBe("admin");

    // The overview shows the server's health.
    const health = (await (await fetch(`${baseUrl}/api/health`)).json()) as { version: string };
    await page.getByRole("link", { name: "Overview" }).click();
    await expectText(page.getByTestId("health-version"), health.version);
    await expectText(page.getByTestId("health-status"), "ok");
    await screenshot("03-overview", true);

    // On a phone the navigation folds behind a menu button.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByRole("button", { name: "Toggle navigation" }).click();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).waitFor();
    await screenshot("03-overview-phone-menu");
    await page.getByRole("button", { name: "Toggle navigation" }).click();
    await page.setViewportSize({ width: 1280, height: 860 });

    // Create an API key: the secret is shown once.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
    await page.getByLabel("Key name").fill("browser test key");
    await page.getByRole("checkbox", { name: /upload/ }).check();
    await page.getByRole("button", { name: "Create key" }).click();
    const secretBox = page.getByTestId("api-key-secret");
    await secretBox.waitFor();
    const secret = (await secretBox.textContent())?.trim() ?? "";
    expect(secret).toMatch(/^mk_/);
    await secretBox.scrollIntoViewIfNeeded();
    await screenshot("04-api-key-secret");

    // The secret authenticates API requests with a Bearer header.
    const listed = await bearer(secret, "/api/apikeys");
    expect(listed.status).toBe(200);
    const { items } = (await listed.json()) as {
      items: { name: string; scopes: string[]; prefix: string }[];
    };
    const key = items.find((k) => k.name === "browser test key");
    expect(key?.scopes).toEqual(["read", "upload"]);
    expect(secret.startsWith(key?.prefix ?? "?")).toBe(true);
    expect(JSON.stringify(items)).not.toContain(secret);

    // Once dismissed, the secret is gone from the page, also after a reload.
    await page.getByRole("button", { name: "I have copied it" }).click();
    await expect.poll(() => secretBox.count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await page.getByRole("cell", { name: "browser test key", exact: true }).waitFor();
    expect(await page.content()).not.toContain(secret);
    // The Bearer request above counts as a use.
    const keyRow = page.getByRole("row").filter({ hasText: "browser test key" });
    expect(await keyRow.getByRole("cell").nth(4).textContent()).not.toBe("Never");
    await screenshot("05-account", true);
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot("05-account-dark", true);
    await page.emulateMedia({ colorScheme: "light" });

    // Revoke it after confirming: the key stops working.
    await page.getByRole("button", { name: "Revoke browser test key" }).click();
    await page.getByRole("dialog").waitFor();
    await screenshot("06-revoke-confirm");
    await page.getByRole("button", { name: "Revoke key" }).click();
    await page.getByText("Revoked", { exact: true }).waitFor();
    expect((await bearer(secret, "/api/apikeys")).status).toBe(401);

    // An administrator adds a user.
    await page.getByRole("link", { name: "Users" }).click();
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    const form = page.getByRole("form", { name: "Create user" });
    await form.getByLabel("Username").fill("vera");
    await form.getByLabel("Display name").fill("Vera Rubin");
    await form.getByLabel("Email (optional)").fill("vera@example.org");
    await form.getByLabel("Initial password").fill(USER_PASSWORD);
    await form.getByRole("button", { name: "Create user" }).click();
    await page.getByRole("cell", { name: "vera", exact: true }).waitFor();
    await screenshot("07-users", true);

    // Sign out: back at sign-in, and the session no longer exists.
    await page.getByRole("link", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
    const meStatus = await page.evaluate(async () => (await fetch("/api/auth/me")).status);
    expect(meStatus).toBe(401);
    expect((await context.cookies()).filter((c) => c.name === "meridian_session" && c.value !== "")).toEqual(
      [],
    );
    await screenshot("08-signed-out");

    // The new user signs in and sees no administration pages.
    await page.getByLabel("Username").fill("vera");
    await page.getByLabel("Password").fill(USER_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Welcome, Vera Rubin" }).waitFor();
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link").allTextContents()).toEqual([
      "Overview",
      "Portals",
      "Planner",
      "Satellite check",
      "Account",
    ]);
    await page.goto(`${baseUrl}/admin/users`);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();

    // Repeated wrong passwords hit the login rate limit, and the page says when to try again.
    await page.getByRole("link", { name: "Sign out" }).click();
    const alert = page.getByRole("alert");
    for (let attempt = 0; attempt < LOGIN_MAX_FAILURES + 1; attempt++) {
      await page.getByLabel("Username").fill("vera");
      await page.getByLabel("Password").fill("wrong-password");
      const answered = page.waitForResponse((r) => r.url().endsWith("/api/auth/login"));
      await page.getByRole("button", { name: "Sign in" }).click();
      const status = (await answered).status();
      await alert.filter({ hasText: status === 429 ? "RATE_LIMITED" : "INVALID_CREDENTIALS" }).waitFor();
      if (status === 429) break;
    }
    expect(await alert.textContent()).toMatch(/RATE_LIMITED/);
    expect(await alert.textContent()).toMatch(/\(in \d+ (s|min|h)/);
    await screenshot("09-rate-limited");

    expect(pageErrors).toEqual([]);
  }, 90_000);
});

/** Wait until the locator's text equals `text` (the page fills it in after a fetch). */
async function expectText(locator: ReturnType<Page["getByTestId"]>, text: string): Promise<void> {
  await expect.poll(async () => (await locator.textContent())?.trim(), { timeout: 10_000 }).toBe(text);
}
