import { readFileSync } from "node:fs";
import { sgp4 } from "satellite.js";
import { describe, expect, test } from "vitest";
import { haveSharedFixtures, sharedFixture } from "../../../test/paths.js";
import { type FieldShape, fieldHalfAngle } from "./field-of-view.js";
import { type Pointing, satcheck } from "./satcheck.js";
import { julianDate, SatelliteFrame } from "./satellite-frames.js";
import { makeSite } from "./site.js";
import { type ElementSet, parseTle } from "./tle.js";

const site = makeSite(-30.2407, -70.7366, 2715);
const start = Date.UTC(2022, 5, 16, 2, 0, 0);

/** Brute force (SatChecker's method): every object at 1-s steps, inside the enclosing cone. */
function bruteForce(
  sets: readonly ElementSet[],
  pointing: Pointing,
  field: FieldShape,
  duration: number,
): Set<string> {
  const frame = new SatelliteFrame(site, start + (duration * 1000) / 2);
  const cosMax = Math.cos((fieldHalfAngle(field) * Math.PI) / 180);
  const hits = new Set<string>();
  const obs = [0, 0, 0];
  for (const e of sets) {
    for (let s = 0; s <= duration; s++) {
      const ms = start + s * 1000;
      const pv = sgp4(e.satrec, (julianDate(ms) - e.satrec.jdsatepoch) * 1440);
      if (!pv) break;
      frame.observerTeme(ms, obs);
      const rho = [pv.position.x - obs[0]!, pv.position.y - obs[1]!, pv.position.z - obs[2]!];
      const d =
        "ra" in pointing
          ? frame.j2000ToTeme([
              Math.cos((pointing.dec * Math.PI) / 180) * Math.cos((pointing.ra * Math.PI) / 180),
              Math.cos((pointing.dec * Math.PI) / 180) * Math.sin((pointing.ra * Math.PI) / 180),
              Math.sin((pointing.dec * Math.PI) / 180),
            ])
          : frame.altAzToTeme(pointing.alt, pointing.az, ms);
      const c = (rho[0]! * d[0] + rho[1]! * d[1] + rho[2]! * d[2]) / Math.hypot(rho[0]!, rho[1]!, rho[2]!);
      if (c >= cosMax) {
        hits.add(e.satnum.trim());
        break;
      }
    }
  }
  return hits;
}

describe.skipIf(!haveSharedFixtures())("satcheck finds what brute force finds", () => {
  const sets = parseTle(readFileSync(sharedFixture("tle", "stellarium-0.22.2.3le"), "utf8")).records;
  const cases: [string, Pointing, FieldShape][] = [
    ["RA/Dec, circle 3°", { ra: 300, dec: -10 }, { kind: "circle", radius: 3 }],
    ["Alt/Az, circle 5°", { alt: 25, az: 90 }, { kind: "circle", radius: 5 }],
  ];
  test.each(cases)("%s", (_label, pointing, field) => {
    const subset = sets.filter((_, i) => i % 3 === 0);
    const res = satcheck({ site, pointing, field, start, duration: 240, elements: subset });
    const brute = bruteForce(subset, pointing, field, 240);
    const found = new Set(res.crossings.map((c) => c.satnum));
    for (const id of brute) expect(found.has(id), `missed ${id}`).toBe(true);
    expect(brute.size).toBeGreaterThan(0);
    expect(res.stats.afterGeometry).toBeLessThan(subset.length / 10);
    for (const c of res.crossings) {
      expect(c.exit.time).toBeGreaterThanOrEqual(c.entry.time);
      expect(c.track.length).toBeGreaterThanOrEqual(2);
      expect(c.elements.stale).toBe(false);
      expect(c.rangeKm).toBeGreaterThan(150);
    }
  });

  test("rectangle with position angle: entries lie on the rectangle's edge", () => {
    const field: FieldShape = { kind: "rectangle", width: 4, height: 2, pa: 30 };
    const res = satcheck({
      site,
      pointing: { ra: 300, dec: -10 },
      field,
      start,
      duration: 600,
      elements: sets,
    });
    expect(res.crossings.length).toBeGreaterThan(0);
    for (const c of res.crossings) {
      if (c.inFieldAtStart) continue;
      // Entry point in the tangent plane: on one of the four edges (within 1″).
      const d = Math.PI / 180;
      const ra0 = 300 * d;
      const dec0 = -10 * d;
      const ra = c.entry.ra * d;
      const dec = c.entry.dec * d;
      const cosc = Math.sin(dec0) * Math.sin(dec) + Math.cos(dec0) * Math.cos(dec) * Math.cos(ra - ra0);
      const xi = (Math.cos(dec) * Math.sin(ra - ra0)) / cosc;
      const eta =
        (Math.cos(dec0) * Math.sin(dec) - Math.sin(dec0) * Math.cos(dec) * Math.cos(ra - ra0)) / cosc;
      const u = xi * Math.cos(30 * d) - eta * Math.sin(30 * d);
      const v = xi * Math.sin(30 * d) + eta * Math.cos(30 * d);
      const du = Math.abs(Math.abs(u) - Math.tan(2 * d));
      const dv = Math.abs(Math.abs(v) - Math.tan(1 * d));
      expect((Math.min(du, dv) / d) * 3600).toBeLessThan(1);
    }
  });
});
