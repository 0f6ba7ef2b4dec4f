import { describe, expect, test } from "vitest";
import { readExpected } from "../../../fixtures/sky/read-expected.js";
import { isSkyError, type SkyError } from "./errors.js";
import { box, circle, ellipse, polygon, type Region, range, regionArea } from "./region.js";
import { formatDs9, parseDs9 } from "./region-ds9.js";
import { formatStcs, parseStcs } from "./region-stcs.js";

interface Ds9Expected {
  type: string;
  center?: [number, number];
  frame?: string;
  radius?: number;
  width?: number;
  height?: number;
  angle?: number;
  vertices?: [number, number][];
}
const ds9 = readExpected<{ text: string; shapes: Ds9Expected[] }>("ds9");

function errorOf(fn: () => unknown): SkyError {
  try {
    fn();
  } catch (err) {
    if (isSkyError(err)) return err;
    throw err;
  }
  throw new Error("expected a SkyError");
}

describe("DS9 regions against python3-regions", () => {
  test("every shape of a real-world file (1e-12°)", () => {
    const shapes = parseDs9(ds9.text);
    expect(shapes.length).toBe(ds9.shapes.length);
    shapes.forEach(({ region }, i) => {
      const e = ds9.shapes[i]!;
      expect(region.frame).toBe(e.frame);
      if (region.kind === "polygon") {
        region.vertices.forEach((v, k) => {
          expect(v[0]).toBeCloseTo(e.vertices![k]![0], 12);
          expect(v[1]).toBeCloseTo(e.vertices![k]![1], 12);
        });
        return;
      }
      if (region.kind === "range") throw new Error("unexpected range");
      expect(region.center[0]).toBeCloseTo(e.center![0], 12);
      expect(region.center[1]).toBeCloseTo(e.center![1], 12);
      if (region.kind === "circle") expect(region.radius).toBeCloseTo(e.radius!, 12);
      if (region.kind === "box") {
        expect(region.width).toBeCloseTo(e.width!, 12);
        expect(region.height).toBeCloseTo(e.height!, 12);
        expect(region.angle).toBeCloseTo(e.angle!, 12);
      }
      if (region.kind === "ellipse") {
        expect(2 * region.a).toBeCloseTo(e.width!, 12);
        expect(2 * region.b).toBeCloseTo(e.height!, 12);
        expect(region.angle).toBeCloseTo(e.angle!, 12);
      }
    });
  });
  test("round trip through formatDs9 (degrees and sexagesimal)", () => {
    const shapes = parseDs9(ds9.text);
    for (const sexagesimal of [false, true]) {
      const again = parseDs9(formatDs9(shapes, { sexagesimal }));
      again.forEach((s, i) => {
        expect(s.region.kind).toBe(shapes[i]!.region.kind);
        expect(regionArea(s.region)).toBeCloseTo(regionArea(shapes[i]!.region), sexagesimal ? 6 : 9);
      });
    }
  });
  test("errors say line and character", () => {
    const e = errorOf(() => parseDs9("fk5\ncircle(10,20,3x)"));
    expect(e.code).toBe("PARSE_REGION");
    expect(e.message).toContain("line 2");
    expect(e.position).toBe(4 + 13);
    expect(errorOf(() => parseDs9("circle(1,2,3)")).message).toContain("no coordinate system");
    expect(errorOf(() => parseDs9("image\ncircle(1,2,3)")).code).toBe("UNSUPPORTED");
    expect(errorOf(() => parseDs9("fk5\npoint(1,2)")).code).toBe("UNSUPPORTED");
    expect(parseDs9('fk5; -circle(1,2,3")')[0]!.exclude).toBe(true);
    const skipped: { line: number; reason: string }[] = [];
    const kept = parseDs9('fk5\npoint(1,2)\ncircle(1,2,3")\nimage\ncircle(5,5,2)', {
      unsupported: "skip",
      skipped,
    });
    expect(kept.length).toBe(1);
    expect(skipped.map((x) => x.line)).toEqual([2, 5]);
  });
});

