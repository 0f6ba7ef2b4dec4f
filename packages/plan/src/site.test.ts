import { describe, expect, test } from "vitest";
import { airmassKastenYoung, airmassSecZ, altitudeForAirmass } from "./airmass.js";
import { isPlanError } from "./errors.js";
import { nightSpan, parseTime } from "./night.js";
import { parseSite } from "./site.js";

describe("sites, nights, airmass", () => {
  test("lat,lon[,elev] with east-positive longitude", () => {
    expect(parseSite("-24.627,-70.404,2635")).toEqual({
      latitude: -24.627,
      longitude: -70.404,
      elevation: 2635,
    });
    expect(parseSite("10, 200")).toEqual({ latitude: 10, longitude: -160, elevation: 0 });
    for (const bad of ["", "1", "95,0", "1,2,3,4", "a,b"]) {
      expect(() => parseSite(bad)).toThrow();
      try {
        parseSite(bad);
      } catch (err) {
        expect(isPlanError(err, "PARSE_SITE")).toBe(true);
      }
    }
  });

  test("night runs local noon to local noon, offset from longitude", () => {
    const span = nightSpan("2022-06-21", -70.4);
    expect(new Date(span.start).toISOString()).toBe("2022-06-21T17:00:00.000Z");
    expect(span.end - span.start).toBe(86400000);
    expect(parseTime("2022-06-21T03:00")).toBe(Date.UTC(2022, 5, 21, 3));
    expect(() => parseTime("21/06/2022")).toThrow(/ISO 8601/);
  });

  test("airmass: sec z and Kasten & Young 1989", () => {
    expect(airmassSecZ(30)).toBeCloseTo(2, 12);
    expect(airmassSecZ(-1)).toBe(Number.POSITIVE_INFINITY);
    // At the zenith both are ~1; at the horizon K&Y is finite (~38).
    expect(airmassKastenYoung(90)).toBeCloseTo(1, 3);
    expect(airmassKastenYoung(0)).toBeGreaterThan(37);
    expect(airmassKastenYoung(0)).toBeLessThan(39);
    expect(altitudeForAirmass(2)).toBeCloseTo(30, 10);
  });
});

describe("known sites", () => {
  test("by id, by name, with suggestions otherwise", async () => {
    const { resolveSite } = await import("./site.js");
    const p = resolveSite("paranal");
    expect(p).toMatchObject({ id: "paranal", latitude: -24.625, elevation: 2635, utcOffsetHours: -4 });
    expect(p.longitude).toBeCloseTo(-70.40333, 5);
    expect(resolveSite("Kitt Peak National Observatory")).toMatchObject({ id: "kpno", elevation: 2120 });
    expect(resolveSite("-30,-70,100")).toEqual({ latitude: -30, longitude: -70, elevation: 100 });
    try {
      resolveSite("paranall");
      expect.unreachable();
    } catch (err) {
      expect(isPlanError(err, "PARSE_SITE") && err.suggestions[0]).toBe("paranal");
    }
  });
});
