import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { repoFixture } from "../../../test/paths.js";
import { crossMatchNearest, crossMatchWithin, SkyIndex } from "./cross-match.js";
import { isSkyError } from "./errors.js";

interface Cat {
  lon: number[];
  lat: number[];
}
interface Expected {
  a: Cat;
  b: Cat;
  nearest_ab: { index: number[]; sep: number[] };
  nearest_ba: { index: number[]; sep: number[] };
  within: { radius: number; a: number[]; b: number[]; sep: number[] }[];
}
const E = JSON.parse(
  gunzipSync(readFileSync(repoFixture("sky/expected/cross-match.json.gz"))).toString("utf8"),
) as Expected;

// Separations: astropy uses Vincenty's formula on the same doubles; 1e-10 degree (0.4 µas) is
// far above rounding and far below any real separation difference.
const SEP_TOL = 1e-10;

describe("cross-match against astropy", () => {
  test("nearest neighbour equals match_coordinates_sky in both directions", () => {
    for (const [from, to, want] of [
      [E.a, E.b, E.nearest_ab],
      [E.b, E.a, E.nearest_ba],
    ] as const) {
      const got = crossMatchNearest(from, to);
      let ties = 0;
      for (let i = 0; i < want.sep.length; i++) {
        // Same separation to 1e-10°: where the index differs, both candidates are equally near
        // (the fixture clips many positions onto the poles, where they coincide).
        expect(Math.abs((got.separation[i] as number) - (want.sep[i] as number))).toBeLessThan(SEP_TOL);
        if (got.index[i] !== want.index[i]) {
          ties++;
          expect(Math.abs(Math.abs(from.lat[i] as number) - 90) < 1 || (want.sep[i] as number) === 0).toBe(
            true,
          );
        }
      }
      expect(ties).toBeLessThan(want.sep.length / 100);
    }
  });

  test("all pairs within a radius equal search_around_sky", () => {
    const index = new SkyIndex(E.b);
    for (const w of E.within) {
      const got = crossMatchWithin(E.a, index, w.radius);
      expect([w.radius, Array.from(got.indexA)]).toEqual([w.radius, w.a]);
      expect(Array.from(got.indexB)).toEqual(w.b);
      for (let i = 0; i < w.sep.length; i++) {
        expect(Math.abs((got.separation[i] as number) - (w.sep[i] as number))).toBeLessThan(SEP_TOL);
      }
    }
  });

  test("nearest within a maximum separation leaves far rows unmatched", () => {
    const got = crossMatchNearest(E.a, E.b, { maxSeparation: 0.3 });
    for (let i = 0; i < E.nearest_ab.index.length; i++) {
      const s = E.nearest_ab.sep[i] as number;
      if (s <= 0.3) expect(got.separation[i]).toBeCloseTo(s, 9);
      else expect([got.index[i], Number.isNaN(got.separation[i])]).toEqual([-1, true]);
    }
  });

  test("invalid positions are tagged errors naming the row", () => {
    let err: unknown;
    try {
      crossMatchNearest({ lon: [0, 1], lat: [0, 100] }, E.b);
    } catch (e) {
      err = e;
    }
    expect(isSkyError(err, "INVALID_ARGUMENT")).toBe(true);
    expect((err as Error).message).toMatch(/row 1/);
  });

  test("empty catalogues", () => {
    expect(crossMatchNearest({ lon: [], lat: [] }, E.b).index.length).toBe(0);
    expect(Array.from(crossMatchNearest({ lon: [1], lat: [1] }, { lon: [], lat: [] }).index)).toEqual([-1]);
    expect(crossMatchWithin({ lon: [1], lat: [1] }, { lon: [], lat: [] }, 1).indexA.length).toBe(0);
  });
});

describe("all pairs: zones agree with a brute-force scan (property test)", () => {
  test("random catalogues, radii 0 to 200°, longitudes outside [0, 360), poles and duplicates", () => {
    let seed = 11;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const cat = (n: number) => {
      const lon: number[] = [];
      const lat: number[] = [];
      for (let i = 0; i < n; i++) {
        lon.push(rand() * 1080 - 360);
        lat.push(rand() < 0.1 ? (rand() < 0.5 ? 90 : -90) : (Math.asin(2 * rand() - 1) * 180) / Math.PI);
      }
      lon.push(lon[0]!);
      lat.push(lat[0]!);
      return { lon, lat };
    };
    const brute = (a: Cat, b: Cat, r: number) => {
      const out: [number, number][] = [];
      const v = (lon: number, lat: number) => {
        const c = Math.cos((lat * Math.PI) / 180);
        return [
          c * Math.cos((lon * Math.PI) / 180),
          c * Math.sin((lon * Math.PI) / 180),
          Math.sin((lat * Math.PI) / 180),
        ];
      };
      a.lon.forEach((_, i) => {
        const p = v(a.lon[i]!, a.lat[i]!);
        b.lon.forEach((_, j) => {
          const q = v(b.lon[j]!, b.lat[j]!);
          const cx = p[1]! * q[2]! - p[2]! * q[1]!;
          const cy = p[2]! * q[0]! - p[0]! * q[2]!;
          const cz = p[0]! * q[1]! - p[1]! * q[0]!;
          const d =
            (Math.atan2(Math.hypot(cx, cy, cz), p[0]! * q[0]! + p[1]! * q[1]! + p[2]! * q[2]!) * 180) /
            Math.PI;
          // Leave out pairs within 1e-9° of the radius: the two angle formulas may round apart.
          if (Math.abs(d - r) > 1e-9 && d <= r) out.push([i, j]);
        });
      });
      return out;
    };
    for (const r of [0, 1e-4, 0.5, 3, 20, 95, 200]) {
      const a = cat(150);
      const b = cat(170);
      const got = crossMatchWithin(a, b, r);
      const pairs = Array.from(got.indexA, (i, k) => `${i},${got.indexB[k]}`);
      const want = brute(a, b, r).map(([i, j]) => `${i},${j}`);
      const gotSet = new Set(pairs);
      for (const w of want) expect([r, w, gotSet.has(w)]).toEqual([r, w, true]);
      // Sorted by a then b.
      for (let k = 1; k < got.indexA.length; k++) {
        const d = got.indexA[k]! - got.indexA[k - 1]! || got.indexB[k]! - got.indexB[k - 1]!;
        expect(d).toBeGreaterThan(0);
      }
    }
  });
});
