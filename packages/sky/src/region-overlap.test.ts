import { describe, expect, test } from "vitest";
import { readExpected } from "../../../fixtures/sky/read-expected.js";
import { box, circle, ellipse, polygon, type Region, range, validateRegion } from "./region.js";
import { regionContainsRegion, regionsOverlap } from "./region-overlap.js";
import { offsetByAngle, separation } from "./sphere-geometry.js";

describe("overlap tests", () => {
  test("circles overlap exactly when centres are closer than the summed radii (checked with separation)", () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let i = 0; i < 500; i++) {
      const a = circle(rand() * 360, Math.asin(2 * rand() - 1) * 57.29577951308232, rand() * 10);
      const b = circle(rand() * 360, Math.asin(2 * rand() - 1) * 57.29577951308232, rand() * 10);
      const d = separation(a.center[0], a.center[1], b.center[0], b.center[1]);
      if (Math.abs(d - a.radius - b.radius) < 1e-9) continue;
      expect(regionsOverlap(a, b)).toBe(d < a.radius + b.radius);
    }
  });
  test("circle and polygon: touching an edge without containing a vertex", () => {
    const sq = polygon([
      [10, -5],
      [20, -5],
      [20, 5],
      [10, 5],
    ]);
    expect(regionsOverlap(circle(15, 6, 1.5), sq)).toBe(true);
    expect(regionsOverlap(circle(15, 7, 1.5), sq)).toBe(false);
    expect(regionsOverlap(circle(15, 0, 1), sq)).toBe(true);
  });
  test("polygons crossing without vertices inside (a cross shape)", () => {
    const h = polygon([
      [0, -1],
      [10, -1],
      [10, 1],
      [0, 1],
    ]);
    const v = polygon([
      [4, -8],
      [6, -8],
      [6, 8],
      [4, 8],
    ]);
    expect(regionsOverlap(h, v)).toBe(true);
    expect(regionsOverlap(h, box(30, 0, 2, 2))).toBe(false);
  });
  test("boxes across RA = 0, ellipses and ranges", () => {
    expect(regionsOverlap(box(359.5, 0, 2, 2), box(0.7, 0, 1, 1))).toBe(true);
    expect(regionsOverlap(ellipse(10, 0, 3, 1, 0), circle(12.5, 0, 0.6))).toBe(true);
    expect(regionsOverlap(ellipse(10, 0, 3, 1, 90), circle(12.5, 0, 0.6))).toBe(false);
    expect(regionsOverlap(range(350, 10, -5, 5), circle(0, 0, 1))).toBe(true);
    expect(regionsOverlap(range(350, 10, -5, 5), circle(180, 0, 1))).toBe(false);
  });
  test("containment", () => {
    expect(regionContainsRegion(circle(0, 0, 10), circle(1, 1, 2))).toBe(true);
    expect(regionContainsRegion(circle(0, 0, 10), box(0, 0, 4, 4))).toBe(true);
    const [l, b] = offsetByAngle(0, 0, 45, 9.9);
    expect(regionContainsRegion(circle(0, 0, 10), box(l, b, 2, 2))).toBe(false);
    expect(regionContainsRegion(box(0, 0, 10, 10), circle(0, 0, 2))).toBe(true);
    expect(regionContainsRegion(box(0, 0, 10, 10), circle(4.5, 0, 2))).toBe(false);
  });
});

describe("overlap and containment against dense sampling (fixtures/sky/make-expected.py overlap)", () => {
  const { pairs } = readExpected<{
    pairs: { a: Region; b: Region; overlap: boolean | null; aContainsB: boolean | null }[];
  }>("overlap");
  test(`${pairs.length} pairs of circles, convex/concave polygons and rotated boxes`, () => {
    let decided = 0;
    pairs.forEach((p, i) => {
      const a = validateRegion(p.a);
      const b = validateRegion(p.b);
      if (p.overlap !== null) {
        expect([i, "a∩b", regionsOverlap(a, b)]).toEqual([i, "a∩b", p.overlap]);
        expect([i, "b∩a", regionsOverlap(b, a)]).toEqual([i, "b∩a", p.overlap]);
        decided++;
      }
      if (p.aContainsB !== null) {
        expect([i, "a⊇b", regionContainsRegion(a, b)]).toEqual([i, "a⊇b", p.aContainsB]);
        decided++;
      }
    });
    expect(decided).toBeGreaterThan(250);
  });
});
