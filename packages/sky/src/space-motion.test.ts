import { expect, test } from "vitest";
import { readExpected } from "../../../fixtures/sky/read-expected.js";
import { propagateSpaceMotion } from "./space-motion.js";
import { Time } from "./time.js";
import { lonLatToVector } from "./vector3.js";

interface Row {
  ra: number;
  dec: number;
  pmra: number;
  pmdec: number;
  plx: number;
  rv: number;
  epoch1: number;
  epoch2: number;
  era: number;
  edec: number;
  epmra: number;
  epmdec: number;
  eplx: number;
  erv: number;
}
const { rows } = readExpected<{ rows: Row[] }>("space-motion");

test(`space motion of ${rows.length} stars against astropy apply_space_motion`, () => {
  // Position 1 mas; proper motion 0.05 mas/yr; parallax 1e-6 relative; radial velocity 0.01 km/s
  for (const r of rows) {
    const out = propagateSpaceMotion(
      { ra: r.ra, dec: r.dec, pmRaCosDec: r.pmra, pmDec: r.pmdec, parallax: r.plx, radialVelocity: r.rv },
      Time.fromJulianEpoch(r.epoch1),
      Time.fromJulianEpoch(r.epoch2),
    );
    const a = lonLatToVector(out.ra, out.dec);
    const b = lonLatToVector(r.era, r.edec);
    const sep = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    expect(sep * 206264806.2).toBeLessThan(1);
    expect(Math.abs(out.pmRaCosDec - r.epmra)).toBeLessThan(0.05);
    expect(Math.abs(out.pmDec - r.epmdec)).toBeLessThan(0.05);
    expect(Math.abs(out.parallax / r.eplx - 1)).toBeLessThan(1e-6);
    expect(Math.abs(out.radialVelocity - r.erv)).toBeLessThan(0.01);
  }
});
