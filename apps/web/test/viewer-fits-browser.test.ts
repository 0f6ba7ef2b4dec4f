/**
 * The interactive FITS viewer in Debian's Chromium (WebGL2 through SwiftShader) against a real
 * `startViewer` on the small scenario: open an image, change scale and colormap (no request; the
 * colour of a known pixel is astropy's stretch + matplotlib's colormap), read the pixel value and
 * the ICRS/FK5/Galactic readout at a known pixel and compare with astropy
 * (fixtures/viewer/expected/fits-viewer-oracle.json), pan and zoom, header search, DS9 regions and a
 * catalogue overlaid, side-by-side and blink comparison, a cube's channel slider and animation.
 * Screenshots go to test-artifacts/viewer-fits/ (git-ignored).
 */
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseHeaderText, writeFits } from "@meridian/fits";
import { type RunningViewer, startViewer } from "@meridian/server";
import { parseAngle } from "@meridian/sky";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeSmallScenario } from "../../../apps/server/test/viewer-harness.js";
import { CHROMIUM_ARGS, chromiumSkipReason, findChromium } from "../../../test/chromium.js";
import { repoFixture, repoRoot } from "../../../test/paths.js";

const webRoot = resolve(repoRoot, "apps/web");
const artifacts = resolve(repoRoot, "test-artifacts/viewer-fits");
const oracle = JSON.parse(readFileSync(repoFixture("viewer/expected/fits-viewer-oracle.json"), "utf8")) as {
  field00: {
    cards: string[];
    points: {
      pixel: [number, number];
      value: number;
      icrs: { ra: number; dec: number; text: string };
      fk5: { ra: number; dec: number; text: string };
      galactic: { l: number; b: number };
    }[];
    stats: { zscale: [number, number] };
  };
  colours: { scale: string; cmap: string; index: number; rgb: Record<string, [number, number, number]> }[];
  regionText: string;
  regions: unknown[];
  catalogueCsv: string;
  catalogue: { name: string; ra: number; dec: number }[];
};

const field00Cards = oracle.field00.cards;

// The cursor sits within 1/16 pixel of the target at 8× zoom: 1/16 × 1″ ≈ 0.06″; allow 0.1″.
const READOUT_DEG = 0.1 / 3600;

const executablePath = await findChromium();
if (executablePath === null)
  console.warn(`[apps/web FITS viewer browser test] skipped: ${chromiumSkipReason()}`);

