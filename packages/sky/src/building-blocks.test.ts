// Exported building blocks against their oracles one by one (fixtures/sky/make-expected.py,
// section "functions": erfa refco/pnm06a/ee06a/cal2jd/jd2cal, astropy's Newcomb precession, its
// bundled IERS-B table and its IAU 2006 local mean sidereal time).
import { describe, expect, test } from "vitest";
import { readExpected } from "../../../fixtures/sky/read-expected.js";
import { refractionConstants } from "./altaz.js";
import { polarMotion, ut1MinusUtc } from "./earth-orientation.js";
import {
  besselianPrecessionMatrix,
  icrsToEclipticMatrix,
  icrsToFk5Matrix,
  icrsToTrueEclipticMatrix,
} from "./frames.js";
import { healpixNpix, healpixNside, healpixPixelArea } from "./healpix.js";
import { maxPixelRadius } from "./healpix-query.js";
import { utcDayLength } from "./leap-seconds.js";
import {
  biasPrecessionMatrix,
  equationOfEquinoxes,
  meanObliquity2006,
  npbMatrix,
  nutation2000B,
  precessionMatrix2006,
  ttCenturies,
} from "./precession-nutation.js";
import { pointArcDistance } from "./region-overlap.js";
import { localMeanSiderealTime } from "./sidereal-time.js";
import { offsetFrameMatrix } from "./sphere-geometry.js";
import { calendarToMjd, mjdToCalendar, Time } from "./time.js";
import { axisAngleMatrix, type Vector3 } from "./vector3.js";

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
  prec: { t: number; rp: number[]; rbp: number[]; obl: number; dpsi: number; deps: number; ecm: number[] }[];
  frames: { equinox: string; fk5: number[]; true: number[] }[];
  centuries: { iso: string; t: number }[];
  days: { mjd: number; length: number }[];
  healpix: { order: number; nside: number; npix: number; area: number; maxrad: number }[];
  offsets: { lon: number; lat: number; m: number[] }[];
  axes: { axis: [number, number, number]; angle: number; m: number[] }[];
  arcs: { a: Vector3; b: Vector3; p: Vector3; d: number }[];
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

  const worstElement = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let w = 0;
    for (let i = 0; i < 9; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!));
    return w;
  };

  test(`precessionMatrix2006 / biasPrecessionMatrix = erfa.bp06 rp / rbp, meanObliquity2006 = erfa.obl06, icrsToEclipticMatrix = erfa.ecm06 (${fx.prec.length} dates, 1e-14)`, () => {
    for (const r of fx.prec) {
      expect(worstElement(precessionMatrix2006(r.t), r.rp)).toBeLessThan(1e-14);
      expect(worstElement(biasPrecessionMatrix(r.t), r.rbp)).toBeLessThan(1e-14);
      expect(Math.abs(meanObliquity2006(r.t) - r.obl)).toBeLessThan(1e-15);
    }
  });

  test("nutation2000B within 2 mas of erfa.nut06a (2000A + 2006 adjustments) 1950–2050, 3 mas 1800–2200", () => {
    for (const r of fx.prec) {
      const n = nutation2000B(r.t);
      const tol = (Math.abs(r.t) <= 0.5 ? 2 : 3) * MAS;
      expect(Math.abs(n.dpsi - r.dpsi)).toBeLessThan(tol);
      expect(Math.abs(n.deps - r.deps)).toBeLessThan(tol);
    }
  });

  test("icrsToEclipticMatrix = erfa.ecm06 at Julian equinoxes (1e-14)", () => {
    for (const r of fx.prec) {
      // ecm06 takes a TT date: the same t in centuries.
      const eq = Time.fromJd(2451545 + r.t * 36525, "tt");
      expect(worstElement(icrsToEclipticMatrix(eq), r.ecm)).toBeLessThan(1e-13);
    }
  });

  test("icrsToFk5Matrix (1 mas) and icrsToTrueEclipticMatrix (2 mas) = astropy's transforms of the basis vectors", () => {
    for (const r of fx.frames) {
      const eq = Time.parse(r.equinox, "tt");
      expect(worstElement(icrsToFk5Matrix(eq), r.fk5)).toBeLessThan(1 * MAS);
      expect(worstElement(icrsToTrueEclipticMatrix(eq), r.true)).toBeLessThan(2 * MAS);
    }
  });

  test("ttCenturies = astropy (TT JD − 2451545) / 36525 and utcDayLength = erfa.dat differences", () => {
    for (const r of fx.centuries) expect(Math.abs(ttCenturies(Time.parse(r.iso)) - r.t)).toBeLessThan(1e-15);
    for (const r of fx.days) expect(utcDayLength(r.mjd)).toBe(r.length);
  });

  test("healpixNside, healpixNpix, healpixPixelArea, maxPixelRadius = healpy at orders 0–29", () => {
    for (const r of fx.healpix) {
      expect(healpixNside(r.order)).toBe(r.nside);
      expect(healpixNpix(r.order)).toBe(r.npix);
      expect(healpixPixelArea(r.order)).toBeCloseTo(r.area, 15);
      expect(Math.abs(healpixPixelArea(r.order) / r.area - 1)).toBeLessThan(1e-15);
      expect(Math.abs(maxPixelRadius(r.nside) / r.maxrad - 1)).toBeLessThan(1e-14);
    }
  });

  test("offsetFrameMatrix = astropy SkyOffsetFrame (1e-12), axisAngleMatrix = scipy Rotation.from_rotvec (1e-15)", () => {
    for (const r of fx.offsets)
      expect(worstElement(offsetFrameMatrix(r.lon, r.lat), r.m)).toBeLessThan(1e-12);
    for (const r of fx.axes) expect(worstElement(axisAngleMatrix(r.axis, r.angle), r.m)).toBeLessThan(1e-15);
  });

  test(`pointArcDistance = scipy minimisation along the arc (${fx.arcs.length} arcs, 1e-9 rad)`, () => {
    for (const r of fx.arcs) expect(Math.abs(pointArcDistance(r.p, r.a, r.b) - r.d)).toBeLessThan(1e-9);
  });
});
