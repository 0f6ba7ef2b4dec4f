import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { repoFixture } from "../../../test/paths.js";
import { isSkyError } from "./errors.js";
import { queryBox, queryDisc, queryPolygon } from "./healpix-query.js";

type Row = Record<string, unknown> & { order: number };
interface Expected {
  query_disc: (Row & { lon: number; lat: number; radius: number })[];
  query_polygon: (Row & { lon: number[]; lat: number[] })[];
  query_box: (Row & {
    lon1: number;
    lon2: number;
    lat1: number;
    lat2: number;
    scheme: string;
    pixels: string[];
  })[];
}
const expected = JSON.parse(
  gunzipSync(readFileSync(repoFixture("sky/expected/healpix.json.gz"))).toString("utf8"),
) as Expected;

const str = (r: readonly bigint[]) => r.map(String);
function pixelsOf(ranges: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    for (let p = BigInt(ranges[i] as string); p < BigInt(ranges[i + 1] as string); p++) out.push(String(p));
  }
  return out;
}

describe("queryDisc against healpy query_disc (exact equality of pixel sets)", () => {
  test(`${expected.query_disc.length} discs, exact and inclusive (fact 1, 2, 4, 8), NESTED and RING`, () => {
    let compared = 0;
    for (const row of expected.query_disc) {
      for (const scheme of ["nest", "ring"] as const) {
        for (const [key, value] of Object.entries(row)) {
          if (!key.startsWith(scheme)) continue;
          const m = /_inclusive_(\d+)$/.exec(key);
          const opts = m ? { scheme, inclusive: true, fact: Number(m[1]) } : { scheme };
          const got = queryDisc(row.order, row.lon, row.lat, row.radius, opts);
          expect([key, row.order, row.lon, row.lat, row.radius, str(got.rangesBig)]).toEqual([
            key,
            row.order,
            row.lon,
            row.lat,
            row.radius,
            value,
          ]);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});

describe("queryPolygon against healpy query_polygon", () => {
  test(`${expected.query_polygon.length} convex polygons, exact and inclusive`, () => {
    for (const row of expected.query_polygon) {
      const verts = row.lon.map((lon, i) => ({ lon, lat: row.lat[i] as number }));
      for (const scheme of ["nest", "ring"] as const) {
        for (const [key, value] of Object.entries(row)) {
          if (!key.startsWith(scheme)) continue;
          const m = /_inclusive_(\d+)$/.exec(key);
          const opts = m ? { scheme, inclusive: true, fact: Number(m[1]) } : { scheme };
          const got = queryPolygon(row.order, verts, opts);
          if (row.order <= 24) {
            expect([key, row.order, row.lon, str(got.rangesBig)]).toEqual([key, row.order, row.lon, value]);
          } else {
            // Sub-arcsecond polygons at orders 25–29: edge normals carry ~1e-16/size rad of rounding
            // noise from libm ulps in the vertex vectors (healpy's as much as ours), a good fraction
            // of a pixel, so only boundary pixels may differ: at most 3% of the pixels.
            const want = new Set(pixelsOf(value as string[]));
            const ours = got.pixelsBig().map(String);
            const mine = new Set(ours);
            let diff = 0;
            for (const p of ours) if (!want.has(p)) diff++;
            for (const p of want) if (!mine.has(p)) diff++;
            expect(want.size).toBeGreaterThan(1000);
            expect([key, row.order, diff <= 0.03 * want.size]).toEqual([key, row.order, true]);
          }
        }
      }
    }
  });

  test("a concave polygon is a tagged error", () => {
    let err: unknown;
    try {
      queryPolygon(3, [
        { lon: 0, lat: 0 },
        { lon: 10, lat: 0 },
        { lon: 5, lat: 2 },
        { lon: 10, lat: 10 },
        { lon: 0, lat: 10 },
      ]);
    } catch (e) {
      err = e;
    }
    expect(isSkyError(err, "INVALID_ARGUMENT")).toBe(true);
  });
});

describe("queryBox against brute force over healpy pixel centres", () => {
  test("exact mode selects exactly the centres inside; inclusive is a superset", () => {
    for (const row of expected.query_box) {
      const scheme = row.scheme as "nest" | "ring";
      const got = queryBox(row.order, row.lon1, row.lon2, row.lat1, row.lat2, { scheme });
      expect([row.lon1, row.lon2, row.lat1, row.lat2, row.order, scheme, str(got.rangesBig)]).toEqual([
        row.lon1,
        row.lon2,
        row.lat1,
        row.lat2,
        row.order,
        scheme,
        row.pixels,
      ]);
      const inc = new Set(
        queryBox(row.order, row.lon1, row.lon2, row.lat1, row.lat2, { scheme, inclusive: true }).pixels(),
      );
      for (const p of got.pixels()) expect(inc.has(p)).toBe(true);
    }
  });
});
