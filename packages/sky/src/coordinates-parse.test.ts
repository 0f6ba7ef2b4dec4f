import { describe, expect, test } from "vitest";
import { parseAngle } from "./angle-parse.js";
import { parseCoordinates } from "./coordinates-parse.js";
import { isSkyError } from "./errors.js";

describe("parseCoordinates", () => {
  test.each([
    "12:34:42.5 +47:22:52",
    "12:34:42.5,+47:22:52",
    "12 34 42.5 +47 22 52",
    "12h34m42.5s +47d22m52s",
    "12h 34m 42.5s +47° 22′ 52″",
  ])("%s", (text) => {
    const [lon, lat] = parseCoordinates(text);
    expect(lon).toBeCloseTo(parseAngle("12h34m42.5s"), 12);
    expect(lat).toBeCloseTo(parseAngle("47d22m52s"), 12);
  });
  test("decimal degrees and degree sexagesimal longitudes", () => {
    expect(parseCoordinates("188.677 -47.381")).toEqual([188.677, -47.381]);
    expect(parseCoordinates("120:30:00 -03:15:00", { lonSexagesimal: "deg" })[0]).toBeCloseTo(120.5, 12);
  });
  test("errors point into the whole text", () => {
    try {
      parseCoordinates("12:34:42.5 +97:22:52");
      throw new Error("no error");
    } catch (err) {
      if (!isSkyError(err, "PARSE_COORDINATES")) throw err;
      expect(err.position).toBe(11);
    }
  });
  test("fuzz: only PARSE_COORDINATES", () => {
    let seed = 3;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const alphabet = "0123456789 :+-.,hdms°′″'\"";
    for (let n = 0; n < 5000; n++) {
      let s = "";
      const len = Math.floor(rand() * 24);
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(rand() * alphabet.length)];
      try {
        parseCoordinates(s);
      } catch (err) {
        if (!isSkyError(err, "PARSE_COORDINATES")) throw err;
      }
    }
  });
});
