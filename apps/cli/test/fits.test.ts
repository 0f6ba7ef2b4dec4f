import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import { runCaptured } from "./capture.js";

/**
 * `meridian fits stats|render|xy2sky|sky2xy` on real fixture files. Expected numbers come from the
 * oracle JSON of fixtures/fits (numpy/astropy statistics, astropy.wcs world coordinates); WCS
 * tolerance 1e-9 degree, pixel tolerance 1e-7.
 */
const wcsCases = JSON.parse(
  gunzipSync(await readFile(repoFixture("fits", "expected", "wcs.json.gz"))).toString("utf8"),
) as {
  cases: { name: string; pixels: number[][]; world: (number | null)[][] }[];
};
const imageCases = JSON.parse(await readFile(repoFixture("fits", "expected", "image.json"), "utf8")) as {
  images: {
    file: string;
    variant: string;
    stats: { count: number; median: number; min: number; max: number };
    zscale: number[];
  }[];
};

describe.runIf(haveSharedFixtures())("meridian fits (image and WCS commands)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "meridian-fits-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("stats --json matches numpy and astropy's zscale", async () => {
    const r = await runCaptured(["fits", "stats", sharedFixture("fits", "ngc1316o.fit"), "--json"]);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as {
      count: number;
      median: number;
      min: number;
      max: number;
      zscale: number[];
      axes: number[];
    };
    const want = imageCases.images.find((e) => e.file === "ngc1316o.fit" && e.variant === "");
    expect(got.axes).toEqual([440, 300]);
    expect(got.count).toBe(want?.stats.count);
    expect(got.min).toBe(want?.stats.min);
    expect(got.max).toBe(want?.stats.max);
    expect(got.median).toBe(want?.stats.median);
    expect(Math.abs((got.zscale[0] as number) - (want?.zscale[0] as number))).toBeLessThan(1e-6);
  });

  test("stats human output picks the first image HDU", async () => {
    const r = await runCaptured(["fits", "stats", sharedFixture("fits", "ukidss_zpn.fits")]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/ukidss_zpn\.fits\[1\]\s+300 × 300/);
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([
      "image",
      "pixels",
      "min",
      "max",
      "mean",
      "std",
      "median",
      "p0.5",
      "p1",
      "p5",
      "p25",
      "p75",
      "p95",
      "p99",
      "p99.5",
      "zscale",
    ]);
  });

  test("render writes a PNG of the image size", async () => {
    const out = join(dir, "m51.png");
    const r = await runCaptured([
      "fits",
      "render",
      sharedFixture("fits", "m51.fits.gz"),
      "-o",
      out,
      "--scale",
      "percentile:99.5",
      "--stretch",
      "asinh",
      "--cmap",
      "inferno",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as { width: number; height: number; bytes: number };
    expect([got.width, got.height]).toEqual([384, 384]);
    const png = await readFile(out);
    expect(png.length).toBe(got.bytes);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(384);
  });

  test("render --max-size makes a preview with the full-resolution limits", async () => {
    const out = join(dir, "m51-small.png");
    const full = await runCaptured([
      "fits",
      "render",
      sharedFixture("fits", "m51.fits.gz"),
      "-o",
      out,
      "--json",
    ]);
    const r = await runCaptured([
      "fits",
      "render",
      sharedFixture("fits", "m51.fits.gz"),
      "-o",
      out,
      "--max-size",
      "100",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as { width: number; height: number; vmin: number; vmax: number };
    const want = JSON.parse(full.stdout) as { vmin: number; vmax: number };
    expect([got.width, got.height]).toEqual([96, 96]);
    expect([got.vmin, got.vmax]).toEqual([want.vmin, want.vmax]);
    const png = await readFile(out);
    expect(png.readUInt32BE(16)).toBe(96);
    const bad = await runCaptured([
      "fits",
      "render",
      sharedFixture("fits", "m51.fits.gz"),
      "-o",
      out,
      "--max-size",
      "0",
    ]);
    expect(bad.code).toBe(2);
  });

  test("render of a cube uses plane 0 unless --plane; bad options exit 2", async () => {
    const out = join(dir, "cube.png");
    const ok = await runCaptured([
      "fits",
      "render",
      sharedFixture("fits", "datacube.fit"),
      "-o",
      out,
      "--plane",
      "10",
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^wrote .*cube\.png: 64×64, zscale/);
    const bad = await runCaptured([
      "fits",
      "render",
      sharedFixture("fits", "datacube.fit"),
      "-o",
      out,
      "--cmap",
      "nope",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^meridian: unknown colormap "nope"/);
  });

  test("xy2sky --json agrees with astropy.wcs within 1e-9 degree (1-based pixels)", async () => {
    const c = wcsCases.cases.find((k) => k.name === "spitzer_tan_sip.fits");
    const p = c?.pixels[60] as number[];
    const w = c?.world[60] as number[];
    const r = await runCaptured([
      "fits",
      "xy2sky",
      sharedFixture("fits", "spitzer_tan_sip.fits"),
      String(p[0]),
      String(p[1]),
      "--json",
    ]);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as { system: string; points: { lng: number; lat: number }[] };
    expect(got.system).toBe("ICRS");
    expect(Math.abs((got.points[0]?.lng as number) - (w[0] as number))).toBeLessThan(1e-9);
    expect(Math.abs((got.points[0]?.lat as number) - (w[1] as number))).toBeLessThan(1e-9);
  });

  test("xy2sky prints WCSTools-style lines; sky2xy inverts them", async () => {
    const file = sharedFixture("fits", "ngc1316o.fit");
    const r = await runCaptured(["fits", "xy2sky", file, "1", "1", "220.5", "150.5"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} -\d\d:\d\d:\d\d\.\d\d B1950\s+220\.500\s+150\.500$/);
    const [ra, dec] = (lines[1] as string).split(/\s+/);
    const back = await runCaptured(["fits", "sky2xy", file, ra as string, dec as string, "--json"]);
    const got = JSON.parse(back.stdout) as { points: { x: number; y: number; inImage: boolean }[] };
    // The sexagesimal text has 1 ms / 10 mas resolution: a few hundredths of a pixel.
    expect(Math.abs((got.points[0]?.x as number) - 220.5)).toBeLessThan(0.05);
    expect(Math.abs((got.points[0]?.y as number) - 150.5)).toBeLessThan(0.05);
    expect(got.points[0]?.inImage).toBe(true);
  });

  test("xy2sky --frame converts the output (ICRS corner equals the footprint oracle)", async () => {
    const c = wcsCases.cases.find((k) => k.name === "ngc1316o.fit") as unknown as {
      footprint: { icrs: [number, number][] };
    };
    const r = await runCaptured([
      "fits",
      "xy2sky",
      sharedFixture("fits", "ngc1316o.fit"),
      "0.5",
      "0.5",
      "--frame",
      "icrs",
      "--json",
    ]);
    const got = JSON.parse(r.stdout) as { system: string; points: { lng: number; lat: number }[] };
    expect(got.system).toBe("icrs");
    const [ra, dec] = c.footprint.icrs[0] as [number, number];
    // @meridian/sky's FK4 → ICRS agrees with astropy to about 1 mas.
    expect(Math.abs(((got.points[0]?.lng as number) - ra) * Math.cos((dec * Math.PI) / 180))).toBeLessThan(
      1e-6,
    );
    expect(Math.abs((got.points[0]?.lat as number) - dec)).toBeLessThan(1e-6);
  });

  test("sky2xy with degrees round-trips exactly and converts --frame", async () => {
    const file = sharedFixture("fits", "magpis_glon_sin.fits");
    const c = wcsCases.cases.find((k) => k.name === "magpis_glon_sin.fits");
    const w = c?.world[40] as number[];
    const p = c?.pixels[40] as number[];
    const r = await runCaptured(["fits", "sky2xy", file, String(w[0]), String(w[1]), "--json"]);
    const got = JSON.parse(r.stdout) as { system: string; points: { x: number; y: number }[] };
    expect(got.system).toBe("galactic");
    expect(Math.abs((got.points[0]?.x as number) - (p[0] as number))).toBeLessThan(1e-7);
    expect(Math.abs((got.points[0]?.y as number) - (p[1] as number))).toBeLessThan(1e-7);
    const icrs = await runCaptured(["fits", "sky2xy", file, "18:46:00", "-2:00:00", "--frame", "icrs"]);
    expect(icrs.code).toBe(0);
    expect(icrs.stdout).toMatch(/^18:46:00 -2:00:00 icrs -> /);
  });

  test("every real fixture file with an image renders; table-only files say so", async () => {
    const files = (await readdir(sharedFixture("fits"))).filter((f) => /\.(fits?|fz|gz|evt)$/.test(f)).sort();
    expect(files.length).toBeGreaterThanOrEqual(20);
    const noImage: string[] = [];
    for (const name of files) {
      const out = join(dir, `${name}.png`);
      const r = await runCaptured(["fits", "render", sharedFixture("fits", name), "-o", out, "--json"]);
      if (r.code === 0) {
        const got = JSON.parse(r.stdout) as { width: number; height: number; bytes: number };
        expect((await readFile(out)).length).toBe(got.bytes);
      } else {
        expect(r.stderr, name).toMatch(/no image HDU/);
        noImage.push(name);
      }
    }
    expect(noImage).toEqual(["asciitab.fit", "random_groups.fits", "rate.fit", "rosat.evt"]);
  });

  test("xy2sky on a cube reports every world axis; --wcs picks an alternate description", async () => {
    const c = wcsCases.cases.find((k) => k.name === "example_cube.fits");
    const p = c?.pixels[0] as number[];
    const w = c?.world[0] as number[];
    const r = await runCaptured([
      "fits",
      "xy2sky",
      sharedFixture("fits", "example_cube.fits"),
      String(p[0]),
      String(p[1]),
      "--json",
    ]);
    const got = JSON.parse(r.stdout) as { points: { world: number[] }[] };
    const world = got.points[0]?.world as number[];
    expect(world).toHaveLength(4);
    expect(Math.abs((world[2] as number) - (w[2] as number))).toBeLessThanOrEqual(
      1e-12 * Math.abs(w[2] as number),
    );
    const alt = await runCaptured([
      "fits",
      "xy2sky",
      sharedFixture("fits", "ngc1316o.fit"),
      "1",
      "1",
      "--wcs",
      "Q",
    ]);
    expect(alt.code).toBe(2);
    expect(alt.stderr).toMatch(/no celestial WCS/);
    const bad = await runCaptured([
      "fits",
      "xy2sky",
      sharedFixture("fits", "ngc1316o.fit"),
      "1",
      "1",
      "--wcs",
      "AB",
    ]);
    expect(bad.code).toBe(2);
  });

  test("errors: odd coordinate count, no WCS, missing file", async () => {
    const odd = await runCaptured(["fits", "xy2sky", sharedFixture("fits", "ngc1316o.fit"), "1"]);
    expect(odd.code).toBe(2);
    const noWcs = await runCaptured(["fits", "xy2sky", sharedFixture("fits", "m51.fits.gz"), "1", "1"]);
    expect(noWcs.code).toBe(2);
    expect(noWcs.stderr).toMatch(/no celestial WCS/);
    const missing = await runCaptured(["fits", "stats", join(dir, "nope.fits")]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/^meridian: .*nope\.fits/);
  });
});
