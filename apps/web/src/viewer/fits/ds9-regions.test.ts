/**
 * DS9 regions placed on field-00 of the viewer scenario against astropy-regions 0.7 (positions,
 * sizes and angles in pixels, fixtures/viewer/make-wcs-oracle.py), and the parser fuzzed with
 * truncated, mutated and random input: every outcome is a result or a Ds9ParseError with a line.
 */
import { describe, expect, test } from "vitest";
import oracleJson from "../../../../../fixtures/viewer/expected/fits-viewer-oracle.json";
import { Ds9ParseError, parseDs9Regions } from "./ds9-regions.js";
import { ImageWcs } from "./image-wcs.js";
import { type PixelShape, regionToPixels } from "./overlay-geometry.js";

interface OracleRegion {
  shape: string;
  exclude: boolean;
  center?: [number, number];
  vertices?: [number, number][];
  start?: [number, number];
  end?: [number, number];
  radius?: number;
  width?: number;
  height?: number;
  angle?: number;
  text?: string;
}

const oracle = oracleJson as unknown as {
  regionText: string;
  regions: OracleRegion[];
  field00: { cards: string[] };
};

// Positions: astropy-regions converts sky → pixel with the same WCS; 0.01 px ≈ 0.04 mas here.
const POS = 0.01;
// Sizes: both use the local pixel scale; 1e-4 px.
const SIZE = 1e-4;

describe("DS9 regions on field-00", () => {
  const wcs = ImageWcs.fromCards(oracle.field00.cards);
  const parsed = parseDs9Regions(oracle.regionText);
  const shapes = parsed.regions.map((r) => regionToPixels(r, wcs));

  test("every shape of the file is read and placed", () => {
    expect(parsed.skipped).toEqual([]);
    expect(shapes.map((s) => s?.kind)).toEqual(
      oracle.regions.map((r) => (r.shape === "rectangle" ? "box" : r.shape)),
    );
  });

  test.each(oracle.regions.map((r, i) => [i, r.shape, r] as const))(
    "region %i (%s) matches astropy-regions",
    (i, _name, want) => {
      const got = shapes[i] as PixelShape;
      expect(got.exclude).toBe(want.exclude);
      if (want.text !== undefined) expect(got.text).toBe(want.text);
      switch (got.kind) {
        case "circle":
          expect(Math.abs(got.x - want.center![0])).toBeLessThan(POS);
          expect(Math.abs(got.y - want.center![1])).toBeLessThan(POS);
          expect(Math.abs(got.r - want.radius!)).toBeLessThan(SIZE);
          break;
        case "ellipse":
          expect(Math.abs(got.x - want.center![0])).toBeLessThan(POS);
          expect(Math.abs(got.y - want.center![1])).toBeLessThan(POS);
          // astropy-regions gives full axes; DS9 and we give semi-axes.
          expect(Math.abs(2 * got.a - want.width!)).toBeLessThan(SIZE);
          expect(Math.abs(2 * got.b - want.height!)).toBeLessThan(SIZE);
          expect(Math.abs(got.angle - want.angle!)).toBeLessThan(0.01);
          break;
        case "box":
          expect(Math.abs(got.x - want.center![0])).toBeLessThan(POS);
          expect(Math.abs(got.y - want.center![1])).toBeLessThan(POS);
          expect(Math.abs(got.a - want.width!)).toBeLessThan(SIZE);
          expect(Math.abs(got.b - want.height!)).toBeLessThan(SIZE);
          expect(Math.abs(got.angle - want.angle!)).toBeLessThan(0.01);
          break;
        case "polygon":
          expect(got.points.length).toBe(want.vertices!.length);
          got.points.forEach(([x, y], k) => {
            expect(Math.abs(x - want.vertices![k]![0])).toBeLessThan(POS);
            expect(Math.abs(y - want.vertices![k]![1])).toBeLessThan(POS);
          });
          break;
        case "line":
          expect(Math.abs(got.points[0]![0] - want.start![0])).toBeLessThan(POS);
          expect(Math.abs(got.points[0]![1] - want.start![1])).toBeLessThan(POS);
          expect(Math.abs(got.points[1]![0] - want.end![0])).toBeLessThan(POS);
          expect(Math.abs(got.points[1]![1] - want.end![1])).toBeLessThan(POS);
          break;
        case "point":
        case "text":
          expect(Math.abs(got.x - want.center![0])).toBeLessThan(POS);
          expect(Math.abs(got.y - want.center![1])).toBeLessThan(POS);
          break;
      }
    },
  );

  test("properties: colour, point marker, global colour", () => {
    const r = parsed.regions;
    expect(r[0]!.color).toBe("red");
    expect(r[1]!.color).toBe("cyan");
    expect(r[2]!.color).toBe("green");
    expect(r[4]!.marker).toBe("cross");
    expect(r[11]!.marker).toBe("box");
  });
});

