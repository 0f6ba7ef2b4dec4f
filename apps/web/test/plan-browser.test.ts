/**
 * The planner and satellite-check pages in Debian's Chromium against the real server: plan a night
 * at Cerro Pachón and check what the page shows against astropy (fixtures/plan/expected/
 * observability.json: twilights, transits, altitudes at the hovered time), toggle targets, export
 * CSV/SVG/PNG, draw the best months; check an exposure with real TLEs and compare the crossing with
 * skyfield (satellites.json). Screenshots go to test-artifacts/plan/ (git-ignored).
 */
import { readFileSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chromiumSkipReason, findChromium } from "../../../test/chromium.js";
import { repoFixture, repoRoot } from "../../../test/paths.js";
import { type SignedInApp, startSignedInApp } from "./signed-in-app.js";

const artifacts = resolve(repoRoot, "test-artifacts/plan");
const PASSWORD = "planner-test-password-1";

interface ExpectedSite {
  lat: number;
  lon: number;
  elev: number;
  date: string;
  start: number;
  times: number[];
  altitude: number[][];
  events: Record<string, { time: number; kind: string }[]>;
  transits: number[][];
}
const obs = JSON.parse(readFileSync(repoFixture("plan/expected/observability.json"), "utf8")) as {
  targets: { ra: number[]; dec: number[] };
  sites: ExpectedSite[];
};
const pachon = obs.sites[0] as ExpectedSite;
const sats = JSON.parse(readFileSync(repoFixture("plan/expected/satellites.json"), "utf8")) as {
  site: { lat: number; lon: number; elev: number };
  start: string;
  offsetsSeconds: number[];
  objects: { name: string; line1: string; line2: string; ra: number[]; dec: number[] }[];
};

/** Target texts "RA Dec" in decimal degrees (0.036″ of rounding). */
const TARGETS = [0, 1, 2, 3].map((j) => `${obs.targets.ra[j]?.toFixed(5)} ${obs.targets.dec[j]?.toFixed(5)}`);

const executablePath = await findChromium();
if (executablePath === null) console.warn(`[apps/web plan browser test] skipped: ${chromiumSkipReason()}`);

/** Seconds of a `HH:MM:SS` text on the day of `near` (Unix ms) closest to `near`. */
function clockToMs(text: string, near: number): number {
  const [h = 0, m = 0, s = 0] = text.split(":").map(Number);
  const day = Math.floor(near / 86400000) * 86400000;
  const candidates = [-1, 0, 1].map((d) => day + d * 86400000 + ((h * 60 + m) * 60 + s) * 1000);
  return candidates.reduce((a, b) => (Math.abs(b - near) < Math.abs(a - near) ? b : a));
}

function angularArcsec(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const d = Math.PI / 180;
  const c =
    Math.sin(dec1 * d) * Math.sin(dec2 * d) +
    Math.cos(dec1 * d) * Math.cos(dec2 * d) * Math.cos((ra1 - ra2) * d);
  return (Math.acos(Math.min(1, c)) / d) * 3600;
}

