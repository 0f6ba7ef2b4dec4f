import { describe, expect, test } from "vitest";
import { readExpected } from "../../../fixtures/sky/read-expected.js";
import { isSkyError } from "./errors.js";
import { cellSpan, Moc } from "./moc.js";
import {
  formatStcsShape,
  isCompoundRegion,
  mocFromShape,
  parseStcsShape,
  type SkyShape,
  shapeContains,
} from "./region-compound.js";
import { parseStcs } from "./region-stcs.js";

interface Case {
  text: string;
  lon: number[];
  lat: number[];
  inside: number[];
  order: number;
  moc: [number, number][];
}
const { cases } = readExpected<{ cases: Case[] }>("stcs-compound");

describe("STC-S compound regions against astropy/healpy (fixtures/sky/make-expected.py stcs-compound)", () => {
  for (const c of cases) {
    test(c.text, () => {
      const shape = parseStcsShape(c.text);
      expect(isCompoundRegion(shape)).toBe(true);
      c.lon.forEach((lon, i) => {
        expect([lon, c.lat[i], shapeContains(shape, lon, c.lat[i]!)]).toEqual([
          lon,
          c.lat[i],
          c.inside[i] === 1,
        ]);
      });
      const span = cellSpan(c.order);
      const expected = new Moc(
        c.order,
        c.moc.flatMap(([a, b]) => [BigInt(a) * span, BigInt(b) * span]),
      );
      expect(mocFromShape(shape, c.order).ranges).toEqual(expected.ranges);
      // Writing and reading back gives the same shape.
      expect(parseStcsShape(formatStcsShape(shape))).toEqual(shape);
    });
  }
});

describe("STC-S compound syntax", () => {
  test("frames are inherited, nesting and qualifiers are read, simple shapes pass through", () => {
    const s = parseStcsShape(
      "Intersection FK5 TOPOCENTER SPHERICAL2 ( Circle 1 2 3 Not ( Box GALACTIC 1 2 3 4 ) )",
    );
    expect(s).toMatchObject({
      kind: "intersection",
      frame: "fk5",
      regions: [
        { kind: "circle", frame: "fk5" },
        { kind: "not", frame: "fk5", regions: [{ kind: "box", frame: "galactic" }] },
      ],
    });
    expect(parseStcsShape("Circle ICRS 10 20 0.5")).toEqual(parseStcs("Circle ICRS 10 20 0.5"));
    expect(formatStcsShape(parseStcsShape("not(circle 0 90 10)"))).toBe("Not ICRS ( Circle 0 90 10 )");
  });
  test("errors name the place", () => {
    const msg = (t: string) => {
      try {
        parseStcsShape(t);
      } catch (err) {
        expect(isSkyError(err, "PARSE_REGION")).toBe(true);
        return (err as Error).message;
      }
      throw new Error(`no error for ${t}`);
    };
    expect(msg("Union ICRS ( Circle 1 2 3")).toContain('")" missing');
    expect(msg("Not ( Circle 1 2 3 Circle 1 2 3 )")).toContain("exactly 1 operands");
    expect(msg("Difference ( Circle 1 2 3 )")).toContain("exactly 2 operands");
    expect(msg("Union ( Circle 1 2 3 )")).toContain("at least 2 operands");
    expect(msg("Union Circle 1 2 3")).toContain('"(" expected at character 7');
    expect(msg("Union ( Circle 1 2 3 Circle 3 4 5 ) x")).toContain("character 37");
    expect(msg("Union ( Circle 1 2 x Circle 3 4 5 )")).toContain("character 20");
    expect(msg(`${"Not ( ".repeat(70)}Circle 1 2 3${" )".repeat(70)}`)).toContain("deeper than 64");
  });
  test("parseStcs still refuses compound text (use parseStcsShape)", () => {
    expect(() => parseStcs("Union ICRS ( Circle 1 2 3 Circle 4 5 6 )")).toThrow(/parseStcsShape/);
  });
});

describe("fuzz: compound STC-S only throws tagged errors and never hangs", () => {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const simple = () =>
    pick([
      () => `Circle ${rand() * 360} ${rand() * 180 - 90} ${rand() * 10}`,
      () => `Polygon 1 1 3 1 2 ${1 + rand() * 3}`,
      () => `Box ${rand() * 360} 0 2 1`,
      () => "Ellipse 10 20 2 1 30",
      () => "PositionInterval 350 -5 10 5",
    ])();
  const shape = (depth: number): string => {
    if (depth > 3 || rand() < 0.4) return simple();
    const op = pick(["Union", "Intersection", "Difference", "Not"]);
    const n = op === "Not" ? 1 : op === "Difference" ? 2 : 2 + Math.floor(rand() * 3);
    return `${op} ${pick(["", "ICRS ", "FK5 GEOCENTER "])}( ${Array.from({ length: n }, () => shape(depth + 1)).join(" ")} )`;
  };
  const mutate = (base: string) => {
    let s = base;
    for (let j = 0; j <= Math.floor(rand() * 4); j++) {
      const at = Math.floor(rand() * (s.length + 1));
      const r = rand();
      const ch = "0123456789.-+ ()eUnioNtCcl"[Math.floor(rand() * 26)];
      if (r < 0.25) s = s.slice(0, at);
      else if (r < 0.5) s = s.slice(0, at) + ch + s.slice(at + 1);
      else if (r < 0.75) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 6));
      else s = s.slice(0, at) + ch + s.slice(at);
    }
    return s;
  };
  test("generated and mutated texts", () => {
    const t0 = performance.now();
    let parsed = 0;
    for (let n = 0; n < 3000; n++) {
      const base = shape(0);
      const text = n % 3 === 0 ? base : mutate(base);
      let s: SkyShape | undefined;
      try {
        s = parseStcsShape(text);
        parsed++;
      } catch (err) {
        if (!isSkyError(err)) throw err;
        expect(err.code).toBe("PARSE_REGION");
        continue;
      }
      shapeContains(s, 10, 20);
      // Written text is a fixed point of read-then-write.
      const written = formatStcsShape(s);
      expect(formatStcsShape(parseStcsShape(written))).toBe(written);
    }
    expect(parsed).toBeGreaterThan(1000);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });
});
