import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { repoFixture } from "../../../test/paths.js";
import { altAzGrid, apparentTargetVectors } from "./altaz-grid.js";
import { horizonMatrices } from "./horizon-frame.js";
import { planNight } from "./plan-night.js";
import { refractionConstants } from "./refraction.js";
import { makeSite } from "./site.js";
import type { Target } from "./target.js";

interface Event {
  time: number;
  kind: "rise" | "set";
}
interface SiteCase {
  name: string;
  lat: number;
  lon: number;
  elev: number;
  start: number;
  times: number[];
  ut1MinusUtc: number;
  altitude: number[][];
  azimuth: number[][];
  altitudeRefracted: number[][];
  events: Record<string, Event[]>;
  riseSet: Event[][];
  transits: number[][];
  moonIlluminationApprox: number;
}
interface Expected {
  targets: { ra: number[]; dec: number[] };
  weather: { pressureHpa: number; temperatureC: number; relativeHumidity: number; wavelengthMicron: number };
  sites: SiteCase[];
  refco: {
    pressureHpa: number;
    temperatureC: number;
    relativeHumidity: number;
    wavelengthMicron: number;
    a: number;
    b: number;
  }[];
}

const expected = JSON.parse(
  readFileSync(repoFixture("plan", "expected", "observability.json"), "utf8"),
) as Expected;

/** Goals of issue 7 are 30″ and one minute; we hold 2″ (measured 0.7″) and 5 s (measured 0.3 s). */
const ALT_TOL_DEG = 2 / 3600;
const EVENT_TOL_MS = 5_000;

function angleDiff(a: number, b: number): number {
  return Math.abs(((a - b + 540) % 360) - 180);
}

describe("refraction constants", () => {
  test("equal ERFA refco", () => {
    for (const r of expected.refco) {
      const k = refractionConstants(r);
      expect(Math.abs(k.a - r.a)).toBeLessThan(1e-10);
      expect(Math.abs(k.b - r.b)).toBeLessThan(1e-12);
    }
  });
});

describe.each(expected.sites)("site $name", (s) => {
  const site = makeSite(s.lat, s.lon, s.elev);
  const times = Float64Array.from(s.times);
  const vectors = apparentTargetVectors(
    { ra: Float64Array.from(expected.targets.ra), dec: Float64Array.from(expected.targets.dec) },
    (s.start + s.times[s.times.length - 1]!) / 2,
  );
  const matrices = horizonMatrices(times, site, { ut1MinusUtc: s.ut1MinusUtc });

  test("altitude and azimuth within 2″ of astropy (no refraction)", () => {
    const grid = altAzGrid(vectors, matrices);
    let worst = 0;
    s.altitude.forEach((row, i) => {
      row.forEach((alt, k) => {
        const j = i * times.length + k;
        worst = Math.max(worst, Math.abs(grid.altitude[j]! - alt));
        // Azimuth error scaled by cos(alt): the on-sky distance.
        const daz = angleDiff(grid.azimuth[j]!, s.azimuth[i]![k]!) * Math.cos((alt * Math.PI) / 180);
        expect(daz).toBeLessThan(ALT_TOL_DEG);
      });
    });
    expect(worst).toBeLessThan(ALT_TOL_DEG);
  });

  test("refracted altitude within 2″ of astropy above 5°", () => {
    const grid = altAzGrid(vectors, matrices, { weather: expected.weather });
    s.altitudeRefracted.forEach((row, i) => {
      row.forEach((alt, k) => {
        if (alt > 5) expect(Math.abs(grid.altitude[i * times.length + k]! - alt)).toBeLessThan(ALT_TOL_DEG);
      });
    });
  });

  test("twilights, Moon and target rise/set within 5 s of astropy", () => {
    const targets: Target[] = expected.targets.ra.slice(0, 8).map((ra, i) => ({
      kind: "fixed",
      name: `t${i}`,
      ra,
      dec: expected.targets.dec[i]!,
      aliases: [],
      source: "test",
      type: "coordinates",
    }));
    const plan = planNight(
      targets,
      site,
      { start: s.start, end: s.start + 86400000 },
      { ut1MinusUtc: s.ut1MinusUtc },
    );
    const ev = plan.night.events;
    const pick = (list: Event[] | undefined, kind: "rise" | "set") =>
      list?.find((e) => e.kind === kind)?.time ?? null;
    const pairs: [number | null, number | null][] = [
      [ev.sunset, pick(s.events.sunset, "set")],
      [ev.sunrise, pick(s.events.sunset, "rise")],
      [ev.civilDusk, pick(s.events.civil, "set")],
      [ev.civilDawn, pick(s.events.civil, "rise")],
      [ev.nauticalDusk, pick(s.events.nautical, "set")],
      [ev.nauticalDawn, pick(s.events.nautical, "rise")],
      [ev.astronomicalDusk, pick(s.events.astronomical, "set")],
      [ev.astronomicalDawn, pick(s.events.astronomical, "rise")],
      [ev.moonrise, pick(s.events.moon, "rise")],
      [ev.moonset, pick(s.events.moon, "set")],
    ];
    plan.targets.forEach((t, i) => {
      pairs.push([t.rise, pick(s.riseSet[i], "rise")], [t.set, pick(s.riseSet[i], "set")]);
      pairs.push([t.transit, s.transits[i]?.[0] ?? null]);
    });
    for (const [ours, theirs] of pairs) {
      if (theirs === null) expect(ours).toBeNull();
      else expect(Math.abs((ours ?? Number.NaN) - theirs)).toBeLessThan(EVENT_TOL_MS);
    }
    // Astropy's value is from the elongation approximation; illumination changes 0.5%/h at most.
    expect(Math.abs(plan.night.moonIllumination - s.moonIlluminationApprox)).toBeLessThan(0.01);
  });
});
