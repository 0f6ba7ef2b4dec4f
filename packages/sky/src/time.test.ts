import { describe, expect, test } from "vitest";
import { readExpected } from "../../../fixtures/sky/read-expected.js";
import { isSkyError } from "./errors.js";
import { leapSecondTable, taiMinusUtc } from "./leap-seconds.js";
import {
  earthRotationAngle,
  greenwichApparentSiderealTime,
  greenwichMeanSiderealTime,
  localSiderealTime,
} from "./sidereal-time.js";
import { Time, type TimeScale } from "./time.js";
import { setSkyWarningHandler } from "./warnings.js";

type DaySec = [number, number];
interface Row {
  iso: string;
  utc: DaySec;
  tai: DaySec;
  tt: DaySec;
  ut1: DaySec;
  unix: number;
  jyear: number;
  byear: number;
  mjd_utc: number;
  era: number;
  gmst: number;
  gast: number;
  last_lon: number;
  last: number;
  tt_iso: string;
}
const fx = readExpected<{
  rows: Row[];
  user_dut1: { iso: string; dut1: number; ut1: DaySec; gmst: number };
  epochs: { text: string; scale: TimeScale; tt: DaySec }[];
}>("time");

// Tolerances: time scales 1 µs; angles of sidereal time as stated per test.
const US = 1e-6;
const secondsApart = (t: Time, [day, sec]: DaySec) => (t.day - day) * 86400 + (t.seconds - sec);
const angleApart = (a: number, b: number) => Math.abs(Math.atan2(Math.sin(a - b), Math.cos(a - b)));
const MAS = Math.PI / 180 / 3.6e6;

describe("time scales against astropy (1 µs)", () => {
  test(`${fx.rows.length} UTC instants to TAI, TT, UT1 and back`, () => {
    for (const r of fx.rows) {
      const t = Time.parse(r.iso);
      expect(Math.abs(secondsApart(t, r.utc))).toBeLessThan(US);
      for (const scale of ["tai", "tt", "ut1"] as const) {
        const c = t.to(scale);
        // Inside a leap second astropy smears UT1 over the day (quasi-JD); ours stays continuous.
        if (scale === "ut1" && r.utc[1] >= 86400) continue;
        const err = Math.abs(secondsApart(c, r[scale]));
        if (err >= US) throw new Error(`${r.iso} → ${scale}: ${err} s`);
        // And back to UTC.
        expect(Math.abs(secondsApart(c.to("utc"), r.utc))).toBeLessThan(US);
      }
      expect(Math.abs(t.unix() - r.unix)).toBeLessThan(US);
      expect(Math.abs(t.mjd() - r.mjd_utc) * 86400).toBeLessThan(2 * US);
      // An epoch as a float64 year number resolves only ~7 µs.
      expect(Math.abs(t.tt().julianEpoch() - r.jyear) * 365.25 * 86400).toBeLessThan(30 * US);
      expect(Math.abs(t.tt().besselianEpoch() - r.byear) * 365.25 * 86400).toBeLessThan(30 * US);
      expect(t.tt().iso(6)).toBe(r.tt_iso);
    }
  });
  test("a user-supplied ΔUT1", () => {
    const t = Time.parse(fx.user_dut1.iso);
    const ut1 = t.to("ut1", { dut1: fx.user_dut1.dut1 });
    expect(Math.abs(secondsApart(ut1, fx.user_dut1.ut1))).toBeLessThan(US);
    expect(
      angleApart(greenwichMeanSiderealTime(t, { dut1: fx.user_dut1.dut1 }), fx.user_dut1.gmst),
    ).toBeLessThan(0.01 * MAS);
  });
  test("Julian and Besselian epochs", () => {
    for (const e of fx.epochs) {
      const t = Time.parse(e.text);
      expect(t.scale).toBe(e.scale);
      expect(Math.abs(secondsApart(t.tt(), e.tt))).toBeLessThan(US);
    }
  });
});

