import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { repoFixture } from "../../../test/paths.js";
import { isSkyError } from "./errors.js";
import { pix2ang } from "./healpix.js";
import {
  ang2pixArray,
  ang2pixArrayBig,
  nest2ringArray,
  pix2angArray,
  ring2nestArray,
} from "./healpix-array.js";

interface Expected {
  ang2pix: [number, number, number, string, string][];
  pix2ang: [number, string, number, number, number, number, string, string][];
}
const expected = JSON.parse(
  gunzipSync(readFileSync(repoFixture("sky/expected/healpix.json.gz"))).toString("utf8"),
) as Expected;

describe("vectorised ang2pix against healpy (exact)", () => {
  for (const order of [0, 1, 5, 10, 13, 20, 24, 25, 28, 29]) {
    test(`order ${order}`, () => {
      const rows = expected.ang2pix.filter((r) => r[2] === order);
      expect(rows.length).toBeGreaterThan(50);
      const lon = Float64Array.from(rows, (r) => r[0]);
      const lat = Float64Array.from(rows, (r) => r[1]);
      for (const scheme of ["nest", "ring"] as const) {
        const want = rows.map((r) => (scheme === "nest" ? r[3] : r[4]));
        expect(Array.from(ang2pixArrayBig(order, lon, lat, scheme), String)).toEqual(want);
        if (order <= 24) expect(Array.from(ang2pixArray(order, lon, lat, scheme))).toEqual(want.map(Number));
      }
    });
  }

  test("pix2angArray equals the scalar pix2ang", () => {
    const pix = Float64Array.from({ length: 500 }, (_, i) => i * 7919);
    for (const scheme of ["nest", "ring"] as const) {
      const { lon, lat } = pix2angArray(12, pix, scheme);
      for (let i = 0; i < pix.length; i++) {
        const p = pix2ang(12, pix[i] as number, scheme);
        expect([lon[i], lat[i]]).toEqual([p.lon, p.lat]);
      }
      const big = pix2angArray(
        12,
        BigInt64Array.from(pix, (v) => BigInt(v)),
        scheme,
      );
      expect(big.lon).toEqual(lon);
    }
  });

  test("bad latitude is a tagged error naming the index", () => {
    let err: unknown;
    try {
      ang2pixArray(3, new Float64Array([0, 0]), new Float64Array([0, 95]));
    } catch (e) {
      err = e;
    }
    expect(isSkyError(err, "INVALID_ARGUMENT")).toBe(true);
    expect((err as Error).message).toMatch(/index 1/);
    expect(() => ang2pixArray(3, new Float64Array([Number.NaN]), new Float64Array([0]))).toThrow(
      /longitude at index 0/,
    );
    expect(() => ang2pixArrayBig(29, new Float64Array([0, Infinity]), new Float64Array([0, 0]))).toThrow(
      /index 1/,
    );
  });

  test("nest2ringArray / ring2nestArray equal healpy at every order", () => {
    for (let order = 0; order <= 29; order++) {
      const rows = expected.pix2ang.filter((r) => r[0] === order);
      const pix = BigInt64Array.from(rows, (r) => BigInt(r[1]));
      expect(Array.from(nest2ringArray(order, pix), String)).toEqual(rows.map((r) => r[6]));
      expect(Array.from(ring2nestArray(order, pix), String)).toEqual(rows.map((r) => r[7]));
      if (order <= 24) {
        const num = Float64Array.from(rows, (r) => Number(r[1]));
        expect(Array.from(nest2ringArray(order, num))).toEqual(rows.map((r) => Number(r[6])));
      }
    }
  });
});
