/**
 * The portal web app in Debian's Chromium against the real server (in-process, embedded PGlite):
 * create a portal, upload a folder of real FITS files (a subset of ../shared/fixtures/fits copied
 * into a temporary folder, with sub-folders and a text companion) through the folder picker and tus,
 * watch the progress, find one file by a cone search in sexagesimal (the position is astropy's, from
 * fixtures/portal/ingest-expected.json), open its header (every HDU, keyword search; values checked
 * against astropy), build a data package from the selection, freeze it, download it and check the
 * archive lists every file with the sha256 of the original bytes; then the night log calendar and
 * the members tab. Screenshots go to test-artifacts/portal/ (git-ignored).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { RunningServer } from "@meridian/server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumSkipReason, findChromium } from "../../../test/chromium.js";
import { haveSharedFixtures, repoFixture, repoRoot, sharedFixture } from "../../../test/paths.js";
import { type SignedInApp, startSignedInApp } from "./signed-in-app.js";

const artifacts = resolve(repoRoot, "test-artifacts/portal");
const PASSWORD = "portal-browser-password-1";
const SLUG = "browser-obs";
const DATASET = "Night 1";

type Card = string | number | boolean | null;
interface ExpectedFile {
  object: string | null;
  telescope: string | null;
  date_obs: string | null;
  exptime: number | null;
  ra: number | null;
  dec: number | null;
  hdus: { type: string; cards: Record<string, Card> }[];
}
const expected = JSON.parse(readFileSync(repoFixture("portal/ingest-expected.json"), "utf8")) as {
  files: Record<string, ExpectedFile>;
};

/** The folder uploaded: path inside the folder → shared fixture (null: a text companion). */
const FOLDER: Record<string, string | null> = {
  "lights/dss.14.29.56-62.41.05.fits.gz": "dss.14.29.56-62.41.05.fits.gz",
  "lights/spitzer_tan_sip.fits": "spitzer_tan_sip.fits",
  "lights/m51.fits.gz": "m51.fits.gz",
  "bias/equatorial_3d.fits": "equatorial_3d.fits",
  "comp.fits": "comp.fits",
  "observing-log.txt": null,
};
const gmos = expected.files["gmos.fits"] as ExpectedFile;
const SITE_TZ = "America/Santiago";

/** The night a time belongs to: the local date at which the night began (local noon to noon). */
function nightOf(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(ms - 12 * 3600_000));
}

const TARGET = "lights/dss.14.29.56-62.41.05.fits.gz";
const targetExpected = expected.files["dss.14.29.56-62.41.05.fits.gz"] as ExpectedFile;

