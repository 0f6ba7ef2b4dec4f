import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import { parseHeaderText } from "./header.js";
import { parseWcs } from "./wcs.js";

/**
 * Oracle: fixtures/fits/make-wcs-expected.py (astropy.wcs / wcslib). Tolerances:
 * celestial world coordinates agree within 1e-9 degree of arc; other world axes within
 * 1e-11 relative (radio velocities near the rest frequency lose digits to cancellation, in
 * wcslib too); pixels (world → pixel) within 1e-7 pixel.
 */
const DEG_TOL = 1e-9;
const PIX_TOL = 1e-7;

interface Case {
  name: string;
  source: string;
  key: string;
  ctype: string[];
  radesys: string;
  equinox: number | null;
  header?: string;
  celestialOnly?: boolean;
  pixels: (number | null)[][];
  world: (number | null)[][];
  pixelsBack: (number | null)[][];
}

const expected = JSON.parse(
  gunzipSync(readFileSync(repoFixture("fits", "expected", "wcs.json.gz"))).toString("utf8"),
) as {
  cases: Case[];
};

function headerOf(c: Case): string {
  if (c.header !== undefined) return c.header;
  return readFileSync(sharedFixture(c.source), "latin1");
}

function arcSeparation(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const d2r = Math.PI / 180;
  const dl = (lng1 - lng2) * d2r;
  const a =
    Math.sin(((lat1 - lat2) * d2r) / 2) ** 2 +
    Math.cos(lat1 * d2r) * Math.cos(lat2 * d2r) * Math.sin(dl / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(a)))) / d2r;
}

const cases = expected.cases.filter((c) => c.header !== undefined || haveSharedFixtures());

describe("WCS against astropy.wcs (wcslib)", () => {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const wcs = parseWcs(parseHeaderText(headerOf(c)), {
      key: c.key,
      ...(c.celestialOnly ? { naxis: 2 } : {}),
    });
    const n = wcs.naxis;
    expect(n).toBe(c.ctype.length);
    // RADESYS/EQUINOX defaults of Paper II §3.1, as wcslib resolves them.
    if (wcs.hasCelestial && c.ctype[wcs.lngAxis]?.startsWith("RA")) {
      expect(wcs.frame).toBe(c.radesys);
      expect(wcs.equinox ?? null).toBe(c.equinox);
    }
    const pix = Array.from({ length: n }, (_, i) => Float64Array.from(c.pixels, (p) => p[i] as number));
    const world = wcs.pixelToWorld(pix);
    const errors: string[] = [];
    let maxSep = 0;
    let maxPix = 0;
    for (let k = 0; k < c.pixels.length; k++) {
      const want = c.world[k] as (number | null)[];
      const got = world.map((w) => w[k] as number);
      if (want.some((v) => v === null)) {
        if (wcs.hasCelestial && !Number.isNaN(got[wcs.lngAxis] as number))
          errors.push(`point ${k}: expected no solution, got ${got}`);
        continue;
      }
      for (let i = 0; i < n; i++) {
        if (i === wcs.lngAxis || i === wcs.latAxis) continue;
        const w = want[i] as number;
        if (!(Math.abs((got[i] as number) - w) <= 1e-11 * Math.abs(w) + 1e-300))
          errors.push(`point ${k} axis ${i}: ${got[i]} vs ${w}`);
      }
      if (wcs.hasCelestial) {
        const sep = arcSeparation(
          got[wcs.lngAxis] as number,
          got[wcs.latAxis] as number,
          want[wcs.lngAxis] as number,
          want[wcs.latAxis] as number,
        );
        if (!(sep <= DEG_TOL)) errors.push(`point ${k}: separation ${sep} deg; got ${got} want ${want}`);
        if (sep > maxSep) maxSep = sep;
      }
    }
    // World → pixel from the oracle's world coordinates.
    const okRows = c.world.map((w, k) => [w, k] as const).filter(([w]) => w.every((v) => v !== null));
    const wIn = Array.from({ length: n }, (_, i) => Float64Array.from(okRows, ([w]) => w[i] as number));
    const back = wcs.worldToPixel(wIn);
    okRows.forEach(([, k], r) => {
      const want = c.pixelsBack[k] as (number | null)[];
      for (let i = 0; i < n; i++) {
        const g = (back[i] as Float64Array)[r] as number;
        const w = want[i];
        if (w === null || w === undefined) continue;
        const d = Math.abs(g - w);
        if (d > maxPix) maxPix = d;
        if (!(d <= PIX_TOL)) errors.push(`point ${k} back axis ${i}: ${g} vs ${w}`);
      }
    });
    expect(errors.slice(0, 5), `${errors.length} mismatches; max sep ${maxSep}, max pix ${maxPix}`).toEqual(
      [],
    );
  });
});