describe.skipIf(executablePath === null)("FITS viewer in Chromium", () => {
  let base: string;
  let tree: string;
  let viewer: RunningViewer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "meridian-viewer-fits-"));
    const webDir = join(base, "web");
    // A fresh build of the web app of this checkout, in a directory of our own.
    const { build } = await import("vite");
    await build({
      configFile: join(webRoot, "vite.config.ts"),
      logLevel: "warn",
      build: { outDir: webDir, emptyOutDir: true },
    });
    await rm(artifacts, { recursive: true, force: true });
    await mkdir(artifacts, { recursive: true });
    tree = join(base, "run");
    makeSmallScenario(tree);
    await writeFile(join(tree, "images", "field-00.reg"), oracle.regionText);
    await writeFile(join(tree, "images", "sources.csv"), oracle.catalogueCsv);
    // A small cube: 64×48 pixels, 12 frequency channels, channel k holding values k·1000 + x.
    const [nx, ny, nz] = [64, 48, 12];
    const data = new Float32Array(nx * ny * nz);
    for (let k = 0; k < nz; k++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++) data[(k * ny + y) * nx + x] = k * 1000 + x + y / 100;
    const header = parseHeaderText(
      [
        "CTYPE1  = 'RA---SIN'",
        "CTYPE2  = 'DEC--SIN'",
        "CTYPE3  = 'FREQ    '",
        "CRPIX1  = 32.5",
        "CRPIX2  = 24.5",
        "CRPIX3  = 1",
        "CRVAL1  = 150.0",
        "CRVAL2  = 2.2",
        "CRVAL3  = 1.4E9",
        "CDELT1  = -0.001",
        "CDELT2  = 0.001",
        "CDELT3  = 1.0E6",
        "CUNIT3  = 'Hz      '",
        "RADESYS = 'ICRS    '",
      ].join("\n"),
    );
    await writeFile(join(tree, "images", "cube.fits"), writeFits([{ data, axes: [nx, ny, nz], header }]));
    // A radio-style 4-d cube: RA, Dec, one Stokes plane, 6 frequency channels (value 100·k + x).
    const stokes = parseHeaderText(
      [
        "CTYPE1  = 'RA---SIN'",
        "CTYPE2  = 'DEC--SIN'",
        "CTYPE3  = 'STOKES  '",
        "CTYPE4  = 'FREQ    '",
        "CRPIX1  = 16.5",
        "CRPIX2  = 16.5",
        "CRPIX3  = 1",
        "CRPIX4  = 1",
        "CRVAL1  = 150.0",
        "CRVAL2  = 2.2",
        "CRVAL3  = 1",
        "CRVAL4  = 1.0E9",
        "CDELT1  = -0.001",
        "CDELT2  = 0.001",
        "CDELT3  = 1",
        "CDELT4  = 2.0E6",
        "CUNIT4  = 'Hz      '",
      ].join("\n"),
    );
    const four = new Float32Array(32 * 32 * 6);
    for (let k = 0; k < 6; k++) for (let i = 0; i < 32 * 32; i++) four[k * 1024 + i] = 100 * k + (i % 32);
    await writeFile(
      join(tree, "images", "stokes-cube.fits"),
      writeFits([{ data: four, axes: [32, 32, 1, 6], header: stokes }]),
    );
    // Another image of field-00's sky at half its resolution (2″ pixels), for the comparison.
    const half = parseHeaderText(
      field00Cards
        .filter((c) => /^(CTYPE|CRVAL|CUNIT|RADESYS)/.test(c))
        .concat([
          "CRPIX1  = 128.5",
          "CRPIX2  = 128.5",
          "CDELT1  = -5.5555555555556E-4",
          "CDELT2  = 5.5555555555556E-4",
        ])
        .join("\n"),
    );
    const other = new Float32Array(256 * 256);
    for (let y = 0; y < 256; y++)
      for (let x = 0; x < 256; x++) other[y * 256 + x] = Math.hypot(x - 128, y - 128) < 40 ? 1 : 0;
    await writeFile(
      join(tree, "images", "field-00-half.fits"),
      // An empty primary HDU and the image in an extension, as many pipelines write them.
      writeFits([
        { data: new Float32Array(0), axes: [] },
        { data: other, axes: [256, 256], header: half, name: "SCI" },
      ]),
    );
    viewer = await startViewer({ dir: tree, webDir, env: { MERIDIAN_VIEW_CACHE: join(base, "cache") } });
    browser = await chromium.launch({
      executablePath: executablePath!,
      args: [...CHROMIUM_ARGS, "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
    });
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      colorScheme: "light",
    });
    page = await context.newPage();
    page.on("pageerror", (err) => pageErrors.push(err.message));
    page.on("request", (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(viewer.openUrl);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });
  const canvas = () => page.locator(".fits-stage > .fits-canvas").first();
  const ready = async (plane?: string) => {
    await expect
      .poll(() => canvas().evaluate((el) => (el as HTMLElement).dataset.ready), { timeout: 20_000 })
      .toBe("1");
    if (plane !== undefined)
      await expect.poll(() => canvas().evaluate((el) => (el as HTMLElement).dataset.plane)).toBe(plane);
  };
  /** The view (centre x, centre y, zoom) of pane `i`. */
  const viewOf = async (i: number) =>
    (await page
      .locator(".fits-stage .fits-canvas")
      .nth(i)
      .evaluate((el) => (el as HTMLElement).dataset.view))!
      .split(",")
      .map(Number);
  /** RGB of the WebGL canvas at CSS pixel (x, y) of the canvas. */
  const glPixel = (x: number, y: number) =>
    canvas().evaluate(
      (el, [px, py]) => {
        const gl = el.querySelector("canvas") as HTMLCanvasElement;
        const c = document.createElement("canvas");
        c.width = gl.width;
        c.height = gl.height;
        const ctx = c.getContext("2d")!;
        ctx.drawImage(gl, 0, 0);
        const r = gl.width / gl.clientWidth;
        return Array.from(ctx.getImageData(Math.floor(px! * r), Math.floor(py! * r), 1, 1).data.slice(0, 3));
      },
      [x, y],
    );
  const centre = async () => {
    const box = (await canvas().boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height / 2, w: box.width, h: box.height };
  };
  /** Centre the view on FITS pixel (x, y) at 8× and put the mouse on it. */
  const hoverPixel = async (x: number, y: number) => {
    await page.getByRole("button", { name: "1:1" }).click();
    for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Zoom in" }).click();
    await page.getByLabel("Go to pixel").fill(`${x} ${y}`);
    await page.getByRole("button", { name: "Go", exact: true }).click();
    await ready();
    const c = await centre();
    await page.mouse.move(c.x, c.y);
    return c;
  };

  test("opens a FITS image as float tiles drawn by WebGL2", async () => {
    await page.goto(`${viewer.url}/view/images/field-00.fits`);
    await ready("");
    expect(requests.some((p) => p === "/api/fits/tile")).toBe(true);
    expect(requests.some((p) => p === "/api/fits/preview")).toBe(false);
    expect(pageErrors).toEqual([]);
    await shot("01-linear-grey");
  });

  test("stretch and colormap change without a request; colours are astropy's and matplotlib's", async () => {
    const target = oracle.field00.points.find((p) => p.pixel[0] === 100 && p.pixel[1] === 200)!;
    const c = await hoverPixel(100, 200);
    const local = { x: c.w / 2, y: c.h / 2 };
    for (const [i, colour] of oracle.colours.entries()) {
      const before = requests.length;
      await page.getByLabel("Scale", { exact: true }).selectOption(colour.scale);
      await page.getByLabel("Colormap", { exact: true }).selectOption(colour.cmap);
      await page.getByLabel("Limits", { exact: true }).selectOption("zscale");
      // The shader redraws on the next animation frame.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const rgb = await glPixel(local.x, local.y);
      // The stretched value may fall either side of a colormap entry in float32: ±1 entry.
      const allowed = Object.values(colour.rgb).map((v) => JSON.stringify(v));
      expect(allowed, `${colour.scale}/${colour.cmap} at pixel 100,200 (value ${target.value})`).toContain(
        JSON.stringify(rgb),
      );
      expect(requests.slice(before).filter((p) => p.startsWith("/api/fits/"))).toEqual([]);
      await shot(`02-${i}-${colour.scale}-${colour.cmap}`);
    }
    await page.getByLabel("Scale", { exact: true }).selectOption("histeq");
    await page.getByLabel("Limits", { exact: true }).selectOption("percentile:99.5");
    await page.getByRole("button", { name: "Fit" }).click();
    await ready();
    await shot("03-histeq-percentile");
  });

  test("the readout at a known pixel matches astropy", async () => {
    await page.getByLabel("Scale", { exact: true }).selectOption("linear");
    for (const p of oracle.field00.points.filter((q) => Number.isInteger(q.pixel[0]) && q.pixel[0] < 512)) {
      await hoverPixel(p.pixel[0], p.pixel[1]);
      const pixel = (await page.getByTestId("readout-pixel").textContent())!.split(",").map(Number);
      expect(Math.abs(pixel[0]! - p.pixel[0])).toBeLessThan(0.1);
      expect(Math.abs(pixel[1]! - p.pixel[1])).toBeLessThan(0.1);
      // The value comes from the level-0 tile: float32 printed to 6 significant digits (or 5 in exponent form).
      await expect.poll(() => page.getByTestId("readout-value").textContent()).not.toContain("…");
      const value = Number((await page.getByTestId("readout-value").textContent())!.split(" ")[0]);
      expect(Math.abs(value - p.value)).toBeLessThanOrEqual(Math.abs(p.value) * 1e-4 + 1e-9);
      const degrees = async (frame: string) =>
        (await page.getByTestId(`readout-${frame}-degrees`).textContent())!
          .replace(/°/g, "")
          .trim()
          .split(/\s+/)
          .map(Number);
      const [ra, dec] = await degrees("icrs");
      expect(Math.abs(ra! - p.icrs.ra)).toBeLessThan(READOUT_DEG);
      expect(Math.abs(dec! - p.icrs.dec)).toBeLessThan(READOUT_DEG);
      const [ra5, dec5] = await degrees("fk5");
      expect(Math.abs(ra5! - p.fk5.ra)).toBeLessThan(READOUT_DEG);
      expect(Math.abs(dec5! - p.fk5.dec)).toBeLessThan(READOUT_DEG);
      const [l, b] = await degrees("galactic");
      expect(Math.abs(l! - p.galactic.l)).toBeLessThan(READOUT_DEG);
      expect(Math.abs(b! - p.galactic.b)).toBeLessThan(READOUT_DEG);
      const [hms, dms] = (await page.getByTestId("readout-icrs-sexagesimal").textContent())!
        .trim()
        .split(/\s+/);
      const [wantHms, wantDms] = p.icrs.text.split(" ");
      expect(
        Math.abs(parseAngle(hms!, { sexagesimal: "hour" }) - parseAngle(wantHms!, { sexagesimal: "hour" })),
      ).toBeLessThan(READOUT_DEG);
      expect(
        Math.abs(parseAngle(dms!, { sexagesimal: "deg" }) - parseAngle(wantDms!, { sexagesimal: "deg" })),
      ).toBeLessThan(READOUT_DEG);
    }
    await shot("04-readout");
  });

  test("pan with the mouse, zoom with the wheel; header search", async () => {
    await page.getByRole("button", { name: "Fit" }).click();
    const zoom0 = await page.getByTestId("zoom-level").textContent();
    const c = await centre();
    await page.mouse.move(c.x, c.y);
    await page.mouse.wheel(0, -400);
    await expect.poll(() => page.getByTestId("zoom-level").textContent()).not.toBe(zoom0);
    await page.mouse.move(c.x, c.y);
    const beforePan = await page.getByTestId("readout-pixel").textContent();
    await page.mouse.down();
    await page.mouse.move(c.x + 120, c.y + 60, { steps: 6 });
    await page.mouse.up();
    await page.mouse.move(c.x, c.y);
    await expect.poll(() => page.getByTestId("readout-pixel").textContent()).not.toBe(beforePan);
    await ready();
    // Trackpad pinch: wheel events with ctrlKey zoom about the cursor.
    const zoomBefore = (await viewOf(0))[2]!;
    await page.keyboard.down("Control");
    await page.mouse.wheel(0, -60);
    await page.keyboard.up("Control");
    await expect.poll(async () => (await viewOf(0))[2]!).toBeGreaterThan(zoomBefore);
    // Two fingers on a touch screen moving apart zoom in; the keyboard pans and zooms too.
    const zoomTouch = (await viewOf(0))[2]!;
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: "touchStart" | "touchMove" | "touchEnd", d: number) =>
      cdp.send("Input.dispatchTouchEvent", {
        type,
        touchPoints:
          type === "touchEnd"
            ? []
            : [
                { x: c.x - d, y: c.y, id: 1 },
                { x: c.x + d, y: c.y, id: 2 },
              ],
      });
    await touch("touchStart", 40);
    for (const d of [60, 80, 100, 120]) {
      await touch("touchMove", d);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    }
    await touch("touchEnd", 0);
    await expect.poll(async () => (await viewOf(0))[2]!).toBeGreaterThan(zoomTouch * 1.5);
    await cdp.detach();
    const [kx] = await viewOf(0);
    await canvas().focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(async () => (await viewOf(0))[0]!).toBeGreaterThan(kx!);
    await page.getByLabel("Search header").fill("ctype");
    expect((await page.locator(".fits-viewer .header-cards").textContent())!.split("\n")).toEqual([
      expect.stringMatching(/^CTYPE1 {2}= 'RA---TAN'/),
      expect.stringMatching(/^CTYPE2 {2}= 'DEC--TAN'/),
    ]);
    await shot("05-pan-zoom-header");
  });

  test("DS9 regions and a catalogue are drawn over the image", async () => {
    await page.getByRole("button", { name: "Fit" }).click();
    await page.getByLabel("Regions file").selectOption("images/field-00.reg");
    await expect
      .poll(() => page.getByTestId("region-count").textContent())
      .toBe(`${oracle.regions.length} regions shown`);
    await page.getByLabel("Catalogue file").selectOption("images/sources.csv");
    // Rows A–D have positions (E has no RA); all four project (D far outside the 512×512 field).
    await expect
      .poll(() => page.getByTestId("catalogue-count").textContent())
      .toBe(`${oracle.catalogue.length} sources (ra, dec), 4 placed`);
    await ready();
    await shot("06-regions-catalogue");
  });

  test("side-by-side and blink comparison with locked WCS and scales", async () => {
    await page.getByLabel("Compare mode").selectOption("side");
    await page.getByLabel("Image to compare").selectOption("images/field-00-half.fits");
    const panes = page.locator(".fits-stage .fits-canvas");
    await expect.poll(() => panes.count()).toBe(2);
    await expect
      .poll(() => panes.nth(1).evaluate((el) => (el as HTMLElement).dataset.ready), { timeout: 20_000 })
      .toBe("1");
    // Same sky in both: B's pixels are twice as large and its reference pixel is 128.5 (A's 256.5),
    // so B's centre is (A's centre − 256.5) / 2 + 128.5 and its zoom twice A's.
    await page.getByRole("button", { name: "Zoom in" }).click();
    await expect.poll(async () => (await viewOf(1))[2]! / (await viewOf(0))[2]!).toBeCloseTo(2, 3);
    const [ax, ay] = await viewOf(0);
    const [bx, by] = await viewOf(1);
    expect(Math.abs(bx! + 0.5 - ((ax! + 0.5 - 256.5) / 2 + 128.5))).toBeLessThan(0.01);
    expect(Math.abs(by! + 0.5 - ((ay! + 0.5 - 256.5) / 2 + 128.5))).toBeLessThan(0.01);
    await shot("07-side-by-side");
    await page.getByLabel("Compare mode").selectOption("blink");
    await page.getByLabel("every").fill("200");
    await expect
      .poll(() => panes.nth(1).evaluate((el) => getComputedStyle(el).visibility), { timeout: 5000 })
      .toBe("visible");
    await shot("08-blink");
    await page.getByLabel("Compare mode").selectOption("off");
    expect(pageErrors).toEqual([]);
  });

  test("a cube: channel slider, number and animation", async () => {
    await page.goto(`${viewer.url}/view/images/cube.fits`);
    await ready("0");
    await page.getByLabel("Limits", { exact: true }).selectOption("minmax");
    await page.getByLabel("Channel number").fill("8");
    await ready("7");
    const c = await centre();
    await page.mouse.move(c.x, c.y);
    await expect.poll(() => page.getByTestId("readout-spectral").textContent()).toBe("1407000000 Hz");
    await expect
      .poll(async () => Number((await page.getByTestId("readout-value").textContent())!.split(" ")[0]))
      .toBeGreaterThanOrEqual(7000);
    await shot("09-cube-channel-8");
    await page.getByRole("button", { name: "Play" }).click();
    await expect
      .poll(() => canvas().evaluate((el) => (el as HTMLElement).dataset.plane), { timeout: 10_000 })
      .not.toBe("7");
    await page.getByRole("button", { name: "Pause" }).click();
    // NAXIS3 is a single Stokes plane: the channels run along NAXIS4.
    await page.goto(`${viewer.url}/view/images/stokes-cube.fits`);
    await ready("0,0");
    await expect.poll(() => page.getByText("of 6").count()).toBe(1);
    await page.getByLabel("Channel number").fill("4");
    await ready("0,3");
    const c4 = await centre();
    await page.mouse.move(c4.x, c4.y);
    // Pixel 16.5 on the centre of the view: the value of pixel (17, 17) is 100·3 + 16.
    await expect
      .poll(async () => Number((await page.getByTestId("readout-value").textContent())!.split(" ")[0]))
      .toBe(316);
    await expect.poll(() => page.getByTestId("readout-spectral").textContent()).toBe("1006000000 Hz");
    expect(await page.getByTestId("readout-axis-3").textContent()).toBe("1 ");
    expect(pageErrors).toEqual([]);
  });
});
