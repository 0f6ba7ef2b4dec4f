import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { repoFixture } from "../../../test/paths.js";
import { isSkyError } from "./errors.js";
import { Moc, type MocCell, uniqToCell } from "./moc.js";
import {
  mocFromBox,
  mocFromContains,
  mocFromConvexPolygon,
  mocFromDisc,
  mocFromRegion,
} from "./moc-build.js";
import { circle, ellipse, polygon, range } from "./region.js";

type Cells = Record<string, string[]>;
interface Expected {
  mocs: Record<
    string,
    {
      order: number;
      cells: Cells;
      area_sr: number;
      area_deg2: number;
      points: { lon: number[]; lat: number[]; inside: boolean[] };
    }
  >;
  ops: Record<string, Record<string, Cells>>;
}
const E = JSON.parse(readFileSync(repoFixture("sky/expected/moc.json"), "utf8")) as Expected;

/** pymoc's {order: [cells]} form of our cells (non-empty orders only). */
function asCells(cells: MocCell[]): Cells {
  const out: Cells = {};
  for (const c of cells) {
    const k = String(c.order);
    out[k] = [...(out[k] ?? []), String(c.ipix)];
  }
  return out;
}
function fromCells(c: Cells, order?: number): Moc {
  return Moc.fromCells(
    Object.entries(c).flatMap(([o, list]) => list.map((p) => ({ order: Number(o), ipix: BigInt(p) }))),
    order,
  );
}
const mocs = Object.fromEntries(Object.entries(E.mocs).map(([k, v]) => [k, fromCells(v.cells, v.order)]));

describe("MOC against pymoc", () => {
  test("normalised cells, order and area", () => {
    for (const [name, m] of Object.entries(E.mocs)) {
      const moc = mocs[name] as Moc;
      expect([name, asCells(moc.cells())]).toEqual([name, m.cells]);
      expect(moc.order).toBe(m.order);
      // Area: both sum exact cell counts × 4π/npix; 1e-12 relative covers summation order.
      expect(Math.abs(moc.areaSr - m.area_sr)).toBeLessThanOrEqual(1e-12 * m.area_sr);
      expect(Math.abs(moc.areaDeg2 - m.area_deg2)).toBeLessThanOrEqual(1e-12 * m.area_deg2);
    }
  });

  test("contains: random points and cell centres (membership computed with healpy)", () => {
    for (const [name, m] of Object.entries(E.mocs)) {
      const moc = mocs[name] as Moc;
      const got = Array.from(moc.containsMany(m.points.lon, m.points.lat), (v) => v === 1);
      expect([name, got]).toEqual([name, m.points.inside]);
    }
  });

  test("union, intersection, difference, complement, degrade", () => {
    for (const [key, ops] of Object.entries(E.ops)) {
      const [a, b] = key.split("|") as [string, string | undefined];
      const A = mocs[a] as Moc;
      if (b !== undefined) {
        const B = mocs[b] as Moc;
        expect([key, "union", asCells(A.union(B).cells())]).toEqual([key, "union", ops.union]);
        expect([key, "intersection", asCells(A.intersection(B).cells())]).toEqual([
          key,
          "intersection",
          ops.intersection,
        ]);
        expect([key, "difference", asCells(A.difference(B).cells())]).toEqual([
          key,
          "difference",
          ops.difference,
        ]);
      } else {
        expect(asCells(A.complement().cells())).toEqual(ops.complement);
        for (const k of [0, 3, 5, 7])
          expect([key, k, asCells(A.degrade(k).cells())]).toEqual([key, k, ops[`degrade${k}`]]);
      }
    }
  });
});

describe("MOC building", () => {
  test("disc MOC equals the healpy inclusive query_disc MOC", () => {
    const m = mocFromDisc(10, 20, 5, 8);
    expect(asCells(m.cells())).toEqual(E.mocs.disc8?.cells);
  });

  test("points, cells, NUNIQ round trip", () => {
    const m = Moc.fromPoints([10, 10.0001, 200], [20, 20, -45], 10);
    expect(m.cells().length).toBe(2);
    expect(m.contains(10, 20)).toBe(true);
    const u = mocs.deep?.uniq() ?? [];
    expect(Moc.fromUniq(u, 29).equals(mocs.deep as Moc)).toBe(true);
    expect(uniqToCell(4n)).toEqual({ order: 0, ipix: 0n });
  });

  test("convex polygon and box MOCs cover their centres and match the contains-based cover", () => {
    const poly = [
      { lon: 10, lat: 10 },
      { lon: 30, lat: 12 },
      { lon: 25, lat: 30 },
    ];
    const m = mocFromConvexPolygon(poly, 7);
    expect(m.contains(22, 18)).toBe(true);
    expect(m.contains(60, 18)).toBe(false);
    const box = mocFromBox(350, 10, -5, 5, 6);
    expect(box.contains(0, 0) && box.contains(355, 4.9) && !box.contains(15, 0)).toBe(true);
    // A region given only by contains (here: the same box) gives a subset of the inclusive cover.
    const viaContains = mocFromContains(
      {
        contains: (lon, lat) => (lon >= 350 || lon <= 10) && lat >= -5 && lat <= 5,
        boundingCircle: () => ({ lon: 0, lat: 0, radius: 7.1 }),
      },
      6,
    );
    expect(viaContains.difference(box).isEmpty).toBe(true);
    // The true box area is 20° × (sin 5° − sin −5°) rad ≈ 199.4 deg²; a cover is at least that.
    expect(viaContains.areaDeg2).toBeGreaterThan(199.4);
  });

  test("from regions: circle, range, concave polygon, ellipse", () => {
    expect(mocFromRegion(circle(10, 20, 5), 8).equals(mocFromDisc(10, 20, 5, 8))).toBe(true);
    expect(mocFromRegion(range(350, 10, -5, 5), 6).equals(mocFromBox(350, 10, -5, 5, 6))).toBe(true);
    // A "U" shape: concave, so covered by refinement of its contains test.
    const u = polygon([
      [0, 0],
      [30, 0],
      [30, 30],
      [20, 30],
      [20, 10],
      [10, 10],
      [10, 30],
      [0, 30],
    ]);
    const m = mocFromRegion(u, 8);
    expect([m.contains(5, 20), m.contains(25, 20), m.contains(15, 5), m.contains(15, 20)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    const e = mocFromRegion(ellipse(100, -40, 3, 1, 30), 9);
    expect(e.contains(100, -40)).toBe(true);
    expect(e.contains(100, -45)).toBe(false);
    // cover ≥ true area π·a·b (small-ellipse limit) and not far above it
    expect(e.areaDeg2).toBeGreaterThan(Math.PI * 3 * 1);
    expect(e.areaDeg2).toBeLessThan(Math.PI * 3 * 1 * 1.3);
  });

  test("bad orders and cells are tagged errors", () => {
    const errs: unknown[] = [];
    for (const f of [
      () => new Moc(30),
      () => Moc.fromCells([{ order: 1, ipix: 48 }]),
      () => uniqToCell(3n),
    ]) {
      try {
        f();
      } catch (e) {
        errs.push(e);
      }
    }
    expect(errs.map((e) => isSkyError(e))).toEqual([true, true, true]);
  });
});
