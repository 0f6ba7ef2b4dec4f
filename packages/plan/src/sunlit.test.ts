/**
 * The sunlit flag against skyfield's ICRF.is_sunlit (with astropy's Sun), for 33 real TLEs every
 * 10 minutes over a day: fixtures/plan/make-expected.py sunlit → expected/sunlit.json.
 */
import { readFileSync } from "node:fs";
import { sgp4 } from "satellite.js";
import { expect, test } from "vitest";
import { repoFixture } from "../../../test/paths.js";
import { julianDate, SatelliteFrame } from "./satellite-frames.js";
import { makeSite } from "./site.js";
import { isSunlit, sunDirectionTeme } from "./sunlit.js";
import { parseTle } from "./tle.js";

const expected = JSON.parse(readFileSync(repoFixture("plan/expected/sunlit.json"), "utf8")) as {
  start: string;
  offsetsSeconds: number[];
  objects: { name: string; line1: string; line2: string; sunlit: boolean[]; marginKm: number[] }[];
};

test("sunlit agrees with skyfield's is_sunlit away from the shadow's edge", () => {
  const t0 = Date.parse(expected.start);
  const site = makeSite(0, 0, 0);
  let compared = 0;
  let borderline = 0;
  const wrong: string[] = [];
  for (const o of expected.objects) {
    const set = parseTle(`${o.line1}\n${o.line2}\n`).records[0];
    if (!set) throw new Error(`TLE of ${o.name} did not parse`);
    expected.offsetsSeconds.forEach((s, k) => {
      const ms = t0 + s * 1000;
      const pv = sgp4(set.satrec, (julianDate(ms) - set.satrec.jdsatepoch) * 1440);
      if (!pv || typeof pv.position !== "object") return;
      // Within 5 km of the edge the cylinder and skyfield's point-Sun cone may disagree.
      if (Math.abs(o.marginKm[k] ?? 0) < 5) {
        borderline++;
        return;
      }
      const frame = new SatelliteFrame(site, ms);
      const lit = isSunlit([pv.position.x, pv.position.y, pv.position.z], sunDirectionTeme(frame, ms));
      compared++;
      if (lit !== o.sunlit[k]) wrong.push(`${o.name} +${s}s`);
    });
  }
  expect(wrong).toEqual([]);
  expect(compared).toBeGreaterThan(4700);
  expect(borderline).toBeLessThan(10);
});
