import { ang2pixBig, offsetByAngle } from "@meridian/sky";
import { describe, expect, test } from "vitest";
import { coneRanges, footprintTouchesCone } from "./cone.js";

function covered(ranges: bigint[], pixel: bigint): boolean {
  for (let i = 0; i < ranges.length; i += 2) if (pixel >= ranges[i]! && pixel < ranges[i + 1]!) return true;
  return false;
}

describe("cone to order-29 index ranges", () => {
  test("every point inside the cone falls in a range (property: many cones, many points)", () => {
    let seed = 3;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let k = 0; k < 60; k++) {
      const ra = 360 * rand();
      const dec = k % 10 === 0 ? 89.9 - rand() : (Math.asin(2 * rand() - 1) * 180) / Math.PI;
      const radius = 10 ** (-3 + 4 * rand());
      const ranges = coneRanges(ra, dec, radius);
      expect(ranges.length % 2).toBe(0);
      expect(ranges.length / 2).toBeLessThan(200);
      for (let i = 0; i < 40; i++) {
        const [lon, lat] = offsetByAngle(ra, dec, 360 * rand(), radius * Math.sqrt(rand()) * 0.999);
        expect(covered(ranges, ang2pixBig(29, lon, lat))).toBe(true);
      }
    }
  });

  test("a cone of 180° or more is the whole sky", () => {
    expect(coneRanges(0, 0, 180)).toEqual([0n, 12n * 4n ** 29n]);
  });

  test("footprint polygons: a corner reaching into the cone counts; a degenerate one falls back to true", () => {
    const square: [number, number][] = [
      [10, 10],
      [11, 10],
      [11, 11],
      [10, 11],
    ];
    expect(footprintTouchesCone(square, { ra: 11.2, dec: 11.2, radius: 0.3 })).toBe(true);
    expect(footprintTouchesCone(square, { ra: 12, dec: 12, radius: 0.3 })).toBe(false);
    expect(footprintTouchesCone(square, { ra: 10.5, dec: 10.5, radius: 0.01 })).toBe(true);
    expect(
      footprintTouchesCone(
        [
          [1, 1],
          [1, 1],
          [1, 1],
          [1, 1],
        ],
        { ra: 50, dec: 50, radius: 1 },
      ),
    ).toBe(true);
  });
});
