import { describe, expect, test } from "vitest";
import { readExpected } from "../../../fixtures/sky/read-expected.js";
import { formatSexagesimal } from "./angle-format.js";
import { type AngleUnit, parseAngle, parseLatitude } from "./angle-parse.js";
import { isSkyError, type SkyError } from "./errors.js";

interface ParseCase {
  text: string;
  option: "hour" | "deg" | null;
  deg: number;
}
interface FormatCase {
  deg: number;
  hms3: string;
  dms2: string;
}
const fixture = readExpected<{ parse: ParseCase[]; format: FormatCase[] }>("angles");

function errorOf(fn: () => unknown): SkyError {
  try {
    fn();
  } catch (err) {
    if (isSkyError(err)) return err;
    throw err;
  }
  throw new Error("expected a SkyError");
}

describe("parseAngle against astropy Angle", () => {
  // Tolerance: 1e-12 degrees (float rounding only).
  for (const c of fixture.parse) {
    test(`${c.text} (${c.option ?? "own unit"})`, () => {
      const opts = c.option === null ? {} : { unit: c.option as AngleUnit };
      expect(parseAngle(c.text, opts)).toBeCloseTo(c.deg, 12);
    });
  }
});

describe("parseAngle refuses to guess and points at the character", () => {
  test("bare number without a unit", () => {
    const e = errorOf(() => parseAngle("188.675"));
    expect(e.code).toBe("PARSE_ANGLE");
    expect(e.position).toBe(0);
    expect(e.message).toMatch(/needs a unit/);
  });
  test("bare sexagesimal without a unit", () => {
    expect(errorOf(() => parseAngle("12:34:42.5")).message).toMatch(/not guessed/);
  });
  test("the sign of a zero first field is kept", () => {
    expect(Object.is(parseAngle("-00:30:00", { unit: "deg" }) < 0, true)).toBe(true);
  });
  test.each([
    ["12h34x42s", 5],
    ["12h34m42.5q", 10],
    ["12:61:00", 3],
    ["12.5:30:00", 0],
    ["", 0],
    ["12h34'", 5],
    ["1.5e-3", 0],
    ["12h34m42s junk", 10],
    ["3m", 1],
    ["--5d", 1],
  ])("%s fails at character index %i", (text, pos) => {
    const e = errorOf(() => parseAngle(text, { sexagesimal: "deg" }));
    expect(e.code).toBe("PARSE_ANGLE");
    expect(e.position).toBe(pos);
    expect(e.message).toContain(`character ${pos + 1}`);
  });
  test("latitude range", () => {
    expect(errorOf(() => parseLatitude("91:00:00")).code).toBe("PARSE_ANGLE");
    expect(parseLatitude("-89:59:59.9")).toBeCloseTo(-(89 + 59 / 60 + 59.9 / 3600), 12);
  });
});

describe("formatSexagesimal against astropy to_string", () => {
  test("hours, precision 3, and signed degrees, precision 2", () => {
    for (const c of fixture.format) {
      expect(formatSexagesimal(c.deg, { unit: "hour", precision: 3 })).toBe(c.hms3);
      expect(formatSexagesimal(c.deg, { precision: 2, alwaysSign: true })).toBe(c.dms2);
    }
  });
  test("separators and round trip", () => {
    const x = parseAngle("-12d34m42.26s");
    expect(formatSexagesimal(x, { separators: "letters", precision: 2 })).toBe("-12d34m42.26s");
    expect(formatSexagesimal(x, { separators: "symbols", precision: 1 })).toBe("-12°34′42.3″");
    expect(parseAngle(formatSexagesimal(x, { separators: "symbols", precision: 3 }))).toBeCloseTo(x, 9);
    expect(formatSexagesimal(x, { fields: 2, precision: 3 })).toBe("-12:34.704");
  });
});

describe("fuzz: parseAngle only throws PARSE_ANGLE", () => {
  test("random, mutated and truncated input", () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const alphabet = "0123456789.:+-−hdms°′″'\" eEradmasrcinº ";
    const seeds = fixture.parse.map((c) => c.text);
    for (let n = 0; n < 6000; n++) {
      let s: string;
      if (n % 3 === 0) {
        const len = Math.floor(rand() * 16);
        s = "";
        for (let k = 0; k < len; k++) s += alphabet[Math.floor(rand() * alphabet.length)];
      } else {
        const base = seeds[Math.floor(rand() * seeds.length)]!;
        const at = Math.floor(rand() * (base.length + 1));
        s =
          n % 3 === 1
            ? base.slice(0, at)
            : base.slice(0, at) + alphabet[Math.floor(rand() * alphabet.length)] + base.slice(at + 1);
      }
      for (const opts of [{}, { unit: "deg" as const }, { sexagesimal: "hour" as const }]) {
        try {
          const v = parseAngle(s, opts);
          if (Number.isNaN(v)) throw new Error(`NaN from ${JSON.stringify(s)}`);
        } catch (err) {
          if (!isSkyError(err, "PARSE_ANGLE")) throw err;
          const p = err.position ?? -1;
          if (p < 0 || p > s.length) throw new Error(`position ${p} outside ${JSON.stringify(s)}`);
        }
      }
    }
  });
});
