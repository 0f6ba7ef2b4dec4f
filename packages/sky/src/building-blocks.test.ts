// Exported building blocks against their oracles one by one (fixtures/sky/make-expected.py,
// section "functions": erfa refco/pnm06a/ee06a/cal2jd/jd2cal, astropy's Newcomb precession, its
// bundled IERS-B table and its IAU 2006 local mean sidereal time).
import { describe, expect, test } from "vitest";
import { readExpected } from "../../../fixtures/sky/read-expected.js";
import { refractionConstants } from "./altaz.js";
import { polarMotion, ut1MinusUtc } from "./earth-orientation.js";
import { besselianPrecessionMatrix } from "./frames.js";
import { equationOfEquinoxes, npbMatrix } from "./precession-nutation.js";
import { localMeanSiderealTime } from "./sidereal-time.js";
import { calendarToMjd, mjdToCalendar, Time } from "./time.js";

const fx = readExpected<{
  refco: {
    pressure: number;
    temperature: number;
    humidity: number;
    wavelength: number;
    a: number;
    b: number;
  }[];
  bessel: { from: number; to: number; m: number[] }[];
  npb: { t: number; m: number[]; ee: number }[];
  eop: { mjd: number[]; ut1_utc: number[]; x: number[]; y: number[] };
  lmst: { iso: string; lon: number; lmst: number }[];
  calendar: { date: [number, number, number]; mjd: number; back: [number, number, number] }[];
}>("functions");
const MAS = Math.PI / 180 / 3.6e6;

/** Smallest difference of two angles in radians. */
const angleApart = (a: number, b: number) => Math.abs(Math.atan2(Math.sin(a - b), Math.cos(a - b)));

describe("building blocks against erfa / astropy", () => {
  test(`refractionConstants = erfa.refco (${fx.refco.length} atmospheres, 1e-12 relative)`, () => {
    for (const r of fx.refco) {
      const got = refractionConstants(r);
      expect(Math.abs(got.a - r.a)).toBeLessThanOrEqual(1e-12 * Math.abs(r.a) + 1e-300);
      expect(Math.abs(got.b - r.b)).toBeLessThanOrEqual(1e-12 * Math.abs(r.b) + 1e-300);
    }
  });

  test(`besselianPrecessionMatrix = astropy's Newcomb precession (${fx.bessel.length} epoch pairs, 1e-12)`, () => {
    for (const r of fx.bessel) {
      const got = besselianPrecessionMatrix(r.from, r.to);
      for (let i = 0; i < 9; i++) expect(Math.abs(got[i]! - r.m[i]!)).toBeLessThan(1e-12);
    }
  });

  // 2000B nutation is a documented approximation of 2000A: within 2 mas over 1970–2050.
  test(`npbMatrix within 2 mas of erfa.pnm06a (IAU 2000B vs 2000A nutation; ${fx.npb.length} dates)`, () => {
    let worst = 0;
    for (const r of fx.npb) {
      const got = npbMatrix(r.t);
      for (let i = 0; i < 9; i++) worst = Math.max(worst, Math.abs(got[i]! - r.m[i]!));
    }
    expect(worst).toBeLessThan(2 * MAS);
  });

  test("equationOfEquinoxes within 2 mas of erfa.ee06a", () => {
    let worst = 0;
    for (const r of fx.npb) worst = Math.max(worst, Math.abs(equationOfEquinoxes(r.t) - r.ee));
    expect(worst).toBeLessThan(2 * MAS);
  });

  test(`ut1MinusUtc and polarMotion equal astropy's IERS-B interpolation (${fx.eop.mjd.length} instants)`, () => {
    for (let i = 0; i < fx.eop.mjd.length; i++) {
      const mjd = fx.eop.mjd[i]!;
      expect(Math.abs(ut1MinusUtc(mjd) - fx.eop.ut1_utc[i]!)).toBeLessThan(1e-6); // 1 µs
      const [x, y] = polarMotion(mjd);
      // src/eop-table.ts keeps polar motion in steps of 10 µas: within 5 µas.
      expect(Math.abs(x - fx.eop.x[i]!)).toBeLessThanOrEqual(5.001e-6);
      expect(Math.abs(y - fx.eop.y[i]!)).toBeLessThanOrEqual(5.001e-6);
    }
  });

  test(`localMeanSiderealTime = astropy IAU 2006 mean sidereal time within 0.1 mas (${fx.lmst.length} cases)`, () => {
    let worst = 0;
    for (const r of fx.lmst) {
      worst = Math.max(worst, angleApart(localMeanSiderealTime(Time.parse(r.iso), r.lon), r.lmst));
    }
    expect(worst).toBeLessThan(0.1 * MAS);
  });

  test(`calendarToMjd = erfa.cal2jd and mjdToCalendar = erfa.jd2cal (${fx.calendar.length} dates)`, () => {
    for (const r of fx.calendar) {
      expect(calendarToMjd(...r.date)).toBe(r.mjd);
      expect(mjdToCalendar(r.mjd)).toEqual(r.back);
    }
  });
});