describe("sidereal time against astropy", () => {
  test("ERA and GMST (IAU 2006) within 0.02 mas; GAST and LST (2000B vs 2000A) within 2 mas", () => {
    let worst = 0;
    for (const r of fx.rows) {
      const t = Time.parse(r.iso);
      // 0.02 mas: at the 2016 leap second the UT1 interpolation conventions differ by < 1 µs.
      expect(angleApart(earthRotationAngle(t), r.era)).toBeLessThan(0.02 * MAS);
      expect(angleApart(greenwichMeanSiderealTime(t), r.gmst)).toBeLessThan(0.02 * MAS);
      const e = angleApart(greenwichApparentSiderealTime(t), r.gast);
      worst = Math.max(worst, e);
      expect(angleApart(localSiderealTime(t, r.last_lon), r.last)).toBeLessThan(2 * MAS);
    }
    expect(worst).toBeLessThan(2 * MAS);
  });
});

describe("leap seconds, ISO text and errors", () => {
  test("the 2016 leap second", () => {
    const t = Time.parse("2016-12-31T23:59:60.5");
    expect(t.day).toBe(57753);
    expect(t.seconds).toBe(86400.5);
    expect(t.iso(1)).toBe("2016-12-31T23:59:60.5");
    expect(t.add(1).iso(1)).toBe("2017-01-01T00:00:00.5");
    expect(taiMinusUtc(57754) - taiMinusUtc(57753)).toBe(1);
    expect(leapSecondTable().length).toBeGreaterThan(20);
  });
  test("rejects 23:59:60 on a day without a leap second, with the position", () => {
    try {
      Time.parse("1999-12-31T23:59:60.25");
      throw new Error("no error");
    } catch (err) {
      expect(isSkyError(err, "PARSE_TIME")).toBe(true);
      if (isSkyError(err)) expect(err.position).toBe(17);
    }
  });
  test.each([
    ["2024-13-01", 5],
    ["2024-02-30", 8],
    ["2024-02-01X", 10],
    ["20x4-01-01", 2],
  ])("%s fails at %i", (text, pos) => {
    try {
      Time.parse(text);
      throw new Error("no error");
    } catch (err) {
      if (!isSkyError(err, "PARSE_TIME")) throw err;
      expect(err.position).toBe(pos);
    }
  });
  test("warns once past the leap-second table validity", () => {
    const seen: string[] = [];
    const old = setSkyWarningHandler((key) => seen.push(key));
    Time.parse("2030-01-01").tai();
    Time.parse("2031-01-01").tai();
    setSkyWarningHandler(old);
    expect(seen.filter((k) => k === "leap-seconds-expired").length).toBeLessThanOrEqual(1);
  });
  test("Unix, Date and offsets", () => {
    const t = Time.parse("2024-03-01T12:00:00+02:00");
    expect(t.iso(0)).toBe("2024-03-01T10:00:00");
    expect(Time.fromDate(t.toDate()).iso(3)).toBe("2024-03-01T10:00:00.000");
    expect(Time.fromUnix(t.unix()).iso(6)).toBe("2024-03-01T10:00:00.000000");
  });
});

describe("fuzz: Time.parse only throws PARSE_TIME", () => {
  test("random and mutated ISO text", () => {
    let seed = 11;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const alphabet = "0123456789-:T .Z+JB";
    const bases = ["2016-12-31T23:59:60.5", "2024-03-01 12:34", "J2000.5", "1999-01-01T00:00:00+02:00"];
    for (let n = 0; n < 5000; n++) {
      const base = bases[n % bases.length]!;
      const at = Math.floor(rand() * (base.length + 1));
      const s = base.slice(0, at) + alphabet[Math.floor(rand() * alphabet.length)] + base.slice(at + (n % 2));
      try {
        Time.parse(s);
      } catch (err) {
        if (!isSkyError(err)) throw err;
        expect(["PARSE_TIME", "OUT_OF_RANGE"]).toContain(err.code);
      }
    }
  });
});
