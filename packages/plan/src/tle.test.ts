import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { haveSharedFixtures, sharedFixture } from "../../../test/paths.js";
import { isPlanError } from "./errors.js";
import { parseOmmCsv, parseOmmJson, parseOmmXml } from "./omm.js";
import { parseElements, SatelliteCatalogue } from "./satellite-catalogue.js";
import { parseTle, tleChecksum } from "./tle.js";

const ISS = [
  "ISS (ZARYA)",
  "1 25544U 98067A   22166.98291539  .00007389  00000+0  13721-3 0  9996",
  "2 25544  51.6447 342.5501 0004194 242.9750 255.0959 15.50021518344998",
];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("TLE", () => {
  test("3-line and 2-line sets, checksum", () => {
    expect(tleChecksum(ISS[1]!)).toBe(6);
    expect(tleChecksum(ISS[2]!)).toBe(8);
    const three = parseTle(ISS.join("\n"));
    expect(three.problems).toEqual([]);
    expect(three.records[0]).toMatchObject({
      name: "ISS (ZARYA)",
      satnum: "25544",
      intlDesignator: "98067A",
      sourceLine: 2,
    });
    expect(new Date(three.records[0]!.epoch).toISOString()).toBe("2022-06-15T23:35:23.889Z");
    const two = parseTle(`${ISS[1]}\n${ISS[2]}\n`);
    expect(two.records[0]?.name).toBe("25544");
  });

  test("bad lines are reported by line number and skipped, the rest kept", () => {
    const badSum = `${ISS[1]!.slice(0, 68)}7`;
    const badCol = `${ISS[2]!.slice(0, 7)}X${ISS[2]!.slice(8)}`;
    const text = [
      ISS[0],
      badSum,
      ISS[2],
      "OTHER",
      ISS[1],
      badCol,
      "GOOD",
      ...ISS.slice(1),
      "2 orphan line 2 .................................................. 1",
    ].join("\n");
    const r = parseTle(text);
    expect(r.records.map((x) => x.name)).toEqual(["GOOD"]);
    expect(r.problems.map((p) => [p.line, p.code])).toEqual([
      [2, "CHECKSUM"],
      [6, "COLUMNS"],
      [10, "ORPHAN"],
    ]);
    expect(r.problems[0]?.message).toMatch(/^line 2: checksum is 7, computed 6/);
  });

  test.skipIf(!haveSharedFixtures())("reads all 5,018 real TLEs without a problem", () => {
    const r = parseTle(readFileSync(sharedFixture("tle", "stellarium-0.22.2.3le"), "utf8"));
    expect(r.records.length).toBe(5018);
    expect(r.problems).toEqual([]);
  });

  test("fuzz: mutated and random text never throws and never loses good sets", () => {
    const rnd = mulberry32(42);
    const good = ISS.join("\n");
    const chars = "0123456789 .+-ABCXYZ\n\t";
    for (let i = 0; i < 1500; i++) {
      const arr = good.split("");
      const n = 1 + Math.floor(rnd() * 4);
      for (let j = 0; j < n; j++)
        arr[Math.floor(rnd() * arr.length)] = chars[Math.floor(rnd() * chars.length)] ?? "";
      const mutated = arr.join("").slice(0, Math.floor(rnd() * (arr.length + 1)));
      const r = parseTle(`${mutated}\n${good}\n`);
      expect(r.records.some((x) => x.satnum === "25544" && x.line1 === ISS[1])).toBe(true);
      const random = Array.from(
        { length: Math.floor(rnd() * 200) },
        () => chars[Math.floor(rnd() * chars.length)],
      ).join("");
      expect(() => parseTle(random)).not.toThrow();
    }
  });
});

const OMM_JSON = JSON.stringify([
  {
    OBJECT_NAME: "ISS (ZARYA)",
    OBJECT_ID: "1998-067A",
    EPOCH: "2022-06-15T23:35:23.889696",
    MEAN_MOTION: 15.50021518,
    ECCENTRICITY: 0.0004194,
    INCLINATION: 51.6447,
    RA_OF_ASC_NODE: 342.5501,
    ARG_OF_PERICENTER: 242.975,
    MEAN_ANOMALY: 255.0959,
    EPHEMERIS_TYPE: 0,
    CLASSIFICATION_TYPE: "U",
    NORAD_CAT_ID: 25544,
    ELEMENT_SET_NO: 999,
    REV_AT_EPOCH: 34499,
    BSTAR: 0.00013721,
    MEAN_MOTION_DOT: 7.389e-5,
    MEAN_MOTION_DDOT: 0,
  },
  { OBJECT_NAME: "BROKEN", NORAD_CAT_ID: 1 },
]);

