import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parseMocFits, parseMocJson } from "@meridian/sky";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoFixture } from "../../../test/paths.js";
import { runCaptured } from "./capture.js";

/** `meridian sky healpix` and `meridian sky moc`; expected pixels come from healpy (fixtures/sky). */
const healpix = JSON.parse(
  gunzipSync(readFileSync(repoFixture("sky/expected/healpix.json.gz"))).toString("utf8"),
) as { ang2pix: [number, number, number, string, string][] };
const moc = JSON.parse(readFileSync(repoFixture("sky/expected/moc.json"), "utf8")) as {
  mocs: Record<string, { cells: Record<string, string[]> }>;
};

describe("meridian sky healpix", () => {
  test("--json at orders 10 and 29 (NESTED and RING) equals healpy", async () => {
    for (const order of [10, 29]) {
      const row = healpix.ang2pix.find((r) => r[2] === order && r[1] > 0 && r[0] >= 0 && r[0] < 360);
      if (!row) throw new Error("no fixture row");
      const [lon, lat, , nest, ring] = row;
      const n = await runCaptured([
        "sky",
        "healpix",
        String(lon),
        String(lat),
        "--order",
        String(order),
        "--json",
      ]);
      expect(n.code).toBe(0);
      expect(String(JSON.parse(n.stdout).ipix)).toBe(nest);
      const r = await runCaptured([
        "sky",
        "healpix",
        `${lon}d`,
        String(lat),
        "--order",
        String(order),
        "--ring",
        "--json",
      ]);
      expect(JSON.parse(r.stdout)).toMatchObject({ order, scheme: "ring", nside: 2 ** order });
      expect(String(JSON.parse(r.stdout).ipix)).toBe(ring);
    }
  });

  test("sexagesimal RA (hours) and a negative Dec after --", async () => {
    const a = await runCaptured([
      "sky",
      "healpix",
      "--order",
      "8",
      "--json",
      "--",
      "12:34:42.5",
      "-00:30:00",
    ]);
    expect(a.code).toBe(0);
    const b = await runCaptured([
      "sky",
      "healpix",
      "188.67708333333334",
      "--order",
      "8",
      "--json",
      "--",
      "-0.5",
    ]);
    expect(JSON.parse(a.stdout).ipix).toBe(JSON.parse(b.stdout).ipix);
    const human = await runCaptured(["sky", "healpix", "10", "20", "--order", "3"]);
    expect(human.stdout).toMatch(/^\d+ {2}\(order 3, nside 8, NEST; centre /);
  });

  test("bad input exits 2 with a one-line message", async () => {
    const r = await runCaptured(["sky", "healpix", "10", "95", "--order", "3"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/latitude/);
    const o = await runCaptured(["sky", "healpix", "10", "20", "--order", "30"]);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/--order/);
  });
});

describe("meridian sky moc", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "meridian-sky-moc-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("circle → JSON equals pymoc's MOC of healpy's inclusive query_disc", async () => {
    const r = await runCaptured(["sky", "moc", "circle 10 20 5", "--order", "8", "--format", "json"]);
    expect(r.code).toBe(0);
    const got = parseMocJson(r.stdout);
    const cells: Record<string, string[]> = {};
    for (const c of got.cells()) cells[String(c.order)] = [...(cells[String(c.order)] ?? []), String(c.ipix)];
    expect(cells).toEqual(moc.mocs.disc8?.cells);
  });

  test("ASCII, STC-S and DS9 spellings agree; FITS to a file", async () => {
    const a = await runCaptured(["sky", "moc", "CIRCLE ICRS 10 20 5", "--order", "8"]);
    const b = await runCaptured(["sky", "moc", "circle(10,20,5)", "--order", "8", "--format", "ascii"]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toMatch(/^\d+\/[\d -]+/);
    const out = join(dir, "c.fits");
    const f = await runCaptured([
      "sky",
      "moc",
      "circle 10 20 5",
      "--order",
      "8",
      "--format",
      "fits",
      "-o",
      out,
    ]);
    expect(f.code).toBe(0);
    const m = parseMocFits(new Uint8Array(await readFile(out)));
    expect(m.order).toBe(8);
    expect(f.stderr).toMatch(/cells/);
  });

  test("DS9 box with angle, STC-S ellipse, range", async () => {
    for (const region of [
      "box(10,20,2,1,30)",
      "Ellipse ICRS 10 20 2 1 30",
      "range 350 10 -5 5",
      'fk5; circle(10,20,3600")',
    ]) {
      const r = await runCaptured(["sky", "moc", region, "--order", "6", "--format", "json"]);
      expect([region, r.code]).toEqual([region, 0]);
      expect(parseMocJson(r.stdout).isEmpty).toBe(false);
    }
  });

  test("bad regions exit 2", async () => {
    for (const region of [
      "triangle 1 2 3",
      "circle 1 2",
      "polygon 1 2 3 4",
      "Circle GALACTIC 10 20 1",
      "range 1 2",
    ]) {
      const r = await runCaptured(["sky", "moc", region, "--order", "5"]);
      expect([region, r.code]).toEqual([region, 2]);
    }
  });
});
