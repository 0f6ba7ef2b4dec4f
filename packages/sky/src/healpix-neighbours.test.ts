import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { repoFixture } from "../../../test/paths.js";
import { neighbours, pixelBoundaries, pixelBoundaryVectors } from "./healpix-neighbours.js";

interface Expected {
  neighbours: [number, string, string[], string[]][];
  boundaries: [number, string, number, boolean, number[][]][];
}
const expected = JSON.parse(
  gunzipSync(readFileSync(repoFixture("sky/expected/healpix.json.gz"))).toString("utf8"),
) as Expected;

describe("neighbours against healpy get_all_neighbours (exact)", () => {
  test("random pixels and face corners/edges at orders 0–29", () => {
    for (const [order, pix, nest, ring] of expected.neighbours) {
      expect([order, pix, neighbours(order, BigInt(pix), "nest").map(String)]).toEqual([order, pix, nest]);
      expect([order, pix, neighbours(order, BigInt(pix), "ring").map(String)]).toEqual([order, pix, ring]);
      if (order <= 24) expect(neighbours(order, Number(pix), "nest")).toEqual(nest.map(Number));
    }
  });
});

describe("pixel boundaries against healpy boundaries", () => {
  test("unit vectors agree to 1e-14", () => {
    for (const [order, pix, step, nest, v] of expected.boundaries) {
      const ours = pixelBoundaryVectors(order, BigInt(pix), nest ? "nest" : "ring", step);
      const [xs, ys, zs] = v as [number[], number[], number[]];
      expect(ours.length).toBe(3 * xs.length);
      for (let i = 0; i < xs.length; i++) {
        expect(Math.abs((ours[3 * i] as number) - (xs[i] as number))).toBeLessThan(1e-14);
        expect(Math.abs((ours[3 * i + 1] as number) - (ys[i] as number))).toBeLessThan(1e-14);
        expect(Math.abs((ours[3 * i + 2] as number) - (zs[i] as number))).toBeLessThan(1e-14);
      }
    }
  });
  test("lon/lat form: base pixel 0 starts at its north corner (the pole)", () => {
    const b = pixelBoundaries(0, 0, "nest");
    expect(b).toHaveLength(4);
    expect(b[0]?.lat).toBeCloseTo(90, 12);
  });
});
