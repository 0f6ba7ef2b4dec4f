import { describe, expect, test } from "vitest";
import { isFitsError } from "./errors.js";
import { Header, makeCard } from "./header.js";
import { PROJECTION_CODES } from "./projections/create-projection.js";
import { parseWcs } from "./wcs.js";
import { wcsFootprint } from "./wcs-footprint.js";

/** Seeded PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD = [0, -0, 1, -1, 90, -90, 180, 360, 1e-300, 1e300, 45, 1e-12, -1e-12, 0.5];

describe("WCS fuzz: random and malformed headers", () => {
  test("parseWcs and the transforms only throw FitsError and always return", () => {
    const r = rng(20260425);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const num = (): number => (r() < 0.3 ? pick(WEIRD) : (r() - 0.5) * 10 ** Math.floor(r() * 8 - 4));
    const codes = [...PROJECTION_CODES, "NCP", "GLS", "TPV", "XYZ", "", "CSC"];
    let parsed = 0;
    for (let iter = 0; iter < 1500; iter++) {
      const h = new Header();
      const naxis = Math.floor(r() * 4);
      h.set("NAXIS", naxis);
      for (let i = 1; i <= naxis; i++) h.set(`NAXIS${i}`, Math.floor(r() * 50));
      const lng = pick(["RA--", "GLON", "ELON", "HPLN", "FOO-", "RA", "FREQ"]);
      const lat = pick(["DEC-", "GLAT", "ELAT", "HPLT", "BAR-", "DEC", "VRAD"]);
      const code = pick(codes);
      h.set("CTYPE1", r() < 0.9 ? `${lng.padEnd(4, "-")}-${code}${r() < 0.1 ? "-SIP" : ""}` : "RA---");
      h.set("CTYPE2", `${lat.padEnd(4, "-")}-${code}`);
      for (const k of ["CRPIX1", "CRPIX2", "CRVAL1", "CRVAL2", "CDELT1", "CDELT2"])
        if (r() < 0.9) h.set(k, num());
      if (r() < 0.3) for (const k of ["CD1_1", "CD1_2", "CD2_1", "CD2_2"]) h.set(k, num());
      if (r() < 0.2) h.set("CROTA2", num());
      if (r() < 0.3) h.set("LONPOLE", num());
      if (r() < 0.3) h.set("LATPOLE", num());
      for (let m = 0; m < 5; m++) if (r() < 0.3) h.set(`PV2_${m}`, num());
      if (r() < 0.1) {
        h.set("A_ORDER", Math.floor(r() * 4));
        h.set("B_ORDER", Math.floor(r() * 4));
        h.set("A_2_0", num());
      }
      if (r() < 0.1) h.set("WCSAXES", pick([0, 1, 2, 3, 120, -1]));
      let wcs: ReturnType<typeof parseWcs>;
      try {
        wcs = parseWcs(h);
      } catch (err) {
        expect(isFitsError(err), String(err)).toBe(true);
        continue;
      }
      parsed++;
      const n = wcs.naxis;
      const pix = Array.from({ length: n }, () => Float64Array.from({ length: 8 }, num));
      const world = wcs.pixelToWorld(pix);
      expect(world).toHaveLength(n);
      wcs.worldToPixel(world);
      wcs.worldToPixel(Array.from({ length: n }, () => Float64Array.from({ length: 8 }, num)));
      if (wcs.hasCelestial) {
        try {
          wcsFootprint(wcs, [10, 10]);
        } catch (err) {
          expect(isFitsError(err), String(err)).toBe(true);
        }
      }
    }
    expect(parsed).toBeGreaterThan(100);
  });

  test("junk keyword values are ignored or rejected with a tagged error", () => {
    const h = new Header([
      makeCard("NAXIS", 2),
      makeCard("CTYPE1", 42),
      makeCard("CTYPE2", "DEC--TAN"),
      makeCard("CRVAL1", "abc"),
      makeCard("CDELT1", true),
    ]);
    try {
      parseWcs(h);
    } catch (err) {
      expect(isFitsError(err)).toBe(true);
    }
  });
});

describe("spectral axes without an oracle case", () => {
  test("a linear AWAV axis is linear in SI units without warnings; unknown algorithms warn", () => {
    const h = new Header([
      makeCard("NAXIS", 1),
      makeCard("CTYPE1", "AWAV"),
      makeCard("CUNIT1", "Angstrom"),
      makeCard("CRVAL1", 5000),
      makeCard("CDELT1", 2),
      makeCard("CRPIX1", 1),
    ]);
    const wcs = parseWcs(h);
    expect(wcs.warnings).toEqual([]);
    expect(wcs.pixelToWorldPoint(11)[0]).toBeCloseTo(5020e-10, 20);
    h.set("CTYPE1", "VOPT-Q2W");
    expect(parseWcs(h).warnings.length).toBe(1);
  });
});
