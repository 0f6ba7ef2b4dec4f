import { describe, expect, test } from "vitest";
import { isServerError } from "../../errors.js";
import { parseHeaderCondition } from "./header-filter.js";

describe("header conditions", () => {
  test("forms people type", () => {
    expect(parseHeaderCondition("EXPTIME>30")).toEqual({
      keyword: "EXPTIME",
      op: ">",
      text: "30",
      number: 30,
    });
    expect(parseHeaderCondition(" exptime >= 1.5e2 ")).toEqual({
      keyword: "EXPTIME",
      op: ">=",
      text: "1.5e2",
      number: 150,
    });
    expect(parseHeaderCondition("OBJECT=M 31")).toEqual({
      keyword: "OBJECT",
      op: "=",
      text: "M 31",
      number: null,
    });
    expect(parseHeaderCondition("IMAGETYP='Light Frame'")).toEqual({
      keyword: "IMAGETYP",
      op: "=",
      text: "Light Frame",
      number: null,
    });
    expect(parseHeaderCondition("CCD-TEMP<=-12.5")).toEqual({
      keyword: "CCD-TEMP",
      op: "<=",
      text: "-12.5",
      number: -12.5,
    });
    expect(parseHeaderCondition("GAIN=1.2D0")).toEqual({
      keyword: "GAIN",
      op: "=",
      text: "1.2D0",
      number: 1.2,
    });
    expect(parseHeaderCondition("FILTER!=")).toEqual({ keyword: "FILTER", op: "!=", text: "", number: null });
    expect(parseHeaderCondition("HIERARCH ESO DET DIT<10")).toMatchObject({
      keyword: "HIERARCH ESO DET DIT",
      op: "<",
    });
  });

  test("mistakes say what is wrong", () => {
    const message = (text: string) => {
      try {
        parseHeaderCondition(text);
        return "parsed";
      } catch (err) {
        expect(isServerError(err, "BAD_REQUEST")).toBe(true);
        return (err as Error).message;
      }
    };
    expect(message("EXPTIME")).toBe(
      'header condition "EXPTIME" is not KEYWORD=value, KEYWORD!=value or KEYWORD<, <=, >, >= number',
    );
    expect(message("EXPTIME>long")).toBe('header condition "EXPTIME>long": > needs a number, got "long"');
    expect(message("OBJECT=")).toBe('header condition "OBJECT=" has no value');
    expect(message("=5")).toMatch(/is not KEYWORD=value/);
    expect(message("  =5")).toBe('header condition "  =5" names no keyword');
    expect(message("EXPTIME>1e999")).toBe('header condition "EXPTIME>1e999": > needs a number, got "1e999"');
  });

  test("fuzz: any text parses or fails with BAD_REQUEST, quickly", () => {
    let seed = 11;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = "AZaz09_-. =<>!'\"*eE+\u0000\u00e9\n";
    const started = Date.now();
    for (let i = 0; i < 5000; i++) {
      const n = Math.floor(rand() * 40);
      let text = "";
      for (let j = 0; j < n; j++) text += alphabet[Math.floor(rand() * alphabet.length)];
      let parsed: ReturnType<typeof parseHeaderCondition> | null = null;
      let error: unknown = null;
      try {
        parsed = parseHeaderCondition(text);
      } catch (err) {
        error = err;
      }
      if (parsed === null) expect(isServerError(error, "BAD_REQUEST"), JSON.stringify(text)).toBe(true);
      else {
        expect(parsed.keyword.length, JSON.stringify(text)).toBeGreaterThan(0);
        if (parsed.op !== "=" && parsed.op !== "!=")
          expect(Number.isFinite(parsed.number), JSON.stringify(text)).toBe(true);
      }
    }
    // A long pathological input must not backtrack for long.
    expect(() => parseHeaderCondition(`${"A ".repeat(5000)}`)).toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