describe("DS9 syntax", () => {
  test("old point syntax, space-separated arguments, ';' separated commands, units", () => {
    const { regions, skipped } = parseDs9Regions(
      "image; circle point 10 20\nx point(3,4)\nbox 5 6 7 8 # color=blue\nfk5;circle(1:00:00,+10:00:00,3')\nannulus(1,2,3,4)\nellipse(1,2,3\",1.5',0)",
    );
    expect(regions.map((r) => [r.shape, r.marker, r.system])).toEqual([
      ["point", "circle", "image"],
      ["point", "x", "image"],
      ["box", null, "image"],
      ["circle", null, "fk5"],
      ["ellipse", null, "fk5"],
    ]);
    expect(regions[3]!.points[0]).toEqual([15, 10]);
    expect(regions[3]!.sizes[0]).toEqual({ value: 3 / 60, unit: "deg" });
    expect(regions[4]!.sizes).toEqual([
      { value: 3 / 3600, unit: "deg" },
      { value: 1.5 / 60, unit: "deg" },
    ]);
    expect(skipped).toEqual([{ line: 5, reason: '"annulus" regions are not drawn' }]);
  });

  test.each([
    ["circle(1,2)", 1, "circle needs x, y and a radius"],
    ["image\ncircle(1,2,x)", 2, "bad size"],
    ["image\npolygon(1,2,3,4,5)", 2, "polygon needs at least three vertices"],
    ["fk5\ncircle(25:61:00,1,2)", 2, "bad longitude"],
    ["image\nhexagon(1,2)", 2, 'unknown shape or command "hexagon"'],
    ["image\ncircle(1,2,3", 2, 'without ")"'],
    ["image\ntext(1,2)", 2, "text needs a string"],
  ])("%j fails on line %i with %j", (text, line, message) => {
    let err: unknown;
    try {
      parseDs9Regions(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Ds9ParseError);
    expect((err as Ds9ParseError).line).toBe(line);
    expect((err as Error).message).toContain(message);
    expect((err as Error).message).toMatch(/^DS9 region file, line \d+, column \d+: /);
  });
});

describe("DS9 parser fuzz", () => {
  // A deterministic generator so failures reproduce.
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const check = (text: string) => {
    try {
      const out = parseDs9Regions(text);
      for (const r of out.regions) {
        expect(r.line).toBeGreaterThan(0);
        for (const p of r.points) expect(p.every(Number.isFinite)).toBe(true);
      }
    } catch (err) {
      if (!(err instanceof Ds9ParseError))
        throw new Error(`not a Ds9ParseError for ${JSON.stringify(text)}: ${err}`);
      expect(err.line).toBeGreaterThan(0);
      expect(err.column).toBeGreaterThan(0);
    }
  };

  test("every truncation of a real file", () => {
    const text = oracle.regionText;
    for (let i = 0; i <= text.length; i++) check(text.slice(0, i));
  });

  test("random byte mutations", () => {
    const text = oracle.regionText;
    const alphabet = "()[]{},;#:\"'-+.0123456789 \n\tdhmsr=abcxyz\u0000\u00ff";
    for (let n = 0; n < 3000; n++) {
      const chars = text.split("");
      const k = 1 + Math.floor(random() * 6);
      for (let j = 0; j < k; j++) {
        const at = Math.floor(random() * chars.length);
        const op = random();
        const c = alphabet[Math.floor(random() * alphabet.length)]!;
        if (op < 0.4) chars[at] = c;
        else if (op < 0.7) chars.splice(at, 1);
        else chars.splice(at, 0, c);
      }
      check(chars.join(""));
    }
  });

  test("random garbage and pathological input finish", () => {
    for (let n = 0; n < 500; n++) {
      const len = Math.floor(random() * 200);
      let s = "";
      for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(random() * 128));
      check(s);
    }
    check("circle(".repeat(10_000));
    check(`image\npolygon(${"1,".repeat(50_000)}1)`);
    check("{".repeat(50_000));
    check(`# text(1,2) text={${"x".repeat(50_000)}`);
  });
});
