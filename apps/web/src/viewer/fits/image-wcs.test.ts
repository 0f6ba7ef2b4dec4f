/**
 * The cursor readout's sky coordinates against astropy (fixtures/viewer/make-wcs-oracle.py):
 * ICRS, FK5 J2000 and Galactic degrees at known pixels of two scenario images, the sexagesimal
 * text, and the inverse (sky → pixel) used by overlays.
 */
import { parseAngle } from "@meridian/sky";
import { describe, expect, test } from "vitest";
import oracleJson from "../../../../../fixtures/viewer/expected/fits-viewer-oracle.json";
import { ImageWcs } from "./image-wcs.js";

interface Point {
  pixel: [number, number];
  icrs: { ra: number; dec: number; text: string };
  fk5: { ra: number; dec: number; text: string };
  galactic: { l: number; b: number };
}
const oracle = oracleJson as unknown as Record<string, { cards: string[]; points: Point[] }> & {
  real: { file: string; celestial: boolean; cards: string[]; points: Point[] }[];
};

// Same TAN projection and frame rotations as astropy/ERFA: 1e-9° (4 µas).
const DEG = 1e-9;
// Sexagesimal text to 0.001 s of RA and 0.01″ of Dec: within half the last digit.
const RA_TEXT = 0.0005 * 15;
const DEC_TEXT = 0.005;

describe.each(["field00", "field02"])("%s readout vs astropy", (name) => {
  const image = oracle[name]!;
  const wcs = ImageWcs.fromCards(image.cards);
  test.each(image.points.map((p) => [p.pixel.join(","), p] as const))("pixel %s", (_label, p) => {
    const r = wcs.readout(p.pixel[0], p.pixel[1]);
    const [icrs, fk5, gal] = r.sky;
    expect(icrs!.frame).toBe("icrs");
    expect(Math.abs(icrs!.lon - p.icrs.ra)).toBeLessThan(DEG);
    expect(Math.abs(icrs!.lat - p.icrs.dec)).toBeLessThan(DEG);
    expect(Math.abs(fk5!.lon - p.fk5.ra)).toBeLessThan(DEG);
    expect(Math.abs(fk5!.lat - p.fk5.dec)).toBeLessThan(DEG);
    expect(Math.abs(gal!.lon - p.galactic.l)).toBeLessThan(DEG);
    expect(Math.abs(gal!.lat - p.galactic.b)).toBeLessThan(DEG);
    const [raText, decText] = p.icrs.text.split(" ");
    const ra = parseAngle(icrs!.lonText, { sexagesimal: "hour" });
    const dec = parseAngle(icrs!.latText, { sexagesimal: "deg" });
    expect(Math.abs(ra - parseAngle(raText!, { sexagesimal: "hour" })) * 3600).toBeLessThan(RA_TEXT * 2);
    expect(Math.abs(dec - parseAngle(decText!, { sexagesimal: "deg" })) * 3600).toBeLessThan(DEC_TEXT * 2);
    const back = wcs.skyToPixel(p.galactic.l, p.galactic.b, "galactic");
    expect(Math.abs(back![0] - p.pixel[0])).toBeLessThan(1e-6);
    expect(Math.abs(back![1] - p.pixel[1])).toBeLessThan(1e-6);
  });
});

describe.each(oracle.real.filter((r) => r.celestial).map((r) => [r.file, r] as const))(
  "%s readout vs astropy",
  (_file, image) => {
    const wcs = ImageWcs.fromCards(image.cards);
    test.each(image.points.map((p) => [p.pixel.join(","), p] as const))("pixel %s", (_label, p) => {
      const [icrs, fk5, gal] = wcs.readout(p.pixel[0], p.pixel[1]).sky;
      expect(Math.abs(icrs!.lon - p.icrs.ra)).toBeLessThan(DEG);
      expect(Math.abs(icrs!.lat - p.icrs.dec)).toBeLessThan(DEG);
      expect(Math.abs(fk5!.lon - p.fk5.ra)).toBeLessThan(DEG);
      expect(Math.abs(fk5!.lat - p.fk5.dec)).toBeLessThan(DEG);
      expect(Math.abs(gal!.lon - p.galactic.l)).toBeLessThan(DEG);
      expect(Math.abs(gal!.lat - p.galactic.b)).toBeLessThan(DEG);
    });
  },
);
