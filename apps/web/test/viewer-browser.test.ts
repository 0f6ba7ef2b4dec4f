/**
 * The product viewer in Debian's Chromium against a real `startViewer` on a generated scenario:
 * the token exchange, the overview, a log followed while a child process appends to it, an image
 * and the gallery lightbox, a 10,000-file listing, a sandboxed HTML report, Markdown that cannot
 * run scripts. Screenshots go to test-artifacts/viewer/ (git-ignored).
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type RunningViewer, startViewer } from "@meridian/server";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHROMIUM_ARGS, chromiumSkipReason, findChromium } from "../../../test/chromium.js";
import { repoFixture, repoRoot } from "../../../test/paths.js";

const webRoot = resolve(repoRoot, "apps/web");
const webDist = resolve(webRoot, "dist");
const artifacts = resolve(repoRoot, "test-artifacts/viewer");

const executablePath = await findChromium();
if (executablePath === null) console.warn(`[apps/web viewer browser test] skipped: ${chromiumSkipReason()}`);

describe.skipIf(executablePath === null)("product viewer in Chromium", () => {
  let base: string;
  let tree: string;
  let viewer: RunningViewer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(webDist, "viewer.html"))) {
      const { build } = await import("vite");
      await build({ configFile: join(webRoot, "vite.config.ts"), logLevel: "warn" });
    }
    await rm(artifacts, { recursive: true, force: true });
    await mkdir(artifacts, { recursive: true });
    base = await mkdtemp(join(tmpdir(), "meridian-viewer-browser-"));
    tree = join(base, "run");
    execFileSync(process.execPath, [
      repoFixture("viewer/make-scenario.mjs"),
      tree,
      "--small",
      "--many",
      "10000",
    ]);
    await writeFile(join(tree, "logs", "live.log"), "\u001b[32mINFO\u001b[0m pipeline started\n");
    viewer = await startViewer({
      dir: tree,
      webDir: webDist,
      env: { MERIDIAN_VIEW_CACHE: join(base, "cache") },
    });
    browser = await chromium.launch({ executablePath: executablePath!, args: [...CHROMIUM_ARGS] });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      colorScheme: "light",
    });
    page = await context.newPage();
    page.on("pageerror", (err) => pageErrors.push(err.message));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  const shot = (name: string, fullPage = false) =>
    page.screenshot({ path: join(artifacts, `${name}.png`), fullPage });

  test("without the token the page is refused; the token URL opens the overview", async () => {
    const refused = await page.goto(viewer.url);
    expect(refused?.status()).toBe(401);
    await page.goto(viewer.openUrl);
    expect(new URL(page.url()).search).toBe("");
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    const logs = page.getByRole("region", { name: "Logs" });
    await logs.waitFor();
    // The crashed run's card shows its error count and its fatal last line.
    const crashed = logs.locator(".log-card", { hasText: "logs/catalogue-005.log" });
    await expect.poll(() => crashed.locator(".badge-error").count()).toBe(1);
    expect(await crashed.locator(".log-error").last().textContent()).toMatch(/FATAL.*pipeline aborted/);
    await page.getByRole("region", { name: "Images" }).locator("img").first().waitFor();
    await page.getByRole("region", { name: "HTML reports" }).getByText("QA report 0: field 0").waitFor();
    const fitsThumb = page.getByRole("region", { name: "FITS" }).locator("img").first();
    await fitsThumb.scrollIntoViewIfNeeded();
    await expect.poll(() => fitsThumb.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(256);
    await shot("01-overview", true);
  });

  test("a log in follow mode shows lines a process appends", async () => {
    await page.goto(`${viewer.url}/view/logs/live.log`);
    await page.getByText("pipeline started").waitFor();
    await page.getByLabel("Follow").check();
    await page.locator(".live-badge").waitFor();
    const log = join(tree, "logs", "live.log");
    const child = spawn(
      process.execPath,
      [
        "-e",
        `const fs=require("fs");let i=0;const t=setInterval(()=>{i++;fs.appendFileSync(${JSON.stringify(log)},(i===3?"\\u001b[31mERROR\\u001b[0m step ":"\\u001b[32mINFO\\u001b[0m step ")+i+"\\n");if(i===6)clearInterval(t)},150)`,
      ],
      { stdio: "ignore" },
    );
    try {
      await page.locator(".log-line", { hasText: "step 6" }).waitFor({ timeout: 10_000 });
    } finally {
      child.kill();
    }
    const texts = await page.locator(".log-line .log-text").allTextContents();
    expect(texts).toEqual([
      "INFO pipeline started",
      "INFO step 1",
      "INFO step 2",
      "ERROR step 3",
      "INFO step 4",
      "INFO step 5",
      "INFO step 6",
    ]);
    expect(await page.locator(".log-line .log-n").allTextContents()).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
    ]);
    expect(await page.locator(".log-error .log-text").textContent()).toBe("ERROR step 3");
    expect(await page.locator(".log-error .ansi-fg-1").textContent()).toBe("ERROR");
    await shot("02-log-follow");
  });

  test("search in a log counts matches and jumps to them", async () => {
    await page.goto(`${viewer.url}/view/logs/calibrate-000.log`);
    await page.locator(".log-line").first().waitFor();
    await page.getByLabel("Search in file").fill("WARNING");
    await page.getByRole("button", { name: "Find" }).click();
    await page.locator(".search-count", { hasText: /matches/ }).waitFor();
    expect(await page.locator(".search-count").textContent()).toMatch(/^1 \/ \d+ matches$/);
    await page.locator(".log-current", { hasText: "WARNING" }).waitFor();
    await shot("03-log-search");
  });

  test("an image, and the gallery lightbox", async () => {
    await page.goto(`${viewer.url}/view/plots/plot-000.png`);
    const img = page.locator(".image-view img");
    await img.waitFor();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(240);
    await shot("04-image");
    await page.goto(`${viewer.url}/browse/plots?view=gallery`);
    await page.locator(".gallery-button").first().click();
    const box = page.getByRole("dialog");
    await box.waitFor();
    expect(await box.textContent()).toContain("1 / 8");
    await page.keyboard.press("ArrowRight");
    expect(await box.textContent()).toContain("2 / 8 · plots/plot-001.png");
    await shot("05-lightbox");
    await page.keyboard.press("Escape");
    await box.waitFor({ state: "detached" });
  });

  test("a directory of 10,000 files lists with details", async () => {
    await page.goto(`${viewer.url}/browse/many`);
    const count = page.locator(".listing-count");
    await count.getByText(/^10,000 entries/).waitFor();
    await count.getByText(/^10,000 entries · listed in \d+ ms$/).waitFor({ timeout: 20_000 });
    expect(await page.locator(".listing-row").count()).toBeLessThan(200);
    await page.getByLabel("Include globs").fill("item-0999*");
    await count.getByText(/^10 entries/).waitFor();
    await shot("06-listing");
  });

  test("an HTML report runs in a sandbox with its own images; Markdown cannot run scripts", async () => {
    await page.goto(`${viewer.url}/view/reports/report-00/index.html`);
    const frameElement = page.locator("iframe.report-frame");
    await frameElement.waitFor();
    expect(await frameElement.getAttribute("sandbox")).toBe("allow-scripts allow-popups");
    const frame = page.frameLocator("iframe.report-frame");
    await frame.getByRole("heading", { name: "QA report 0" }).waitFor();
    await expect
      .poll(() => frame.locator("#summary").evaluate((el) => (el as HTMLImageElement).naturalWidth))
      .toBe(320);
    expect(await frame.locator("#status").getAttribute("data-scripted")).toBe("yes");
    // The report's origin is opaque: no access to the viewer's cookie or page.
    const origin = await frame.locator("body").evaluate(() => window.origin);
    expect(origin).toBe("null");
    await shot("07-report");

    await page.goto(`${viewer.url}/view/README.md`);
    await page.getByRole("heading", { name: "Run 42", level: 1 }).waitFor();
    expect(await page.locator(".markdown").textContent()).toContain(
      "<script>alert('markdown must not run this')</script>",
    );
    expect(dialogs).toEqual([]);
    await shot("08-markdown");
  });

  test("a FITS image: tiles, stretch and colormap, header search; a FITS table", async () => {
    // The interactive viewer in depth: viewer-fits-browser.test.ts.
    await page.goto(`${viewer.url}/view/images/field-00.fits`);
    const canvas = page.locator(".fits-canvas").first();
    await expect.poll(() => canvas.getAttribute("data-ready"), { timeout: 20_000 }).toBe("1");
    await shot("11-fits-linear-grey");
    await page.getByLabel("Scale", { exact: true }).selectOption("asinh");
    await page.getByLabel("Colormap", { exact: true }).selectOption("viridis");
    await shot("12-fits-asinh-viridis");
    await page.getByLabel("Search header").fill("CTYPE");
    expect(await page.locator(".header-cards").textContent()).toMatch(
      /^CTYPE1 {2}= 'RA---TAN'\s+\nCTYPE2 {2}= 'DEC--TAN'\s+$/,
    );
    await page.goto(`${viewer.url}/view/tables/sources.fits`);
    await page.getByText("rows 1–100 of 200").waitFor();
    expect(await page.locator("thead th").allTextContents()).toEqual([
      "#",
      "RA [deg]",
      "DEC [deg]",
      "FLUX",
      "NAME",
    ]);
    await shot("13-fits-table");
  });

  test("a CASA table shows its columns", async () => {
    await page.goto(`${viewer.url}/view/caltables/observatories.tbl`);
    await page.getByText(/40 rows · 11 columns/).waitFor();
    expect(await page.locator(".casa-view tbody tr").count()).toBe(11);
    await shot("14-casa-table");
  });

  test("notebook, JSON tree and CSV table", async () => {
    await page.goto(`${viewer.url}/view/notebooks/inspect.ipynb`);
    await page.getByRole("heading", { name: "Inspect run 42" }).waitFor();
    await page.locator(".nb-output-text", { hasText: "[0 1 2]" }).waitFor();
    await expect
      .poll(() => page.locator(".nb-image").evaluate((el) => (el as HTMLImageElement).naturalWidth))
      .toBe(120);
    await shot("09-notebook");
    await page.goto(`${viewer.url}/view/run.json`);
    await page.locator(".json-key", { hasText: "pipeline" }).waitFor();
    await page.goto(`${viewer.url}/view/tables/sources.csv`);
    await page.getByRole("button", { name: "flux" }).click();
    await page.getByText("rows 1–100 of 250").waitFor();
    // The header click re-sorts asynchronously: wait until the first rows are in ascending flux order.
    const fluxOfRow = async (row: number) =>
      Number(await page.locator("tbody tr").nth(row).locator("td").nth(4).textContent());
    await expect.poll(async () => (await fluxOfRow(0)) <= (await fluxOfRow(1))).toBe(true);
    await expect.poll(async () => (await fluxOfRow(1)) <= (await fluxOfRow(2))).toBe(true);
    await shot("10-table");
    expect(pageErrors).toEqual([]);
  });
});
