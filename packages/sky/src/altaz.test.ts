import { describe, expect, test } from "vitest";
import { readExpected } from "../../../fixtures/sky/read-expected.js";
import { altAzToIcrs, icrsToAltAz, icrsToAltAzArrays, icrsToAltAzMany } from "./altaz.js";
import { separation } from "./sphere-geometry.js";
import { Time } from "./time.js";

interface Row {
  site: [number, number, number];
  time: string;
  ra: number;
  dec: number;
  az: number;
  alt: number;
  az_r: number;
  alt_r: number;
}
const fx = readExpected<{
  rows: Row[];
  atmosphere: { pressure: number; temperature: number; humidity: number; wavelength: number };
}>("altaz");
const MAS = 1 / 3.6e6;

describe("AltAz against astropy", () => {
  test(`${fx.rows.length} positions, no refraction: within 2 mas`, () => {
    let worst = 0;
    for (const r of fx.rows) {
      const o = { lon: r.site[0], lat: r.site[1], height: r.site[2] };
      const got = icrsToAltAz(r.ra, r.dec, Time.parse(r.time), o);
      worst = Math.max(worst, separation(got.az, got.alt, r.az, r.alt));
    }
    expect(worst).toBeLessThan(2 * MAS);
  });
  test("with refraction (1013.25 hPa, 10 °C, 50 %, 0.55 µm), above 10° altitude: within 2 mas", () => {
    let worst = 0;
    for (const r of fx.rows) {
      if (r.alt_r < 10) continue;
      const o = { lon: r.site[0], lat: r.site[1], height: r.site[2] };
      const got = icrsToAltAz(r.ra, r.dec, Time.parse(r.time), o, fx.atmosphere);
      worst = Math.max(worst, separation(got.az, got.alt, r.az_r, r.alt_r));
    }
    expect(worst).toBeLessThan(2 * MAS);
  });
  test("icrsToAltAzMany and icrsToAltAzArrays on each site and time at once, with and without refraction", () => {
    const groups = new Map<string, Row[]>();
    for (const r of fx.rows) {
      const key = `${r.site.join(",")}|${r.time}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    expect(groups.size).toBe(12);
    let worst = 0;
    for (const rows of groups.values()) {
      const r0 = rows[0]!;
      const o = { lon: r0.site[0], lat: r0.site[1], height: r0.site[2] };
      const ra = Float64Array.from(rows, (r) => r.ra);
      const dec = Float64Array.from(rows, (r) => r.dec);
      const plain = icrsToAltAzMany(ra, dec, Time.parse(r0.time), o);
      const refracted = icrsToAltAzMany(ra, dec, Time.parse(r0.time), o, fx.atmosphere);
      const arrays = icrsToAltAzArrays(ra, dec, Time.parse(r0.time), o, fx.atmosphere);
      rows.forEach((r, i) => {
        expect([arrays.az[i], arrays.alt[i]]).toEqual([refracted[i]!.az, refracted[i]!.alt]);
        worst = Math.max(worst, separation(plain[i]!.az, plain[i]!.alt, r.az, r.alt));
        if (r.alt_r >= 10) {
          worst = Math.max(worst, separation(refracted[i]!.az, refracted[i]!.alt, r.az_r, r.alt_r));
        }
      });
    }
    expect(worst).toBeLessThan(2 * MAS);
  });
  test("inverse round trip within 1 µas", () => {
    for (const r of fx.rows.slice(0, 60)) {
      const o = { lon: r.site[0], lat: r.site[1], height: r.site[2] };
      const t = Time.parse(r.time);
      const [ra, dec] = altAzToIcrs(r.az_r, r.alt_r, t, o, fx.atmosphere);
      const back = icrsToAltAz(ra, dec, t, o, fx.atmosphere);
      if (r.alt_r > 5) expect(separation(back.az, back.alt, r.az_r, r.alt_r)).toBeLessThan(1e-3 * MAS);
    }
  });
});