describe.skipIf(executablePath === null)("planner and satellite check in Chromium", () => {
  let app: SignedInApp;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    await rm(artifacts, { recursive: true, force: true });
    await mkdir(artifacts, { recursive: true });
    app = await startSignedInApp({ name: "plan", executablePath: executablePath!, password: PASSWORD });
    ({ page, pageErrors } = app);
    await nav().getByRole("link", { name: "Planner" }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  async function screenshotPage(name: string): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  }

  const nav = () => page.getByRole("navigation", { name: "Main" });

  async function downloadOf(button: string): Promise<Buffer> {
    const [dl] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: button, exact: true }).click(),
    ]);
    const path = join(artifacts, dl.suggestedFilename());
    await dl.saveAs(path);
    return readFile(path);
  }

  test("plan a night: values shown match astropy; hover, toggles, exports, best months", async () => {
    await nav().getByRole("link", { name: "Planner" }).click();
    await page.getByRole("heading", { name: "Planner", level: 1 }).waitFor();
    const form = page.getByRole("form", { name: "Plan a night" });
    await form.getByLabel("Site").fill(`${pachon.lat},${pachon.lon},${pachon.elev}`);
    await form.getByLabel("Night of").fill(pachon.date);
    await form.getByLabel(/^Targets/).fill(TARGETS.join("\n"));
    await form.getByLabel("Max airmass").fill("2");
    await form.getByLabel("Sun below").selectOption("none");
    const answered = page.waitForResponse((r) => r.url().endsWith("/api/tools/plan"));
    await form.getByRole("button", { name: "Plan" }).click();
    const plan = (await (await answered).json()) as {
      night: { start: string; end: string; events: Record<string, string>; series: { time: string }[] };
    };
    await page.getByTestId("airmass-chart").waitFor();
    // The link now holds the plan.
    expect(new URL(page.url()).searchParams.get("date")).toBe(pachon.date);

    // Twilights shown equal astropy's within 5 s.
    for (const [id, key, kind] of [
      ["event-astronomicalDusk", "astronomical", "set"],
      ["event-astronomicalDawn", "astronomical", "rise"],
      ["event-civilDusk", "civil", "set"],
      ["event-sunset", "sunset", "set"],
    ] as const) {
      const want = pachon.events[key]?.find((e) => e.kind === kind)?.time ?? Number.NaN;
      const shown = (await page.getByTestId(id).textContent()) ?? "";
      expect(Math.abs(clockToMs(shown, want) - want), id).toBeLessThan(5000);
    }
    // Transits in the windows table equal astropy's culminations within 5 s.
    let transits = 0;
    for (const [j, name] of TARGETS.entries()) {
      const inNight = (pachon.transits[j] ?? []).filter(
        (t) => t > pachon.start + 600000 && t < pachon.start + 86400000 - 600000,
      );
      if (inNight.length === 0) continue;
      const shown = (await page.getByTestId(`transit-${name}`).textContent()) ?? "";
      expect(Math.abs(clockToMs(shown, inNight[0] as number) - (inNight[0] as number)), name).toBeLessThan(
        5000,
      );
      transits++;
    }
    expect(transits).toBeGreaterThan(1);

    // Hover at one of astropy's grid times: the readout shows that minute and astropy's altitude.
    const start = Date.parse(plan.night.start);
    const set = Date.parse(plan.night.events.sunset ?? "");
    const rise = Date.parse(plan.night.events.sunrise ?? "");
    const span = {
      start: Math.max(start, set - 3600000),
      end: Math.min(Date.parse(plan.night.end), rise + 3600000),
    };
    const k = pachon.times.findIndex((t) => t > span.start + 3 * 3600000);
    const t = pachon.times[k] as number;
    const area = page.getByTestId("airmass-hover-area");
    await area.scrollIntoViewIfNeeded();
    const box = (await area.boundingBox())!;
    await page.mouse.move(
      box.x + ((t - span.start) / (span.end - span.start)) * box.width,
      box.y + box.height / 2,
    );
    await expect
      .poll(() => page.getByTestId("readout-time").textContent())
      .toBe(`${new Date(t).toISOString().slice(11, 16)} UTC`);
    for (const [j, name] of TARGETS.entries()) {
      const shown = Number(await page.getByTestId(`readout-alt-${name}`).textContent());
      expect(Math.abs(shown - (pachon.altitude[j]?.[k] ?? Number.NaN)), name).toBeLessThan(0.0051 + 3 / 3600);
    }
    await page.screenshot({ path: join(artifacts, "01-planner-hover.png") });
    await screenshotPage("02-planner");

    // Toggling a target removes its curve, its track and its readout.
    const second = TARGETS[1] as string;
    expect(await page.locator(`[data-testid=airmass-chart] [data-series="${second}"]`).count()).toBe(1);
    await page.getByRole("group", { name: "Targets shown" }).getByLabel(second).uncheck();
    expect(await page.locator(`[data-testid=airmass-chart] [data-series="${second}"]`).count()).toBe(0);
    expect(await page.locator(`[data-testid=sky-tracks] [data-track="${second}"]`).count()).toBe(0);
    expect(await page.locator(`[data-readout="${second}"]`).count()).toBe(0);
    expect(await page.locator("[data-testid=sky-tracks] [data-track]").count()).toBe(TARGETS.length - 1);
    // Twilight shading is there: night and each twilight.
    const shades = await page
      .locator("[data-testid=airmass-chart] [data-shade]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-shade")));
    expect(new Set(shades)).toEqual(new Set(["day", "civil", "nautical", "astronomical", "night"]));

    // Exports: CSV rows carry the same altitudes as astropy; SVG and PNG are whole files.
    const csv = (await downloadOf("CSV")).toString("utf8").trim().split("\n");
    expect(csv[0]).toBe(
      "target,time_utc,altitude_deg,azimuth_deg,airmass_secz,airmass_kasten_young,hour_angle_h,moon_separation_deg,sun_altitude_deg,moon_altitude_deg,observable",
    );
    expect(csv).toHaveLength(1 + TARGETS.length * plan.night.series.length);
    const iso = new Date(t).toISOString().replace(".000Z", "Z");
    const row = csv.find((r) => r.startsWith(`${TARGETS[0]},${iso},`))?.split(",");
    expect(Math.abs(Number(row?.[2]) - (pachon.altitude[0]?.[k] ?? Number.NaN)) * 3600).toBeLessThan(2.4);
    const svg = (await downloadOf("SVG")).toString("utf8");
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(svg).toContain(`data-series="${TARGETS[0]}"`);
    const png = await downloadOf("PNG");
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1800, 840]);

    // Best months over the year.
    await page.getByRole("group", { name: "Targets shown" }).getByLabel(second).check();
    await page.getByRole("button", { name: /Hours per night in 2022/ }).click();
    await page.getByTestId("yearly-chart").waitFor({ timeout: 60_000 });
    expect(await page.locator("[data-testid=yearly-chart] [data-series]").count()).toBe(TARGETS.length);
    expect(await page.getByTestId("best-months").locator("thead th").count()).toBe(13);
    await screenshotPage("03-planner-best-months");

    // A CSV target file adds its targets to the plan.
    await form.getByLabel("CSV target file (name,ra,dec)").setInputFiles({
      name: "targets.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("name,ra,dec\nCSV field,12:30:00,-30:00:00\n"),
    });
    await form.getByRole("button", { name: "Plan" }).click();
    await page.locator('[data-testid=windows-table] tr[data-target="CSV field"]').waitFor();
    expect(await page.locator("[data-testid=windows-table] tbody tr").count()).toBe(TARGETS.length + 1);

    // Site time: the same events, shown on the site's clock (longitude/15 = UTC−5 here).
    await page.getByLabel("Times in").selectOption("local");
    const dusk = pachon.events.astronomical?.find((e) => e.kind === "set")?.time ?? Number.NaN;
    const shownLocal = (await page.getByTestId("event-astronomicalDusk").textContent()) ?? "";
    expect(Math.abs(clockToMs(shownLocal, dusk - 5 * 3600000) - (dusk - 5 * 3600000))).toBeLessThan(5000);
    expect(await page.getByTestId("airmass-chart").textContent()).toContain("time (UTC−5)");
    expect(pageErrors).toEqual([]);
  }, 120_000);

  test("check an exposure: the crossing shown is the one skyfield predicts", async () => {
    const sat = sats.objects.find((o) => o.name === "STARLINK-2362")!;
    const k = sats.offsetsSeconds.indexOf(7200);
    const at = Date.parse(sats.start) + 7200000;
    await nav().getByRole("link", { name: "Satellite check" }).click();
    const form = page.getByRole("form", { name: "Check an exposure" });
    await form.getByLabel("Site").fill(`${sats.site.lat},${sats.site.lon},${sats.site.elev}`);
    await form.getByLabel("RA (h:m:s or °)").fill(String(sat.ra[k]));
    await form.getByLabel("Dec (°)").fill(String(sat.dec[k]));
    await form.getByLabel("Radius (°)").fill("1");
    await form.getByLabel("Exposure start (UTC)").fill(new Date(at - 10000).toISOString());
    await form.getByLabel("Duration (s)").fill("20");
    await form.getByLabel("Element sets").selectOption("text");
    await form
      .getByLabel("TLE or OMM text")
      .fill(sats.objects.map((o) => `${o.name}\n${o.line1}\n${o.line2}`).join("\n"));
    const answered = page.waitForResponse((r) => r.url().endsWith("/api/tools/satcheck"));
    await form.getByRole("button", { name: "Check" }).click();
    const res = (await (await answered).json()) as {
      crossings: {
        name: string;
        entry: { time: string };
        track: { time: string; ra: number; dec: number }[];
        elements: { ageDays: number };
      }[];
    };
    const row = page.locator(`[data-testid=crossings] tr[data-crossing="${sat.name}"]`);
    await row.waitFor();
    const c = res.crossings.find((x) => x.name === sat.name)!;
    // The position behind the row is skyfield's to 1″; the row shows that crossing's entry and TLE age.
    const p = c.track.find((q) => q.time === new Date(at).toISOString())!;
    expect(angularArcsec(p.ra, p.dec, sat.ra[k]!, sat.dec[k]!)).toBeLessThan(1);
    expect(await row.textContent()).toContain(c.entry.time.slice(11, 23));
    expect(await row.textContent()).toContain(`age ${c.elements.ageDays.toFixed(2)} d`);
    expect(
      await page.locator(`[data-testid=field-chart] [data-crossing="${sat.name}"] polyline`).count(),
    ).toBe(1);
    expect(await page.getByTestId("sat-summary").textContent()).toContain(
      `among ${sats.objects.length} objects`,
    );
    await screenshotPage("04-satcheck");

    // Keep the pasted sets in the server's catalogue (every epoch kept), then check against it.
    await expect.poll(() => page.getByTestId("catalogue-info").textContent()).toContain("0 objects");
    await form.getByRole("button", { name: "Add to the server's catalogue" }).click();
    await expect
      .poll(() => page.getByTestId("catalogue-info").textContent())
      .toContain(`${sats.objects.length} objects, ${sats.objects.length} element sets`);
    await form.getByLabel("Element sets").selectOption("catalogue");
    const again = page.waitForResponse((r) => r.url().endsWith("/api/tools/satcheck"));
    await form.getByRole("button", { name: "Check" }).click();
    const fromCatalogue = (await (await again).json()) as {
      source: string;
      crossings: { name: string; entry: { time: string } }[];
    };
    expect(fromCatalogue.source).toBe("catalogue");
    expect(fromCatalogue.crossings.find((x) => x.name === sat.name)?.entry.time).toBe(c.entry.time);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
