import { describe, expect, test } from "vitest";
import { readExpected } from "../../../fixtures/sky/read-expected.js";
import { isSkyError } from "./errors.js";
import {
  convertPosition,
  convertPositions,
  convertVector,
  formatFrame,
  fromIcrs,
  parseFrame,
  toIcrs,
} from "./frames.js";
import { lonLatToVector, vectorToLonLat } from "./vector3.js";

interface Case {
  from: string;
  to: string;
  lon: number[];
  lat: number[];
  elon: number[];
  elat: number[];
}
const { cases } = readExpected<{ cases: Case[] }>("frames");
const MAS_RAD = Math.PI / 180 / 3.6e6;

/** Angle between two directions in radians (robust at small angles). */
function apart(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const a = lonLatToVector(lon1, lat1);
  const b = lonLatToVector(lon2, lat2);
  const c = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  return Math.atan2(Math.hypot(c[0]!, c[1]!, c[2]!), a[0] * b[0] + a[1] * b[1] + a[2] * b[2]);
}

describe("frame conversions against astropy", () => {
  for (const c of cases) {
    // 1 mas for every frame; the true ecliptic uses 2000B nutation: 2 mas.
    const tol = (c.to.includes("true") || c.from.includes("true") ? 2 : 1) * MAS_RAD;
    test(`${c.from} → ${c.to}: ${c.lon.length} points within ${tol / MAS_RAD} mas`, () => {
      let worst = 0;
      for (let i = 0; i < c.lon.length; i++) {
        const [l, b] = convertPosition(c.lon[i]!, c.lat[i]!, c.from, c.to);
        worst = Math.max(worst, apart(l, b, c.elon[i]!, c.elat[i]!));
      }
      expect(worst).toBeLessThan(tol);
      const batch = convertPositions(c.lon, c.lat, c.from, c.to);
      for (let i = 0; i < c.lon.length; i++) {
        expect(apart(batch.lon[i]!, batch.lat[i]!, c.elon[i]!, c.elat[i]!)).toBeLessThan(tol);
      }
    });
  }
});

describe("unit-vector conversions against astropy", () => {
  test("convertVector on every fixture case; toIcrs / fromIcrs on the cases with ICRS on one side", () => {
    let worst = 0;
    let icrsCases = 0;
    for (const c of cases) {
      const tol = (c.to.includes("true") || c.from.includes("true") ? 2 : 1) * MAS_RAD;
      const from = parseFrame(c.from);
      const to = parseFrame(c.to);
      for (let i = 0; i < c.lon.length; i++) {
        const v = lonLatToVector(c.lon[i]!, c.lat[i]!);
        const got: [number, number][] = [vectorToLonLat(convertVector(v, from, to))];
        if (c.from === "icrs") got.push(vectorToLonLat(fromIcrs(v, to)));
        if (c.to === "icrs") got.push(vectorToLonLat(toIcrs(v, from)));
        for (const [l, b] of got) {
          const d = apart(l, b, c.elon[i]!, c.elat[i]!);
          expect(d).toBeLessThan(tol);
          worst = Math.max(worst, d);
        }
      }
      if (c.from === "icrs" || c.to === "icrs") icrsCases++;
    }
    expect(icrsCases).toBeGreaterThanOrEqual(14);
    expect(worst).toBeLessThan(2 * MAS_RAD);
  });
});

describe("frame names", () => {
  test("parse and format", () => {
    expect(formatFrame(parseFrame("J2000"))).toBe("fk5(J2000.000)");
    expect(formatFrame(parseFrame("B1950"))).toBe("fk4(B1950.000)");
    expect(formatFrame(parseFrame("fk5(J1975)"))).toBe("fk5(J1975.000)");
    expect(parseFrame("gal").name).toBe("galactic");
    expect(parseFrame("fk4(B1950, J1990)").obstime?.julianEpoch()).toBeCloseTo(1990, 9);
  });
  test("unknown frames and bad positions are tagged errors", () => {
    expect(() => parseFrame("fk6")).toThrow(expect.objectContaining({ code: "UNKNOWN_FRAME" }));
    try {
      convertPosition(0, 91, "icrs", "galactic");
    } catch (err) {
      expect(isSkyError(err, "INVALID_ARGUMENT")).toBe(true);
    }
  });
});
