import { describe, expect, test } from "vitest";
import { readExpected } from "../../../fixtures/sky/read-expected.js";
import { isSkyError } from "./errors.js";
import {
  boundingCircle,
  box,
  circle,
  polygon,
  type Region,
  regionArea,
  regionContains,
  regionContainsMany,
  regionSolidAngle,
} from "./region.js";
import { separation } from "./sphere-geometry.js";

interface Case {
  region: Region;
  lon: number[];
  lat: number[];
  inside: number[];
  area_sr: number;
}
const { cases } = readExpected<{ cases: Case[] }>("regions");
const label = (r: Region) => `${r.kind} ${JSON.stringify(r).slice(0, 70)}`;

describe("regions against exact spherical formulas (numpy/scipy)", () => {
  for (const c of cases) {
    test(`contains and area: ${label(c.region)}`, () => {
      // contains: exact agreement except within 1e-9° of the boundary; area: 1e-9 relative (ellipse 1e-8).
      const got = regionContainsMany(c.region, c.lon, c.lat);
      let mismatches = 0;
      for (let i = 0; i < c.lon.length; i++) if (got[i] !== c.inside[i]) mismatches++;
      expect(mismatches).toBe(0);
      const tol = c.region.kind === "ellipse" ? 1e-8 : 1e-9;
      expect(Math.abs(regionSolidAngle(c.region) / c.area_sr - 1)).toBeLessThan(tol);
    });
    test(`bounding circle holds every inside point: ${label(c.region)}`, () => {
      const bc = boundingCircle(c.region);
      for (let i = 0; i < c.lon.length; i++) {
        if (c.inside[i])
          expect(separation(bc.center[0], bc.center[1], c.lon[i]!, c.lat[i]!)).toBeLessThanOrEqual(bc.radius);
      }
    });
  }
});

describe("region rules", () => {
  test("orientation does not matter with interior 'smaller'; 'right' gives the complement", () => {
    const v = [
      [10, 0],
      [20, 0],
      [20, 10],
      [10, 10],
    ] as const;
    const a = polygon(v);
    const b = polygon([...v].reverse());
    const big = polygon(v, "right");
    expect(regionArea(a)).toBeCloseTo(regionArea(b), 9);
    expect(regionArea(a) + regionArea(big)).toBeCloseTo((4 * Math.PI * 180 * 180) / Math.PI / Math.PI, 6);
    expect(regionContains(a, 15, 5)).toBe(true);
    expect(regionContains(big, 15, 5)).toBe(false);
    expect(regionContains(big, 195, -5)).toBe(true);
  });
  test("a box is its own corners' polygon", () => {
    const b = box(359.9, 0, 2, 1, 30);
    expect(regionContains(b, 0.2, 0)).toBe(true);
    expect(regionContains(b, 1.5, 0)).toBe(false);
  });
  test("invalid regions are tagged errors", () => {
    for (const make of [
      () => circle(0, 95, 1),
      () => circle(0, 0, -1),
      () =>
        polygon([
          [0, 0],
          [1, 0],
        ]),
      () =>
        polygon([
          [0, 0],
          [0, 0],
          [1, 1],
        ]),
      () => box(0, 0, 0, 1),
    ]) {
      try {
        make();
        throw new Error("no error");
      } catch (err) {
        expect(isSkyError(err, "INVALID_ARGUMENT")).toBe(true);
      }
    }
  });
});
