import { describe, expect, test } from "vitest";
import { lookupName, nameKey, resolveName, suggestNames } from "./catalogue.js";
import { isPlanError } from "./errors.js";
import { parseCoordinates, parseTargetList, resolveTarget } from "./target.js";

describe("name resolution", () => {
  test("Messier, NGC, IC, common names, stars and bodies", () => {
    expect(resolveName("M31").name).toBe("M 31");
    expect(resolveName("messier 31").name).toBe("M 31");
    expect(resolveName("NGC0224").name).toBe("M 31");
    expect(resolveName("Andromeda Galaxy").name).toBe("M 31");
    expect(resolveName("ngc 7000").name).toBe("NGC 7000");
    expect(resolveName("IC434").name).toBe("IC 434");
    expect(resolveName("Vega").name).toBe("Vega");
    expect(resolveName("alpha Lyr").name).toBe("Vega");
    expect(resolveName("α Lyr").name).toBe("Vega");
    expect(resolveName("HIP 91262").name).toBe("Vega");
    expect(resolveName("jupiter")).toMatchObject({ kind: "body", name: "Jupiter" });
    const m31 = lookupName("M 31");
    expect(m31?.kind === "fixed" && Math.abs(m31.ra - 10.6848) < 0.01).toBe(true);
  });

  test("unknown names suggest close ones", () => {
    expect(suggestNames("Betelgeuze")[0]).toBe("Betelgeuse");
    try {
      resolveName("Andromeda Galxy");
      expect.unreachable();
    } catch (err) {
      expect(isPlanError(err, "UNKNOWN_TARGET")).toBe(true);
      if (isPlanError(err)) expect(err.suggestions[0]).toBe("Andromeda Galaxy");
    }
  });

  test("name keys ignore case, spaces, Greek spelling and leading zeros", () => {
    expect(nameKey("NGC 0224")).toBe(nameKey("ngc224"));
    expect(nameKey("Alpha Lyr")).toBe(nameKey("α Lyr"));
  });
});

describe("coordinates and target lists", () => {
  test("RA in hours when sexagesimal, degrees when decimal", () => {
    expect(parseCoordinates("12:30:00 -30:00:00")).toEqual({ ra: 187.5, dec: -30 });
    expect(parseCoordinates("12 30 00 +10 30 00")).toEqual({ ra: 187.5, dec: 10.5 });
    expect(parseCoordinates("187.5 -30")).toEqual({ ra: 187.5, dec: -30 });
    expect(parseCoordinates("M 31")).toBeUndefined();
    expect(resolveTarget("187.5 -30")).toMatchObject({ kind: "fixed", ra: 187.5, dec: -30 });
    expect(() => parseCoordinates("187.5 -95")).toThrow();
  });

  test("CSV target list with header, names and coordinates", () => {
    const list = parseTargetList("name,ra,dec\nfield A,10:00:00,+20:00:00\nM 42,,\n");
    expect(list.map((t) => t.name)).toEqual(["field A", "M 42"]);
    expect(list[0]).toMatchObject({ ra: 150, dec: 20 });
    try {
      parseTargetList("name\nM 31\nNo Such Thing\n");
      expect.unreachable();
    } catch (err) {
      expect(isPlanError(err, "PARSE_TARGET_LIST") && err.line).toBe(3);
    }
  });
});
