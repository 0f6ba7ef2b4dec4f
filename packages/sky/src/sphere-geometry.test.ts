import { describe, expect, test } from "vitest";
import { readExpected } from "../../../fixtures/sky/read-expected.js";
import {
  midpoint,
  offsetByAngle,
  positionAngle,
  rotateAbout,
  separation,
  sphericalOffsetsBy,
  sphericalOffsetsTo,
  vectorSeparation,
} from "./sphere-geometry.js";
import { lonLatToVector } from "./vector3.js";

const g = readExpected<Record<string, number[]>>("geometry");
const col = (k: string) => g[k]!;
const n = col("lon1").length;
const MAS = 1 / 3.6e6;
const apartDeg = (l1: number, b1: number, l2: number, b2: number) =>
  (vectorSeparation(lonLatToVector(l1, b1), lonLatToVector(l2, b2)) * 180) / Math.PI;

describe("sphere geometry against astropy", () => {
  test(`separation of ${n} pairs (near-zero, antipodes, poles, RA 0/360): 1e-9 mas relative, 1 µas absolute`, () => {
    for (let i = 0; i < n; i++) {
      const s = separation(col("lon1")[i]!, col("lat1")[i]!, col("lon2")[i]!, col("lat2")[i]!);
      expect(Math.abs(s - col("sep")[i]!)).toBeLessThan(Math.max(1e-3 * MAS, 1e-12 * col("sep")[i]!));
    }
  });
  test("position angle within 1e-9° (skipping coincident points and poles where it is undefined)", () => {
    for (let i = 0; i < n; i++) {
      const [l1, b1, l2, b2] = [col("lon1")[i]!, col("lat1")[i]!, col("lon2")[i]!, col("lat2")[i]!];
      if (Math.abs(b1) === 90 || col("sep")[i]! < 1e-4 || col("sep")[i]! > 180 - 1e-4) continue;
      const d = Math.abs(positionAngle(l1, b1, l2, b2) - col("pa")[i]!);
      expect(Math.min(d, 360 - d)).toBeLessThan(1e-9);
    }
  });
  test("offsets by position angle and spherical offsets, 0.01 mas", () => {
    for (let i = 0; i < n; i++) {
      const [l1, b1] = [col("lon1")[i]!, col("lat1")[i]!];
      const [ol, ob] = offsetByAngle(l1, b1, col("off_pa")[i]!, col("off_d")[i]!);
      if (Math.abs(b1) !== 90)
        expect(apartDeg(ol, ob, col("off_lon")[i]!, col("off_lat")[i]!)).toBeLessThan(0.01 * MAS);
      const [sl, sb] = sphericalOffsetsBy(l1, b1, col("by_dlon")[i]!, col("by_dlat")[i]!);
      expect(apartDeg(sl, sb, col("by_lon")[i]!, col("by_lat")[i]!)).toBeLessThan(0.01 * MAS);
      if (Math.abs(b1) === 90) continue;
      const [dl, db] = sphericalOffsetsTo(l1, b1, col("lon2")[i]!, col("lat2")[i]!);
      if (col("sep")[i]! < 179.999) {
        expect(Math.abs(db - col("dlat")[i]!)).toBeLessThan(0.01 * MAS);
        const dd = Math.abs(dl - col("dlon")[i]!);
        expect(Math.min(dd, 360 - dd)).toBeLessThan(0.01 * MAS);
      }
    }
  });
});

describe("rotations", () => {
  test("rotating about the pole shifts longitude; midpoint is equidistant", () => {
    const [l, b] = rotateAbout(10, 20, 0, 90, 30);
    expect(l).toBeCloseTo(40, 12);
    expect(b).toBeCloseTo(20, 12);
    const [ml, mb] = midpoint(350, 10, 20, -5);
    expect(separation(ml, mb, 350, 10)).toBeCloseTo(separation(ml, mb, 20, -5), 12);
  });
});
