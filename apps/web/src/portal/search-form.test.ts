/**
 * The search form's text → API search: cones in degrees and sexagesimal (the conversions are
 * exact arithmetic on the typed digits), units on the radius, header lines, and malformed input
 * (random text never crashes or hangs: it is either read or refused with an Error naming the field).
 */
import { describe, expect, test } from "vitest";
import { EMPTY_FIELDS, type SearchFields, toSearch } from "./search-form.js";

const cone = (ra: string, dec: string, radius: string): SearchFields => ({
  ...EMPTY_FIELDS,
  ra,
  dec,
  radius,
});

describe("toSearch", () => {
  test("cones in degrees and sexagesimal", () => {
    expect(toSearch(cone("83.82", "-5.39", "0.5"))).toEqual({ ra: 83.82, dec: -5.39, radius: 0.5 });
    const s = toSearch(cone("05:35:17.3", "-05:23:28", "10arcmin"));
    expect(s.ra).toBeCloseTo((5 + 35 / 60 + 17.3 / 3600) * 15, 12);
    expect(s.dec).toBeCloseTo(-(5 + 23 / 60 + 28 / 3600), 12);
    expect(s.radius).toBeCloseTo(10 / 60, 14);
    expect(toSearch(cone("5h35m17.3s", "-0:30:00", '30"')).dec).toBeCloseTo(-0.5, 14);
    expect(toSearch(cone("1", "2", '30"')).radius).toBeCloseTo(30 / 3600, 15);
  });

  test("every field", () => {
    const s = toSearch({
      ...EMPTY_FIELDS,
      object: " M 42 ",
      from: "2026-11-24",
      to: "2026-11-25",
      filter: "V",
      exptimeMin: "30",
      exptimeMax: "",
      instrument: "CCD",
      frameTypes: ["light", "flat"],
      dataset: "d1",
      header: "EXPTIME>30\n\n  OBSERVER=Vera  \n",
    });
    expect(s).toEqual({
      object: "M 42",
      from: "2026-11-24",
      to: "2026-11-25",
      filter: "V",
      exptimeMin: 30,
      instrument: "CCD",
      frameType: "light,flat",
      dataset: "d1",
      header: ["EXPTIME>30", "OBSERVER=Vera"],
    });
    expect(toSearch(EMPTY_FIELDS)).toEqual({});
  });

  test("mistakes name the field", () => {
    expect(() => toSearch(cone("83", "", "1"))).toThrow(/RA, Dec and a radius/);
    expect(() => toSearch(cone("83x", "1", "1"))).toThrow(/^RA: /);
    expect(() => toSearch(cone("83", "95", "1"))).toThrow(/^Dec: /);
    expect(() => toSearch(cone("83", "1", "0"))).toThrow(/^Radius: /);
    expect(() => toSearch(cone("83", "1", "200"))).toThrow(/^Radius: /);
    expect(() => toSearch({ ...EMPTY_FIELDS, exptimeMin: "abc" })).toThrow(/^Minimum exposure: /);
  });

  test("fuzz: random text is read or refused with an Error, never anything else", () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = "0123456789+-−.:;, hmsd°'\"″arcminsecxyzNaNInfinitye\u00a0\t";
    const text = () =>
      Array.from(
        { length: Math.floor(rand() * 14) },
        () => alphabet[Math.floor(rand() * alphabet.length)],
      ).join("");
    for (let i = 0; i < 3000; i++) {
      const fields = { ...cone(text(), text(), text()), exptimeMin: rand() < 0.2 ? text() : "" };
      try {
        const s = toSearch(fields);
        for (const v of [s.ra, s.dec, s.radius, s.exptimeMin])
          if (v !== undefined) expect(Number.isFinite(v)).toBe(true);
        if (s.radius !== undefined) expect(s.radius > 0 && s.radius <= 180).toBe(true);
        if (s.dec !== undefined) expect(Math.abs(s.dec)).toBeLessThanOrEqual(90);
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message).toMatch(/^(RA|Dec|Radius|Minimum exposure)[: ]|a cone needs/);
      }
    }
  });
});
