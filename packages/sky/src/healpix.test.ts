import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { repoFixture } from "../../../test/paths.js";
import { isSkyError } from "./errors.js";
import { ang2pix, ang2pixBig, nest2ring, pix2ang, ring2nest } from "./healpix.js";

interface Expected {
  ang2pix: [number, number, number, string, string][];
  pix2ang: [number, string, number, number, number, number, string, string][];
}
const expected = JSON.parse(
  gunzipSync(readFileSync(repoFixture("sky/expected/healpix.json.gz"))).toString("utf8"),
) as Expected;

/** Angular distance in degrees between two lon/lat points (haversine; fine for tiny angles). */
function sepDeg(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = Math.PI / 180;
  const s1 = Math.sin(((lat2 - lat1) * r) / 2);
  const s2 = Math.sin(((lon2 - lon1) * r) / 2);
  return (2 * Math.asin(Math.sqrt(s1 * s1 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * s2 * s2))) / r;
}

describe("ang2pix against healpy (exact equality)", () => {
  test(`${expected.ang2pix.length} points, orders 0–29, NESTED and RING`, () => {
    let checked = 0;
    for (const [lon, lat, order, nest, ring] of expected.ang2pix) {
      expect([order, lon, lat, ang2pixBig(order, lon, lat, "nest").toString()]).toEqual([
        order,
        lon,
        lat,
        nest,
      ]);
      expect([order, lon, lat, ang2pixBig(order, lon, lat, "ring").toString()]).toEqual([
        order,
        lon,
        lat,
        ring,
      ]);
      if (order <= 24) {
        expect(ang2pix(order, lon, lat, "nest")).toBe(Number(nest));
        expect(ang2pix(order, lon, lat, "ring")).toBe(Number(ring));
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(3000);
  });

  test("number API refuses orders above 24 with a tagged error", () => {
    let err: unknown;
    try {
      ang2pix(25, 10, 10);
    } catch (e) {
      err = e;
    }
    expect(isSkyError(err, "INVALID_ORDER")).toBe(true);
    expect(() => ang2pix(5, 10, 91)).toThrow(/latitude/);
  });
});

describe("pix2ang, nest2ring, ring2nest against healpy", () => {
  test("every order 0–29", () => {
    for (const [order, pixS, lonN, latN, lonR, latR, n2r, r2n] of expected.pix2ang) {
      const pix = BigInt(pixS);
      const a = pix2ang(order, pix, "nest");
      const b = pix2ang(order, pix, "ring");
      // healpy and we evaluate the same formulas; libm differences stay far below 1e-9 arcsec.
      expect(sepDeg(a.lon, a.lat, lonN, latN)).toBeLessThan(1e-12);
      expect(sepDeg(b.lon, b.lat, lonR, latR)).toBeLessThan(1e-12);
      expect(Math.abs(a.lat - latN)).toBeLessThan(1e-11);
      expect(nest2ring(order, pix).toString()).toBe(n2r);
      expect(ring2nest(order, pix).toString()).toBe(r2n);
      if (order <= 24) {
        expect(nest2ring(order, Number(pixS))).toBe(Number(n2r));
        expect(ring2nest(order, Number(pixS))).toBe(Number(r2n));
        expect(pix2ang(order, Number(pixS), "ring")).toEqual(b);
      }
    }
  });
});