/** Degrees → `HH:MM:SS.sss` hours (plain arithmetic, for typing into the form). */
function hours(deg: number): string {
  const totalMs = Math.round((deg / 15) * 3600 * 1000);
  const h = Math.floor(totalMs / 3600000);
  const m = Math.floor((totalMs % 3600000) / 60000);
  const s = (totalMs % 60000) / 1000;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${s.toFixed(3).padStart(6, "0")}`;
}

/** Entries of a ustar archive (pax `path` records honoured): name → bytes. */
function untar(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let at = 0;
  let paxPath: string | null = null;
  const text = (from: number, len: number) =>
    buf
      .subarray(from, from + len)
      .toString("utf8")
      .replace(/\0.*$/s, "");
  while (at + 512 <= buf.length) {
    const header = buf.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(text(at + 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = text(at + 345, 155);
    const name = (prefix ? `${prefix}/` : "") + text(at, 100);
    const body = buf.subarray(at + 512, at + 512 + size);
    if (type === "x") {
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString("utf8"));
      paxPath = m ? (m[1] as string) : null;
    } else if (type === "0" || type === "\0") {
      out.set(paxPath ?? name, Buffer.from(body));
      paxPath = null;
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

const executablePath = await findChromium();
const skip =
  executablePath === null ? chromiumSkipReason() : haveSharedFixtures() ? null : "no ../shared/fixtures";
if (skip) console.warn(`[apps/web portal browser test] skipped: ${skip}`);

describe.skipIf(skip !== null)("portal web app in Chromium", () => {
  let app: SignedInApp;
  let folder: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  const bytes = new Map<string, Buffer>();

  beforeAll(async () => {
    await rm(artifacts, { recursive: true, force: true });
    await mkdir(artifacts, { recursive: true });
    folder = join(await mkdtemp(join(tmpdir(), "meridian-portal-folder-")), "night1");
    for (const [path, source] of Object.entries(FOLDER)) {
      const to = join(folder, path);
      await mkdir(resolve(to, ".."), { recursive: true });
      if (source) await copyFile(sharedFixture("fits", source), to);
      else await writeFile(to, "22:10 dome open, seeing 1.1\n23:40 clouds from the west\n");
      bytes.set(path, await readFile(to));
    }
    app = await startSignedInApp({
      name: "portal",
      executablePath: executablePath!,
      password: PASSWORD,
      context: { timezoneId: "UTC" },
    });
    ({ server, browser, page, pageErrors } = app);
    await nav().getByRole("link", { name: "Portals" }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    if (folder) await rm(resolve(folder, ".."), { recursive: true, force: true });
  });

  const nav = () => page.getByRole("navigation", { name: "Main" });
  const tabs = () => page.getByRole("navigation", { name: "Portal" });

  async function screenshot(name: string): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  }

  test("create a portal, upload a folder, cone search, header, package download", async () => {
    // Create the portal.
    await nav().getByRole("link", { name: "Portals" }).click();
    await page.getByRole("heading", { name: "Portals", level: 1 }).waitFor();
    const create = page.getByRole("form", { name: "Create portal" });
    await create.getByLabel("Slug").fill(SLUG);
    await create.getByLabel("Name").fill("Browser Observatory");
    await create.getByLabel("Description").fill("Frames uploaded by the browser test.");
    await create.getByRole("button", { name: "Create portal" }).click();
    await page.getByRole("heading", { name: "Browser Observatory", level: 1 }).waitFor();
    expect(await page.getByTestId("portal-role").textContent()).toBe("owner");
    await screenshot("01-portal-overview");

    // Upload the folder; record the total bar while it runs.
    await tabs().getByRole("link", { name: "Upload" }).click();
    await page.getByLabel("Dataset").fill(DATASET);
    await page.getByLabel("Files at once").selectOption("2");
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="Total progress"]');
        if (bar) seen.push(bar.value / bar.max);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    // Throttled to about 1 s for the folder, so that the bars are seen moving.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    const throttle = (uploadThroughput: number) =>
      cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput,
      });
    await throttle(400 * 1024);
    await page.getByLabel("Choose a folder").setInputFiles(folder);
    const n = Object.keys(FOLDER).length;
    const total = [...bytes.values()].reduce((s, b) => s + b.length, 0);
    const summary = page.getByTestId("upload-summary");
    await expect
      .poll(() => summary.textContent(), { timeout: 60_000 })
      .toContain(`${n} uploaded, 0 already there, 0 failed`);
    await throttle(-1);
    await screenshot("02-upload-done");
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(seen.some((f) => f > 0 && f < 1)).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] as number);
    expect(seen.at(-1)).toBe(1);
    expect(await summary.textContent()).toContain(`${n} of ${n} files`);
    for (const path of Object.keys(FOLDER)) {
      const row = page.locator(`tr[data-upload="night1/${path}"]`);
      expect(await row.getAttribute("data-status")).toBe("done");
      expect(await row.locator("progress").evaluate((p: HTMLProgressElement) => p.value === p.max)).toBe(
        true,
      );
    }
    expect(total).toBeGreaterThan(0);

    // Cone search in sexagesimal around astropy's centre of the DSS plate: that file only.
    await tabs().getByRole("link", { name: "Search" }).click();
    const form = page.getByRole("form", { name: "Search files" });
    await form.getByLabel("RA", { exact: true }).fill(hours(targetExpected.ra as number));
    await form.getByLabel("Dec", { exact: true }).fill((targetExpected.dec as number).toFixed(6));
    await form.getByLabel("Radius").fill("2arcmin");
    await form.getByRole("button", { name: "Search" }).click();
    const results = page.getByRole("table", { name: "Search results" });
    await expect.poll(() => results.locator("tbody tr").count()).toBe(1);
    const hit = results.locator("tbody tr").first();
    expect(await hit.getByRole("button").textContent()).toBe(`night1/${TARGET}`);
    // The table shows the server's centre; astropy's to 1e-5 degrees.
    const [ra, dec] = ((await hit.locator("td").nth(4).textContent()) as string).split(",").map(Number);
    expect(Math.abs((ra as number) - (targetExpected.ra as number))).toBeLessThan(1e-5);
    expect(Math.abs((dec as number) - (targetExpected.dec as number))).toBeLessThan(1e-5);
    await screenshot("03-cone-search");

    // Its header: one tab per HDU, keyword search, values as astropy reads them.
    await hit.getByRole("button").click();
    const viewer = page.getByRole("region", { name: `Header of night1/${TARGET}` });
    await viewer.waitFor();
    // The server's thumbnail of the plate is shown.
    const thumb = viewer.getByRole("img", { name: `Thumbnail of night1/${TARGET}` });
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    const hduTabs = viewer.getByRole("tab");
    await expect.poll(() => hduTabs.count()).toBe(targetExpected.hdus.length);
    for (const [i, hdu] of targetExpected.hdus.entries()) {
      await hduTabs.nth(i).click();
      const cards = Object.entries(hdu.cards).filter(([, v]) => v !== null && typeof v !== "boolean");
      const [keyword, value] = cards[cards.length >> 1] as [string, Card];
      await viewer.getByLabel("Find a keyword or value").fill(keyword.toLowerCase());
      const row = viewer.locator(`tr[data-keyword="${keyword}"]`);
      const shown = (await row.locator("td").nth(1).textContent()) as string;
      if (typeof value === "number") expect(Number(shown)).toBeCloseTo(value, 12);
      else expect(shown).toBe(value);
      expect(await viewer.locator("tbody tr").count()).toBeGreaterThanOrEqual(1);
      if (i === 0) await screenshot("04-header");
    }

    // Frame type from the folder name: only the file under bias/ is a bias.
    await form.getByRole("button", { name: "Clear" }).click();
    await form.getByRole("checkbox", { name: "bias" }).check();
    await form.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => results.locator("tbody tr").count()).toBe(1);
    expect(await results.locator("tbody tr").first().getByRole("button").textContent()).toBe(
      "night1/bias/equatorial_3d.fits",
    );

    // Header conditions (every HDU, first occurrence wins), expected from astropy's headers.
    const firstCard = (path: string, keyword: string): Card | undefined => {
      const source = FOLDER[path];
      const hdus = source ? (expected.files[source]?.hdus ?? []) : [];
      return hdus.find((h) => keyword in h.cards)?.cards[keyword];
    };
    const matching = (test: (path: string) => boolean) =>
      Object.keys(FOLDER)
        .filter(test)
        .map((p) => `night1/${p}`)
        .sort();
    const resultNames = async () =>
      (
        await results
          .locator("tbody tr")
          .evaluateAll((rows) => rows.map((r) => r.querySelector("button")?.textContent ?? ""))
      ).sort();
    for (const [conditions, test] of [
      ["NAXIS1>=100", (p: string) => Number(firstCard(p, "NAXIS1") ?? Number.NaN) >= 100],
      [
        "NAXIS1>=100\nBITPIX<0",
        (p: string) =>
          Number(firstCard(p, "NAXIS1") ?? Number.NaN) >= 100 && Number(firstCard(p, "BITPIX")) < 0,
      ],
    ] as const) {
      const want = matching(test);
      expect(want.length).toBeGreaterThan(0);
      await form.getByRole("button", { name: "Clear" }).click();
      await form.getByLabel(/^Header conditions/).fill(conditions);
      await form.getByRole("button", { name: "Search" }).click();
      await expect.poll(resultNames).toEqual(want);
    }
    await form.getByRole("button", { name: "Clear" }).click();
    await form.getByRole("checkbox", { name: "bias" }).check();
    await form.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => results.locator("tbody tr").count()).toBe(1);

    // A package from the search itself (not a selection): the one bias frame.
    const pkgForm = page.getByRole("form", { name: "New data package" });
    await pkgForm.getByLabel("Title").fill("Bias frames");
    await pkgForm.getByText("Every file this search finds").click();
    await pkgForm.getByRole("button", { name: "Create package" }).click();
    const biasPackage = page.getByRole("region", { name: "Package Bias frames" });
    await expect.poll(() => biasPackage.getByTestId("package-count").textContent()).toMatch(/^1 \(/);
    expect(
      await biasPackage
        .getByRole("table", { name: "Package files" })
        .locator("tbody td")
        .first()
        .textContent(),
    ).toBe(`${DATASET}/night1/bias/equatorial_3d.fits`);
    await tabs().getByRole("link", { name: "Search" }).click();

    // A data package from every file (search with no condition, select the page), frozen, downloaded.
    await form.getByRole("button", { name: "Clear" }).click();
    await form.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => results.locator("tbody tr").count()).toBe(n);
    await results.getByLabel("Select the files on this page").check();
    await pkgForm.getByLabel("Title").fill("Night 1 frames");
    await pkgForm.getByLabel("Authors (comma-separated)").fill("V. Rubin, E. Hubble");
    await pkgForm.getByText(`The ${n} selected files`).click();
    await pkgForm.getByRole("button", { name: "Create package" }).click();
    const detail = page.getByRole("region", { name: "Package Night 1 frames" });
    await detail.waitFor();
    await expect.poll(() => detail.getByTestId("package-count").textContent()).toContain(`${n} (`);
    await detail.getByRole("button", { name: "Freeze" }).click();
    await expect.poll(() => detail.getByTestId("package-state").textContent()).toBe("frozen");
    const manifestSha = (await detail.getByTestId("manifest-sha256").textContent()) as string;
    await screenshot("05-package");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      detail.getByRole("link", { name: "Download (tar)" }).click(),
    ]);
    const tarPath = join(artifacts, "package.tar");
    await download.saveAs(tarPath);
    const entries = untar(await readFile(tarPath));
    const names = [...entries.keys()];
    const root = (names[0] as string).split("/")[0] as string;
    const sums = new Map(
      (entries.get(`${root}/SHA256SUMS`) as Buffer)
        .toString("utf8")
        .trim()
        .split("\n")
        .map((l) => {
          const [sum, ...rest] = l.split(/\s+\*?/);
          return [rest.join(" "), sum] as const;
        }),
    );
    for (const [path, original] of bytes) {
      const inTar = `${DATASET}/night1/${path}`;
      const sha = createHash("sha256").update(original).digest("hex");
      expect(names).toContain(`${root}/${inTar}`);
      expect(sums.get(inTar)).toBe(sha);
      expect(
        createHash("sha256")
          .update(entries.get(`${root}/${inTar}`) as Buffer)
          .digest("hex"),
      ).toBe(sha);
    }
    const manifest = entries.get(`${root}/MANIFEST`) as Buffer;
    expect(createHash("sha256").update(manifest).digest("hex")).toBe(manifestSha);

    // Share it: public, no embargo; then the portal's page turns public.
    const share = detail.getByRole("form", { name: "Share" });
    await share.getByLabel("Visibility").selectOption("public");
    await share.getByRole("button", { name: "Save sharing" }).click();
    await share.getByRole("status").waitFor();
    await tabs().getByRole("link", { name: "Overview" }).click();
    await page.getByRole("button", { name: "Make the page public" }).click();
    await page.getByRole("button", { name: "Make the page private" }).waitFor();
  }, 180_000);

  test("a signed-in non-member and an anonymous visitor see the public page only", async () => {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: PASSWORD }),
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = (login.headers.get("set-cookie") as string).split(";")[0] as string;
    const made = await fetch(`${server.url}/api/users`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, "x-csrf-token": csrfToken },
      body: JSON.stringify({ username: "visitor", password: "visitor-password-1" }),
    });
    expect(made.status).toBe(201);
    const context = await browser.newContext({
      viewport: { width: 1200, height: 800 },
      acceptDownloads: true,
    });
    const visitor = await context.newPage();
    await visitor.goto(`${server.url}/login?next=${encodeURIComponent(`/portals?org=${SLUG}`)}`);
    await visitor.getByLabel("Username").fill("visitor");
    await visitor.getByLabel("Password").fill("visitor-password-1");
    await visitor.getByRole("button", { name: "Sign in" }).click();
    await visitor.getByRole("heading", { name: "Browser Observatory", level: 1 }).waitFor();
    await expect.poll(() => visitor.getByTestId("portal-role").textContent()).toBe("public page");
    expect(await visitor.getByRole("navigation", { name: "Portal" }).count()).toBe(0);
    const link = visitor.getByRole("link", { name: "Night 1 frames" });
    await link.waitFor();
    await visitor.screenshot({ path: join(artifacts, "09-public-page.png"), fullPage: true });
    const [download] = await Promise.all([visitor.waitForEvent("download"), link.click()]);
    const entries = untar(await readFile((await download.path()) as string));
    expect([...entries.keys()].filter((k) => k.includes(`/${DATASET}/`)).length).toBe(
      Object.keys(FOLDER).length,
    );
    await context.close();

    // Not signed in at all: the same public page, and a way to sign in; nothing else.
    const anonymous = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const stranger = await anonymous.newPage();
    await stranger.goto(`${server.url}/portals?org=${SLUG}`);
    await stranger.getByRole("heading", { name: "Browser Observatory", level: 1 }).waitFor();
    await expect.poll(() => stranger.getByTestId("portal-role").textContent()).toBe("public page");
    await stranger.getByRole("link", { name: "Night 1 frames" }).waitFor();
    expect(await stranger.getByRole("link", { name: "Bias frames" }).count()).toBe(0);
    expect(await stranger.getByTestId("portal-sign-in").count()).toBe(1);
    expect(await stranger.getByRole("navigation", { name: "Portal" }).count()).toBe(0);
    expect(new URL(stranger.url()).pathname).toBe("/portals");
    await stranger.screenshot({ path: join(artifacts, "09-public-page-anonymous.png"), fullPage: true });
    // The API agrees: members only for anything but the page.
    expect((await fetch(`${server.url}/api/portals/${SLUG}/files`)).status).toBe(401);
    // Other pages still ask to sign in.
    await stranger.goto(`${server.url}/account`);
    await stranger.getByRole("button", { name: "Sign in" }).waitFor();
    await anonymous.close();
  }, 60_000);

  test("datasets table, night logs calendar and editor, members", async () => {
    await tabs().getByRole("link", { name: "Datasets" }).click();
    await page.getByRole("button", { name: DATASET }).click();
    const table = page.getByRole("table", { name: `Files of ${DATASET}` });
    await expect.poll(() => table.locator("tbody tr").count()).toBe(Object.keys(FOLDER).length);
    // Sort by name: ascending, then descending.
    await table.getByRole("button", { name: /^Name/ }).click();
    const first = async () =>
      (await table.locator("tbody tr").first().getByRole("button").textContent()) as string;
    const sorted = Object.keys(FOLDER)
      .map((p) => `night1/${p}`)
      .sort();
    await expect.poll(first).toBe(sorted[0]);
    await table.getByRole("button", { name: /^Name/ }).click();
    await expect.poll(first).toBe(sorted.at(-1));
    await screenshot("06-dataset");
    // Paged by cursor: 5 rows, then the sixth on page 2, and back.
    await page.getByLabel("Rows").selectOption("5");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(5);
    const pageOne = await table.locator("tbody tr").allTextContents();
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => table.locator("tbody tr").count()).toBe(1);
    expect(await page.getByTestId("files-page").textContent()).toContain("Page 2");
    expect(await page.getByRole("button", { name: "Next" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Previous" }).click();
    await expect.poll(() => table.locator("tbody tr").allTextContents()).toEqual(pageOne);

    // A new dataset, empty until files come.
    const newDataset = page.getByRole("form", { name: "New dataset" });
    await newDataset.getByLabel("Dataset name").fill("Calibrations");
    await newDataset.getByLabel("Tags (comma-separated)").fill("bias, flats");
    await newDataset.getByLabel("Dataset description").fill("Twilight flats and biases");
    await newDataset.getByRole("button", { name: "Create dataset" }).click();
    await expect
      .poll(() => page.getByRole("button", { name: "Calibrations" }).getAttribute("aria-pressed"))
      .toBe("true");
    await page.getByText("Twilight flats and biases Tags: bias, flats.", { exact: false }).waitFor();
    await page.getByRole("table", { name: "Files of Calibrations" }).waitFor();
    await page.getByText("No files match.").waitFor();

    // Night logs need a telescope: none yet, so the calendar shows the month and nothing to click.
    await tabs().getByRole("link", { name: "Night logs" }).click();
    await page.getByTestId("calendar").waitFor();
    expect(await page.getByTestId("calendar-month").textContent()).toMatch(/^\d{4}-\d{2}$/);
    await screenshot("07-night-logs");

    await tabs().getByRole("link", { name: "Members" }).click();
    const members = page.getByRole("table", { name: "Members" });
    await expect.poll(() => members.locator("tbody tr").count()).toBe(1);
    expect(await members.locator("tbody tr").first().textContent()).toContain("admin");
    // Add the visitor (made by the previous test) as an observer, make them a member, then remove them.
    const add = page.getByRole("form", { name: "Add member" });
    await add.getByLabel("Username").fill("visitor");
    await add.getByLabel("Role").selectOption("observer");
    await add.getByRole("button", { name: "Add member" }).click();
    await expect.poll(() => members.locator("tbody tr").count()).toBe(2);
    await members.getByLabel("Role of visitor").selectOption("member");
    const roleOf = () =>
      page.evaluate(async (slug) => {
        const r = await fetch(`/api/portals/${slug}/members`);
        const body = (await r.json()) as { items: { username: string; role: string }[] };
        return body.items.find((m) => m.username === "visitor")?.role ?? null;
      }, SLUG);
    await expect.poll(roleOf).toBe("member");
    // What a member sees, in their own browser: the tabs, Upload included, but no member management.
    const theirs = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const member = await theirs.newPage();
    await member.goto(`${server.url}/login?next=${encodeURIComponent(`/portals?org=${SLUG}&tab=members`)}`);
    await member.getByLabel("Username").fill("visitor");
    await member.getByLabel("Password").fill("visitor-password-1");
    await member.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => member.getByTestId("portal-role").textContent()).toBe("member");
    const theirTabs = member.getByRole("navigation", { name: "Portal" }).getByRole("link");
    expect(await theirTabs.allTextContents()).toEqual([
      "Overview",
      "Datasets",
      "Upload",
      "Search",
      "Night logs",
      "Data packages",
      "Members",
    ]);
    await member.getByRole("table", { name: "Members" }).waitFor();
    expect(await member.getByRole("form", { name: "Add member" }).count()).toBe(0);
    expect(await member.getByRole("button", { name: "Remove" }).count()).toBe(0);
    await theirs.close();
    await screenshot("08-members");
    await members.locator("tr", { hasText: "visitor" }).getByRole("button", { name: "Remove" }).click();
    await expect.poll(() => members.locator("tbody tr").count()).toBe(1);
    expect(await roleOf()).toBeNull();
    expect(pageErrors).toEqual([]);
  }, 120_000);
  test("a site and telescope, a frame on its night log, the timeline, the log's editor and entries", async () => {
    await tabs().getByRole("link", { name: "Overview" }).click();
    const site = page.getByRole("form", { name: "Add site" });
    await site.getByLabel("Site name").fill("Cerro Pachón");
    await site.getByLabel("Time zone (IANA)").fill(SITE_TZ);
    await site.getByLabel("Longitude (° east)").fill("-70.7367");
    await site.getByLabel("Latitude (°)").fill("-30.2407");
    await site.getByLabel("Elevation (m)").fill("2722");
    await site.getByRole("button", { name: "Add site" }).click();
    await page.getByRole("table", { name: "Sites" }).getByText("Cerro Pachón").waitFor();
    const scope = page.getByRole("form", { name: "Add telescope" });
    await scope.getByLabel("Telescope name").fill(gmos.telescope as string);
    await scope.getByLabel("Site").selectOption({ label: "Cerro Pachón" });
    await scope.getByLabel("Aperture (m)").fill("8.1");
    await scope.getByRole("button", { name: "Add telescope" }).click();
    await page
      .getByRole("table", { name: "Telescopes" })
      .getByText(gmos.telescope as string)
      .waitFor();

    // One Gemini frame through the file picker: it goes on the night log of its night.
    await tabs().getByRole("link", { name: "Upload" }).click();
    await page.getByLabel("Dataset").fill("Gemini");
    await page.getByLabel("Choose files").setInputFiles(sharedFixture("fits", "gmos.fits"));
    await expect
      .poll(() => page.getByTestId("upload-summary").textContent(), { timeout: 30_000 })
      .toContain("1 uploaded");

    await tabs().getByRole("link", { name: "Night logs" }).click();
    const night = nightOf(Date.parse(gmos.date_obs as string), SITE_TZ);
    await expect.poll(() => page.getByTestId("calendar-month").textContent()).toBe(night.slice(0, 7));
    await page.getByRole("button", { name: `New night log for ${night}` }).waitFor({ state: "detached" });
    await page
      .getByTestId("calendar")
      .getByRole("button", { name: gmos.telescope as string })
      .click();
    const view = page.getByRole("region", { name: `Night of ${night}` });
    const block = view.locator('[data-block="science"]');
    await expect.poll(() => block.count()).toBe(1);
    const title = (await block.locator("title").textContent()) as string;
    expect(title).toContain(gmos.object as string);
    expect(title).toContain(`1 frames, ${gmos.exptime} s`);

    // The log: observers and weather, and an entry drawn on the timeline.
    const log = page.getByRole("form", { name: "Night log" });
    await log.getByLabel("Observers (comma-separated)").fill("Vera Rubin, Edwin Hubble");
    await log.getByLabel("Weather").fill("clear, seeing 0.8");
    await log.getByRole("button", { name: "Save log" }).click();
    await log.getByRole("status").waitFor();
    const entry = page.getByRole("form", { name: "New entry" });
    await entry.getByLabel("Entry").fill("Dome open");
    const at = new Date(Date.parse(gmos.date_obs as string) - 10 * 60_000).toISOString().slice(0, 16);
    await entry.getByLabel("At (your local time; empty: now)").fill(at);
    await entry.getByRole("button", { name: "Add entry" }).click();
    await page.locator(".portal-entries li").filter({ hasText: "Dome open" }).waitFor();
    await expect.poll(() => view.locator(".portal-entry-dot").count()).toBe(1);
    expect(await page.locator(".portal-entries time").first().textContent()).toBe(`${at.slice(11, 16)} UTC`);
    // An observation declared in the log (through the API) is listed beside the rebuilt night.
    const logId = new URL(page.url()).searchParams.get("nightLog") as string;
    const status = await page.evaluate(
      async ({ slug, id, startAt }) => {
        const me = (await (await fetch("/api/auth/me")).json()) as { csrfToken: string };
        const r = await fetch(`/api/portals/${slug}/night-logs/${id}/observations`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-csrf-token": me.csrfToken },
          body: JSON.stringify({ targetName: "LTT 7379", filter: "r", startAt, notes: "flux standard" }),
        });
        return r.status;
      },
      { slug: SLUG, id: logId, startAt: gmos.date_obs as string },
    );
    expect(status).toBe(201);
    await view.getByLabel("Gap from (s)").fill("600");
    const declared = view.getByRole("table", { name: "Declared in the log" });
    await expect.poll(() => declared.locator("tbody tr").count()).toBe(1);
    expect(await declared.locator("tbody tr").first().textContent()).toContain("observation: LTT 7379");
    await screenshot("10-night-log");
  }, 120_000);
  test("a stopped upload resumes from the server's offset and ends with the right checksum", async () => {
    const source = sharedFixture("fits", "ukidss_zpn.fits");
    const original = await readFile(source);
    await tabs().getByRole("link", { name: "Upload" }).click();
    await page.getByLabel("Dataset").fill("Resume");
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 48 * 1024,
    });
    await page.getByLabel("Choose files").setInputFiles(source);
    const bar = page.locator('tr[data-upload="ukidss_zpn.fits"] progress');
    await expect
      .poll(() => bar.evaluate((p: HTMLProgressElement) => p.value / p.max), { timeout: 20_000 })
      .toBeGreaterThan(0.3);
    await page.getByRole("button", { name: "Stop" }).click();
    await expect
      .poll(() => page.locator('tr[data-upload="ukidss_zpn.fits"]').getAttribute("data-status"))
      .toBe("failed");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    // The server kept what arrived (it notices the cut connection a moment later).
    const pendingOf = () =>
      page.evaluate(async (slug) => {
        const r = await fetch(`/api/portals/${slug}/uploads`);
        const body = (await r.json()) as { uploads: { name: string; offset: number; size: number }[] };
        return body.uploads.find((u) => u.name === "ukidss_zpn.fits");
      }, SLUG);
    await expect.poll(async () => (await pendingOf())?.offset ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    const kept = await pendingOf();
    expect(kept?.size).toBe(original.length);
    expect(kept?.offset).toBeGreaterThan(0);
    expect(kept?.offset).toBeLessThan(original.length);

    // The same file again: no new upload, the first PATCH starts at the server's offset.
    const requests: { method: string; offset: string | null }[] = [];
    const record = (r: import("playwright-core").Request) => {
      if (r.url().includes(`/api/portals/${SLUG}/uploads`) && ["POST", "PATCH"].includes(r.method()))
        requests.push({ method: r.method(), offset: r.headers()["upload-offset"] ?? null });
    };
    page.on("request", record);
    await page.getByLabel("Choose files").setInputFiles(source);
    await expect
      .poll(() => page.getByTestId("upload-summary").textContent(), { timeout: 30_000 })
      .toContain("1 uploaded");
    page.off("request", record);
    expect(requests.filter((r) => r.method === "POST")).toEqual([]);
    expect(Number(requests[0]?.offset)).toBeGreaterThanOrEqual(kept?.offset as number);
    expect(Number(requests[0]?.offset)).toBeGreaterThan(0);
    const stored = await page.evaluate(async (slug) => {
      const ds = (await (await fetch(`/api/portals/${slug}/datasets`)).json()) as {
        items: { id: string; name: string }[];
      };
      const id = ds.items.find((d) => d.name === "Resume")?.id as string;
      return (await (await fetch(`/api/portals/${slug}/files?dataset=${id}`)).json()) as {
        items: { sha256: string }[];
      };
    }, SLUG);
    expect(stored.items.map((f) => f.sha256)).toEqual([createHash("sha256").update(original).digest("hex")]);
    await screenshot("11-resumed-upload");
  }, 90_000);
  test("files dropped on the drop zone upload", async () => {
    await tabs().getByRole("link", { name: "Upload" }).click();
    await page.getByLabel("Dataset").fill("Dropped");
    const files = ["example_cube.fits", "test_gzip_compressed_image.fits.fz"];
    const payload = await Promise.all(
      files.map(async (name) => ({
        name,
        b64: (await readFile(sharedFixture("fits", name))).toString("base64"),
      })),
    );
    const transfer = await page.evaluateHandle((items) => {
      const dt = new DataTransfer();
      for (const { name, b64 } of items) {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], name, { type: "application/fits" }));
      }
      return dt;
    }, payload);
    const zone = page.getByTestId("drop-zone");
    await zone.dispatchEvent("dragover", { dataTransfer: transfer });
    await zone.dispatchEvent("drop", { dataTransfer: transfer });
    await expect
      .poll(() => page.getByTestId("upload-summary").textContent(), { timeout: 30_000 })
      .toContain("2 uploaded, 0 already there, 0 failed");
    for (const name of files)
      expect(await page.locator(`tr[data-upload="${name}"]`).getAttribute("data-status")).toBe("done");
    await screenshot("12-dropped");
  }, 60_000);
});