describe("STC-S", () => {
  test("shapes, frames, refpos and flavour", () => {
    expect(parseStcs("Circle ICRS 10 20 0.5")).toEqual({
      kind: "circle",
      center: [10, 20],
      radius: 0.5,
      frame: "icrs",
    });
    expect(parseStcs("circle icrs geocenter spherical2 10 20 0.5").kind).toBe("circle");
    expect(parseStcs("Box fillfactor 1.0 FK5 10 20 2 1")).toMatchObject({
      kind: "box",
      width: 2,
      height: 1,
      frame: "fk5",
    });
    expect(parseStcs("Polygon 359 -1 1 -1 1 1 359 1")).toMatchObject({ kind: "polygon" });
    expect(parseStcs("PositionInterval GALACTIC 350 -5 10 5")).toMatchObject({
      kind: "range",
      lon: [350, 10],
    });
    expect(parseStcs("Ellipse ICRS 10 20 2 1 30")).toMatchObject({ kind: "ellipse", a: 2, b: 1, angle: -60 });
  });
  test("round trip", () => {
    const regions: Region[] = [
      circle(10, 20, 0.5, "icrs"),
      box(359.9, -10, 2, 1, 0, "fk5"),
      polygon([
        [1, 2],
        [3, 2],
        [3, 4],
      ]),
      range(350, 10, -5, 5, "galactic"),
      ellipse(10, 20, 2, 1, 15),
    ];
    for (const r of regions) {
      const again = parseStcs(formatStcs(r));
      expect(regionArea(again)).toBeCloseTo(regionArea(r), 9);
    }
    // A rotated box is written as its corner polygon with the same area.
    const rb = box(10, 20, 2, 1, 30);
    expect(formatStcs(rb).startsWith("Polygon")).toBe(true);
    expect(regionArea(parseStcs(formatStcs(rb)))).toBeCloseTo(regionArea(rb), 9);
  });
  test("errors point at the character", () => {
    const e = errorOf(() => parseStcs("Circle ICRS 10 2x 0.5"));
    expect(e.code).toBe("PARSE_REGION");
    expect(e.position).toBe(15);
    expect(errorOf(() => parseStcs("Union ICRS (Circle 1 2 3 Circle 4 5 6)")).code).toBe("UNSUPPORTED");
    expect(errorOf(() => parseStcs("Circle ICRS 10 20")).message).toContain("needs 3 numbers");
    expect(errorOf(() => parseStcs("Circle ICRS 10 95 1")).code).toBe("PARSE_REGION");
  });
});

describe("fuzz: region parsers only throw tagged errors and never hang", () => {
  let seed = 99;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const mutate = (base: string, alphabet: string) => {
    const k = Math.floor(rand() * 4);
    let s = base;
    for (let j = 0; j <= k; j++) {
      const at = Math.floor(rand() * (s.length + 1));
      const r = rand();
      if (r < 0.3) s = s.slice(0, at);
      else if (r < 0.6) s = s.slice(0, at) + alphabet[Math.floor(rand() * alphabet.length)] + s.slice(at + 1);
      else if (r < 0.8) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 5));
      else s = s.slice(0, at) + alphabet[Math.floor(rand() * alphabet.length)] + s.slice(at);
    }
    return s;
  };
  const check = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      if (!isSkyError(err)) throw err;
      expect(["PARSE_REGION", "UNSUPPORTED"]).toContain(err.code);
    }
  };
  test("STC-S", () => {
    const bases = [
      "Circle ICRS 10 20 0.5",
      "Box fillfactor 1.0 FK5 10 20 2 1",
      "Polygon ICRS GEOCENTER 359 -1 1 -1 1 1 359 1",
      "PositionInterval GALACTIC 350 -5 10 5",
      "Ellipse ICRS 10 20 2 1 30",
    ];
    for (let n = 0; n < 5000; n++)
      check(() => parseStcs(mutate(bases[n % bases.length]!, "0123456789.-+ eEabcCIRS()x\t")));
  });
  test("DS9", () => {
    for (let n = 0; n < 1500; n++) {
      const t0 = performance.now();
      check(() => parseDs9(mutate(ds9.text, "0123456789.-+:,;#()\"'dhms fk5\n")));
      expect(performance.now() - t0).toBeLessThan(1000);
    }
  });
});
