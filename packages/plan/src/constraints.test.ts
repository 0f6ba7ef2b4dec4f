import { describe, expect, test } from "vitest";
import { makeHorizonProfile } from "./horizon-profile.js";
import { nightSpan } from "./night.js";
import { planNight } from "./plan-night.js";
import { makeSite } from "./site.js";
import { resolveTarget } from "./target.js";
import { yearlyObservability } from "./yearly.js";

const site = makeSite(-30.2407, -70.7366, 2715);
const span = nightSpan("2022-06-21", site.longitude);
const m83 = resolveTarget("M 83");

describe("constraints", () => {
  const free = planNight([m83], site, span, { constraints: { twilight: null } }).targets[0]!;
  test("each constraint only removes time, and holds where it says observable", () => {
    const cases = [
      { maxAirmass: 1.5 },
      { minAltitude: 40 },
      {
        horizon: makeHorizonProfile([
          [0, 10],
          [90, 60],
          [180, 10],
          [270, 30],
        ]),
      },
      { hourAngle: { min: -2, max: 1 } },
      { windows: [{ start: span.start + 8 * 3600000, end: span.start + 10 * 3600000 }] },
      { twilight: "astronomical" as const },
    ];
    for (const c of cases) {
      const p = planNight([m83], site, span, { constraints: { twilight: null, ...c } }).targets[0]!;
      expect(p.observableMinutes).toBeLessThan(free.observableMinutes);
      expect(p.observableMinutes).toBeGreaterThan(0);
      p.observable.forEach((ok, k) => {
        if (!ok) return;
        if ("maxAirmass" in c) expect(p.airmass[k]!).toBeLessThanOrEqual(1.5);
        if ("minAltitude" in c) expect(p.altitude[k]!).toBeGreaterThanOrEqual(40);
        if ("hourAngle" in c) {
          expect(p.hourAngle[k]!).toBeGreaterThanOrEqual(-2);
          expect(p.hourAngle[k]!).toBeLessThanOrEqual(1);
        }
      });
      expect(p.bestWindow).not.toBeNull();
    }
  });

  test("Moon separation limit removes the time Jupiter spends near the Moon", () => {
    const jup = resolveTarget("Jupiter");
    const base = planNight([jup], site, span, { constraints: { twilight: null } }).targets[0]!;
    const near = planNight([jup], site, span, { constraints: { twilight: null, minMoonSeparation: 15 } })
      .targets[0]!;
    expect(base.moonSeparationDeg).toBeLessThan(15);
    expect(near.observableMinutes).toBeLessThan(base.observableMinutes);
  });

  test("yearly hours equal the nightly plans on the same grid", () => {
    const y = yearlyObservability([m83], site, "2022-06-21", { nNights: 2, stepMinutes: 10 });
    expect(y.nights).toEqual(["2022-06-21", "2022-06-22"]);
    const night0 = planNight([m83], site, span, { stepMinutes: 10 }).targets[0]!;
    expect(y.hours[0]).toBeCloseTo(night0.observableMinutes / 60, 10);
    expect(y.darkHours[0]).toBeGreaterThan(y.hours[0]!);
  });
});