describe("OMM", () => {
  test("JSON, XML and CSV give the same elements; bad records are reported", () => {
    const j = parseOmmJson(OMM_JSON);
    expect(j.records.map((r) => r.name)).toEqual(["ISS (ZARYA)"]);
    expect(j.problems.map((p) => [p.line, p.code])).toEqual([[2, "MISSING"]]);
    const rec = JSON.parse(OMM_JSON)[0] as Record<string, unknown>;
    const xml = `<?xml version="1.0"?><ndm><omm id="CCSDS_OMM_VERS" version="2.0"><body><segment><metadata>${Object.entries(
      rec,
    )
      .map(([k, v]) => `<${k}>${String(v)}</${k}>`)
      .join("")}</metadata></segment></body></omm></ndm>`;
    const x = parseOmmXml(xml);
    const csv = `${Object.keys(rec).join(",")}\n${Object.values(rec).join(",")}\n1,2,3\n`;
    const c = parseOmmCsv(csv);
    expect(c.problems.map((p) => p.line)).toEqual([3]);
    for (const r of [x.records[0], c.records[0], parseElements(csv).records[0]]) {
      expect(r?.satrec.no).toBeCloseTo(j.records[0]!.satrec.no, 12);
      expect(r?.epoch).toBe(j.records[0]!.epoch);
    }
    // The TLE of the same epoch propagates to the same place (OMM epochs are finer; < 10 m apart).
    expect(
      Math.abs(j.records[0]!.satrec.inclo - parseTle(ISS.join("\n")).records[0]!.satrec.inclo),
    ).toBeLessThan(1e-9);
  });

  test("fuzz: only PlanError or problems, never other errors", () => {
    const rnd = mulberry32(9);
    const csv = `OBJECT_NAME,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,ARG_OF_PERICENTER,MEAN_ANOMALY,NORAD_CAT_ID,BSTAR\nX,2022-06-15T12:37:06,15.5,0.0004,51.6,299.5,15.5,75.4,25544,0.0001\n`;
    const xml = `<omm><OBJECT_NAME>X</OBJECT_NAME><EPOCH>2022-06-15T12:37:06</EPOCH><MEAN_MOTION>15.5</MEAN_MOTION><ECCENTRICITY>0.0004</ECCENTRICITY><INCLINATION>51.6</INCLINATION><RA_OF_ASC_NODE>299.5</RA_OF_ASC_NODE><ARG_OF_PERICENTER>15.5</ARG_OF_PERICENTER><MEAN_ANOMALY>75.4</MEAN_ANOMALY><NORAD_CAT_ID>1</NORAD_CAT_ID><BSTAR>0</BSTAR></omm>`;
    const chars = '0123456789.,-:T<>/"{}[]ABC_ \n';
    for (const base of [OMM_JSON, csv, xml]) {
      for (let i = 0; i < 700; i++) {
        const arr = base.split("");
        for (let j = 0; j < 3; j++)
          arr[Math.floor(rnd() * arr.length)] = chars[Math.floor(rnd() * chars.length)] ?? "";
        const text = arr.join("").slice(0, Math.floor(rnd() * (arr.length + 1)));
        try {
          parseElements(text);
        } catch (err) {
          expect(isPlanError(err)).toBe(true);
        }
      }
    }
  });
});

describe("catalogue with history", () => {
  test("nearest epoch, its age and a stale flag", () => {
    const older = parseTle(
      [
        "1 25544U 98067A   22160.50000000  .00005808  00000+0  11023-3 0  9999",
        "2 25544  51.6439 329.5620 0004592  15.5405  75.4547 15.49854000344280",
      ]
        .map(
          (l) =>
            `${l.slice(0, 68)}${(
              l
                .slice(0, 68)
                .split("")
                .reduce((s, ch) => s + (ch === "-" ? 1 : /\d/.test(ch) ? Number(ch) : 0), 0) % 10
            ).toString()}`,
        )
        .join("\n"),
    );
    expect(older.problems).toEqual([]);
    const cat = new SatelliteCatalogue([...older.records, ...parseTle(ISS.join("\n")).records]);
    expect(cat.size).toBe(1);
    expect(cat.history("25544").length).toBe(2);
    const at = Date.UTC(2022, 5, 16, 2);
    const used = cat.elementsAt("25544", at);
    expect(used?.elements.line1).toBe(ISS[1]);
    expect(used?.ageDays).toBeCloseTo((at - used!.elements.epoch) / 86400000, 12);
    expect(used?.stale).toBe(false);
    expect(cat.elementsAt("25544", Date.UTC(2022, 6, 1))?.stale).toBe(true);
    expect(cat.elementsAt("25544", Date.UTC(2022, 5, 9))?.elements.epoch).toBe(older.records[0]!.epoch);
  });
});
