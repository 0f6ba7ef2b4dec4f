/**
 * Comets and asteroids by name, propagated from their SBDB elements, against skyfield's Kepler
 * propagator and astropy's AltAz (fixtures/plan/make-moving-targets.py → expected/small-bodies.json);
 * and stars moved by their Hipparcos proper motions against erfa.pmsafe (expected/proper-motion.json).
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { repoFixture } from "../../../test/paths.js";
import { nightSpan } from "./night.js";
import { planNight } from "./plan-night.js";
import { makeSite } from "./site.js";
import { heliocentricPosition } from "./small-body.js";
import { resolveTarget } from "./target.js";

interface Moving {
  site: { lat: number; lon: number; elev: number };
  date: string;
  times: number[];
  ut1MinusUtc: number;
}
const bodies = JSON.parse(readFileSync(repoFixture("plan/expected/small-bodies.json"), "utf8")) as Moving & {
  objects: { name: string; type: string; alt: number[]; az: number[]; distanceAu: number[] }[];
};
const stars = JSON.parse(readFileSync(repoFixture("plan/expected/proper-motion.json"), "utf8")) as Moving & {
  stars: {
    name: string;
    pmRa: number;
    pmDec: number;
    alt: number[];
    az: number[];
    altWithoutProperMotion: number[];
  }[];
};
const site = makeSite(bodies.site.lat, bodies.site.lon, bodies.site.elev);

/** Angular distance (arcsec) between two alt/az directions. */
function sepArcsec(alt1: number, az1: number, alt2: number, az2: number): number {
  const d = Math.PI / 180;
  const c =
    Math.sin(alt1 * d) * Math.sin(alt2 * d) +
    Math.cos(alt1 * d) * Math.cos(alt2 * d) * Math.cos((az1 - az2) * d);
  return (Math.acos(Math.min(1, c)) / d) * 3600;
}

function planAt(names: string[], data: Moving) {
  const targets = names.map((n) => resolveTarget(n));
  const plan = planNight(targets, site, nightSpan(data.date, site.longitude), {
    ut1MinusUtc: data.ut1MinusUtc,
  });
  const t0 = plan.night.times[0] ?? 0;
  const index = data.times.map((t) => Math.round((t - t0) / 60000));
  return { plan, targets, index };
}

describe("comets and asteroids", () => {
  test("resolve by name, number, designation", () => {
    expect(resolveTarget("Ceres")).toMatchObject({
      kind: "orbit",
      name: "1 Ceres",
      type: "asteroid",
      source: "JPL SBDB",
    });
    expect(resolveTarget("(433)").name).toBe("433 Eros");
    expect(resolveTarget("1P").name).toBe("1P/Halley");
    expect(resolveTarget("halley").name).toBe("1P/Halley");
    expect(resolveTarget("C/2020 F3")).toMatchObject({ name: "C/2020 F3 (NEOWISE)", type: "comet" });
  });

  test("positions match skyfield + astropy for elliptic, near-parabolic and hyperbolic orbits", () => {
    const { plan, index } = planAt(
      bodies.objects.map((o) => o.name),
      bodies,
    );
    let worst = 0;
    bodies.objects.forEach((o, i) => {
      const p = plan.targets[i];
      expect(p?.target.kind).toBe("orbit");
      index.forEach((k, j) => {
        const sep = sepArcsec(p?.altitude[k] ?? 0, p?.azimuth[k] ?? 0, o.alt[j] ?? 0, o.az[j] ?? 0);
        worst = Math.max(worst, sep);
        expect(sep, `${o.name} at ${new Date(bodies.times[j] ?? 0).toISOString()}`).toBeLessThan(3);
      });
    });
    console.log(`small bodies: worst ${worst.toFixed(2)} arcsec`);
  });

  test("the propagator is two-body: perihelion distance at perihelion time", () => {
    const halley = resolveTarget("1P/Halley");
    if (halley.kind !== "orbit") throw new Error("not an orbit");
    const p = heliocentricPosition(halley.elements, halley.elements.tp);
    expect(Math.hypot(...p)).toBeCloseTo(halley.elements.q, 12);
  });
});

describe("proper motions", () => {
  test("bundled stars carry Hipparcos proper motions and move with them (erfa.pmsafe)", () => {
    const { plan, targets, index } = planAt(
      stars.stars.map((s) => s.name),
      stars,
    );
    let worst = 0;
    stars.stars.forEach((s, i) => {
      const t = targets[i];
      expect(t?.kind === "fixed" ? [t.pmRa, t.pmDec] : null).toEqual([s.pmRa, s.pmDec]);
      const p = plan.targets[i];
      index.forEach((k, j) => {
        if ((s.alt[j] ?? 0) < 5) return;
        const sep = sepArcsec(p?.altitude[k] ?? 0, p?.azimuth[k] ?? 0, s.alt[j] ?? 0, s.az[j] ?? 0);
        worst = Math.max(worst, sep);
        expect(sep, s.name).toBeLessThan(2);
      });
    });
    // Without the proper motion ε Ind would be off by ~100″.
    const eps = stars.stars.find((s) => s.name === "eps Ind");
    expect(Math.abs((eps?.alt[6] ?? 0) - (eps?.altWithoutProperMotion[6] ?? 0)) * 3600).toBeGreaterThan(50);
    console.log(`proper motion: worst ${worst.toFixed(2)} arcsec`);
  });
});
