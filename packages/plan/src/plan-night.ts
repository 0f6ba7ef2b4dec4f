/**
 * Observability of targets from a site over a night (or any span) at a fixed step (default one
 * minute): altitude, azimuth, airmass, rise/transit/set, time satisfying the constraints, Moon
 * distance and best window per target; Sun and Moon altitude, Moon illumination and twilights per
 * night. Fixed targets are computed together over Float64Arrays ({@link altAzGrid}).
 */
import { airmassKastenYoung, airmassSecZ } from "./airmass.js";
import { altAzGrid, apparentTargetVectors } from "./altaz-grid.js";
import { applyConstraints, type Constraints, maskWindows, TWILIGHT_SUN_ALTITUDE } from "./constraints.js";
import { findCrossings, findTransits } from "./crossings.js";
import { PlanError } from "./errors.js";
import {
  type HorizonFrameOptions,
  horizonMatrices,
  localSiderealDegrees,
  precessionNutationMatrix,
  siteHorizonPosition,
} from "./horizon-frame.js";
import { type TimeSpan, timeGrid } from "./night.js";
import type { Weather } from "./refraction.js";
import type { Site } from "./site.js";
import { orbitGeocentricKm } from "./small-body.js";
import { bodyTrack, moonIllumination, type SolarSystemBody, vectorsToAltAz } from "./solar-system.js";
import type { Target } from "./target.js";

/** Options of {@link planNight}. */
export interface PlanOptions extends HorizonFrameOptions {
  /** Grid step in minutes (default 1). */
  readonly stepMinutes?: number;
  /** Refraction weather for target altitudes (default none: geometric altitudes). */
  readonly weather?: Weather;
  /** Constraints defining "observable" (default: altitude > 0 and astronomical night). */
  readonly constraints?: Constraints;
  /** Altitude in degrees defining target rise/set (default 0). */
  readonly riseSetAltitude?: number;
  /** Keep per-time arrays in the result (default true; off for big batches that need only summaries). */
  readonly keepSeries?: boolean;
}

/** Twilight and rise/set events of the Sun and Moon in a night (Unix ms UTC, `null` if none). */
export interface NightEvents {
  readonly sunset: number | null;
  readonly sunrise: number | null;
  readonly civilDusk: number | null;
  readonly civilDawn: number | null;
  readonly nauticalDusk: number | null;
  readonly nauticalDawn: number | null;
  readonly astronomicalDusk: number | null;
  readonly astronomicalDawn: number | null;
  readonly moonrise: number | null;
  readonly moonset: number | null;
}

/** Per-night data. */
export interface NightSummary {
  readonly span: TimeSpan;
  readonly times: Float64Array;
  readonly sunAltitude: Float64Array;
  readonly sunAzimuth: Float64Array;
  readonly moonAltitude: Float64Array;
  readonly moonAzimuth: Float64Array;
  /** Topocentric Moon unit vectors in the horizon frame (north, west, up), 3 per time. */
  readonly moonHorizon: Float64Array;
  /** Illuminated fraction of the Moon at the middle of the span. */
  readonly moonIllumination: number;
  readonly events: NightEvents;
}

/** Per-target result. Series are views into shared target-major arrays. */
export interface TargetPlan {
  readonly target: Target;
  readonly altitude: Float64Array;
  readonly azimuth: Float64Array;
  /** Plain sec z (Infinity below the horizon). */
  readonly airmass: Float64Array;
  /** Kasten & Young (1989) airmass. */
  readonly airmassKastenYoung: Float64Array;
  readonly hourAngle: Float64Array;
  readonly moonSeparation: Float64Array;
  /** 1 where all constraints hold. */
  readonly observable: Uint8Array;
  readonly rise: number | null;
  readonly set: number | null;
  readonly transit: number | null;
  readonly maxAltitude: number;
  readonly maxAltitudeTime: number;
  /** Minutes satisfying every constraint. */
  readonly observableMinutes: number;
  readonly windows: readonly TimeSpan[];
  /** Longest window (ties: the one reaching the higher altitude). */
  readonly bestWindow: TimeSpan | null;
  /** Moon separation at the middle of the best window (or at max altitude), degrees. */
  readonly moonSeparationDeg: number;
}

/** Result of {@link planNight}. */
export interface NightPlan {
  readonly site: Site;
  readonly night: NightSummary;
  readonly targets: readonly TargetPlan[];
}

function firstOf(xs: { time: number; kind: string }[], kind: "rise" | "set"): number | null {
  return xs.find((x) => x.kind === kind)?.time ?? null;
}

/** Sun and Moon over a grid plus twilight events. */
export function nightSummary(
  site: Site,
  span: TimeSpan,
  times: Float64Array,
  matrices: Float64Array,
): NightSummary {
  const pos = siteHorizonPosition(site);
  const sun = bodyTrack("Sun", times, matrices, pos);
  const moon = bodyTrack("Moon", times, matrices, pos);
  const s = vectorsToAltAz(sun.vectors);
  const m = vectorsToAltAz(moon.vectors);
  const sunAt = (level: number) => findCrossings(s.altitude, times, level);
  const set = sunAt(TWILIGHT_SUN_ALTITUDE.sunset);
  const civ = sunAt(TWILIGHT_SUN_ALTITUDE.civil);
  const nau = sunAt(TWILIGHT_SUN_ALTITUDE.nautical);
  const ast = sunAt(TWILIGHT_SUN_ALTITUDE.astronomical);
  const moonX = findCrossings(m.altitude, times, TWILIGHT_SUN_ALTITUDE.sunset);
  return {
    span,
    times,
    sunAltitude: s.altitude,
    sunAzimuth: s.azimuth,
    moonAltitude: m.altitude,
    moonAzimuth: m.azimuth,
    moonHorizon: moon.vectors,
    moonIllumination: moonIllumination((span.start + span.end) / 2),
    events: {
      sunset: firstOf(set, "set"),
      sunrise: firstOf(set, "rise"),
      civilDusk: firstOf(civ, "set"),
      civilDawn: firstOf(civ, "rise"),
      nauticalDusk: firstOf(nau, "set"),
      nauticalDawn: firstOf(nau, "rise"),
      astronomicalDusk: firstOf(ast, "set"),
      astronomicalDawn: firstOf(ast, "rise"),
      moonrise: firstOf(moonX, "rise"),
      moonset: firstOf(moonX, "set"),
    },
  };
}

const DEG = Math.PI / 180;
/** Sidereal rate: degrees of Earth rotation per millisecond of UT (IERS 2010, ERA rate). */
const SIDEREAL_DEG_PER_MS = (360 * 1.0027378119113546) / 86400000;

/** Wrap degrees to [−180, 180). */
function wrap180(x: number): number {
  const y = (x + 180) % 360;
  return (y < 0 ? y + 360 : y) - 180;
}

/** Plan `targets` from `site` over `span` (e.g. {@link nightSpan}). */
export function planNight(
  targets: readonly Target[],
  site: Site,
  span: TimeSpan,
  options: PlanOptions = {},
): NightPlan {
  const times = timeGrid(span, options.stepMinutes ?? 1);
  const nTimes = times.length;
  if (nTimes < 2) throw new PlanError("INVALID_ARGUMENT", "the time span holds fewer than two grid steps");
  const matrices = horizonMatrices(times, site, options);
  const night = nightSummary(site, span, times, matrices);
  const pos = siteHorizonPosition(site);
  const moonHor = night.moonHorizon;
  // Moon direction on J2000 axes per time (M_tᵀ · hor), so separations are dot products.
  const moonEqj = new Float64Array(3 * nTimes);
  for (let k = 0; k < nTimes; k++) {
    const o = 9 * k;
    const n = moonHor[3 * k] ?? 0;
    const w = moonHor[3 * k + 1] ?? 0;
    const u = moonHor[3 * k + 2] ?? 0;
    for (let j = 0; j < 3; j++) {
      moonEqj[3 * k + j] =
        (matrices[o + j] ?? 0) * n + (matrices[o + 3 + j] ?? 0) * w + (matrices[o + 6 + j] ?? 0) * u;
    }
  }
  const lst = localSiderealDegrees(times, site, options);
  const pn = precessionNutationMatrix((span.start + span.end) / 2);
  const mid = (span.start + span.end) / 2;
  const nT = targets.length;
  const allFixed = targets.every((t) => t.kind === "fixed");

  const ra = Float64Array.from(targets, (t) => (t.kind === "fixed" ? t.ra : 0));
  const dec = Float64Array.from(targets, (t) => (t.kind === "fixed" ? t.dec : 0));
  const hasPm = targets.some((t) => t.kind === "fixed" && (t.pmRa !== undefined || t.pmDec !== undefined));
  const pm = hasPm
    ? {
        pmRa: Float64Array.from(targets, (t) => (t.kind === "fixed" ? (t.pmRa ?? 0) : 0)),
        pmDec: Float64Array.from(targets, (t) => (t.kind === "fixed" ? (t.pmDec ?? 0) : 0)),
      }
    : {};
  const vectors = apparentTargetVectors({ ra, dec, ...pm }, mid);
  const grid = altAzGrid(vectors, matrices, options.weather ? { weather: options.weather } : {});
  const { altitude, azimuth } = grid;
  // Solar System bodies: per-time topocentric vectors replace their rows.
  const bodyVectors = new Map<number, Float64Array>();
  if (!allFixed) {
    targets.forEach((t, ti) => {
      if (t.kind === "fixed") return;
      const el = t.kind === "orbit" ? t.elements : undefined;
      const track = bodyTrack(
        el ? (ms) => orbitGeocentricKm(el, ms) : (t.name as SolarSystemBody),
        times,
        matrices,
        pos,
      );
      const aa = vectorsToAltAz(track.vectors);
      altitude.set(aa.altitude, ti * nTimes);
      azimuth.set(aa.azimuth, ti * nTimes);
      // Back to J2000 axes per time for hour angles and Moon separations.
      const eqj = new Float64Array(3 * nTimes);
      for (let k = 0; k < nTimes; k++) {
        const o = 9 * k;
        const n = track.vectors[3 * k] ?? 0;
        const w = track.vectors[3 * k + 1] ?? 0;
        const u = track.vectors[3 * k + 2] ?? 0;
        for (let j = 0; j < 3; j++) {
          eqj[3 * k + j] =
            (matrices[o + j] ?? 0) * n + (matrices[o + 3 + j] ?? 0) * w + (matrices[o + 6 + j] ?? 0) * u;
        }
      }
      bodyVectors.set(ti, eqj);
    });
  }

  const constraints = options.constraints ?? {};
  const riseLevel = options.riseSetAltitude ?? 0;
  const step = (times[1] ?? 0) - (times[0] ?? 0);
  const keep = options.keepSeries !== false;
  const needHa = keep || constraints.hourAngle !== undefined;
  const needMoon = keep || constraints.minMoonSeparation !== undefined;
  const haRow = new Float64Array(nTimes);
  const decRow = new Float64Array(constraints.declination ? nTimes : 0);
  const moonCosRow = new Float64Array(nTimes);
  const plans: TargetPlan[] = [];
  for (let ti = 0; ti < nT; ti++) {
    const o = ti * nTimes;
    const alt = altitude.subarray(o, o + nTimes);
    const body = bodyVectors.get(ti);
    // Right ascension of date of a fixed target (precession–nutation at mid-span) for hour angles.
    const vx = vectors[3 * ti] ?? 0;
    const vy = vectors[3 * ti + 1] ?? 0;
    const vz = vectors[3 * ti + 2] ?? 0;
    const raDate =
      Math.atan2(
        (pn[3] ?? 0) * vx + (pn[4] ?? 0) * vy + (pn[5] ?? 0) * vz,
        (pn[0] ?? 0) * vx + (pn[1] ?? 0) * vy + (pn[2] ?? 0) * vz,
      ) / DEG;
    const raOfDateAt = (k: number) => {
      if (!body) return raDate;
      const x = body[3 * k] ?? 0;
      const y = body[3 * k + 1] ?? 0;
      const z = body[3 * k + 2] ?? 0;
      return (
        Math.atan2(
          (pn[3] ?? 0) * x + (pn[4] ?? 0) * y + (pn[5] ?? 0) * z,
          (pn[0] ?? 0) * x + (pn[1] ?? 0) * y + (pn[2] ?? 0) * z,
        ) / DEG
      );
    };
    if (needHa || body) {
      for (let k = 0; k < nTimes; k++) haRow[k] = wrap180((lst[k] ?? 0) - raOfDateAt(k)) / 15;
    }
    if (needMoon) {
      for (let k = 0; k < nTimes; k++) {
        const x = body ? (body[3 * k] ?? 0) : vx;
        const y = body ? (body[3 * k + 1] ?? 0) : vy;
        const z = body ? (body[3 * k + 2] ?? 0) : vz;
        moonCosRow[k] =
          x * (moonEqj[3 * k] ?? 0) + y * (moonEqj[3 * k + 1] ?? 0) + z * (moonEqj[3 * k + 2] ?? 0);
      }
    }
    if (constraints.declination) {
      for (let k = 0; k < nTimes; k++) {
        const z = body
          ? (body[3 * k + 2] ?? 0) / Math.hypot(body[3 * k] ?? 0, body[3 * k + 1] ?? 0, body[3 * k + 2] ?? 0)
          : vz;
        decRow[k] = Math.asin(Math.max(-1, Math.min(1, z))) / DEG;
      }
    }
    const observable = applyConstraints(constraints, {
      times,
      altitude,
      azimuth,
      ...(needHa ? { hourAngle: haRow } : {}),
      ...(constraints.declination ? { declination: decRow } : {}),
      ...(constraints.minMoonSeparation !== undefined ? { moonCosSeparation: moonCosRow } : {}),
      sunAltitude: night.sunAltitude,
      moonAltitude: night.moonAltitude,
      offset: o,
    });
    let count = 0;
    let maxAlt = Number.NEGATIVE_INFINITY;
    let maxK = 0;
    for (let k = 0; k < nTimes; k++) {
      count += observable[k] ?? 0;
      const a = alt[k] ?? 0;
      if (a > maxAlt) {
        maxAlt = a;
        maxK = k;
      }
    }
    const crossings = findCrossings(altitude, times, riseLevel, o, nTimes);
    let transit: number | null;
    if (body) {
      transit = findTransits(haRow, times)[0] ?? null;
    } else {
      // Upper transit: hour angle 0, reached at the sidereal rate from the first grid time.
      const ha0 = wrap180((lst[0] ?? 0) - raDate);
      const first = (times[0] ?? 0) + (ha0 <= 0 ? -ha0 : 360 - ha0) / SIDEREAL_DEG_PER_MS;
      transit = first <= (times[nTimes - 1] ?? 0) ? first : null;
    }
    const windows = maskWindows(observable, times);
    let best: TimeSpan | null = null;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const w of windows) {
      let peak = -90;
      const k0 = Math.round((w.start - span.start) / step);
      const k1 = Math.round((w.end - span.start) / step);
      for (let k = k0; k <= k1; k++) peak = Math.max(peak, alt[k] ?? -90);
      const score = (w.end - w.start) / 60000 + peak / 1000;
      if (score > bestScore) {
        bestScore = score;
        best = w;
      }
    }
    const refT = best ? (best.start + best.end) / 2 : (times[maxK] ?? 0);
    const refK = Math.max(0, Math.min(nTimes - 1, Math.round((refT - span.start) / step)));
    const moonCosAt = (k: number) => {
      const x = body ? (body[3 * k] ?? 0) : vx;
      const y = body ? (body[3 * k + 1] ?? 0) : vy;
      const z = body ? (body[3 * k + 2] ?? 0) : vz;
      return x * (moonEqj[3 * k] ?? 0) + y * (moonEqj[3 * k + 1] ?? 0) + z * (moonEqj[3 * k + 2] ?? 0);
    };
    const airmass = new Float64Array(keep ? nTimes : 0);
    const airmassKY = new Float64Array(keep ? nTimes : 0);
    const moonSeparation = new Float64Array(keep ? nTimes : 0);
    if (keep) {
      for (let k = 0; k < nTimes; k++) {
        airmass[k] = airmassSecZ(alt[k] ?? 0);
        airmassKY[k] = airmassKastenYoung(alt[k] ?? 0);
        moonSeparation[k] = Math.acos(Math.max(-1, Math.min(1, moonCosRow[k] ?? 0))) / DEG;
      }
    }
    plans.push({
      target: targets[ti] as Target,
      altitude: keep ? alt : new Float64Array(0),
      azimuth: keep ? azimuth.subarray(o, o + nTimes) : new Float64Array(0),
      airmass,
      airmassKastenYoung: airmassKY,
      hourAngle: keep ? haRow.slice() : new Float64Array(0),
      moonSeparation,
      observable,
      rise: firstOf(crossings, "rise"),
      set: firstOf(crossings, "set"),
      transit,
      maxAltitude: maxAlt,
      maxAltitudeTime: times[maxK] ?? 0,
      observableMinutes: (count * step) / 60000,
      windows,
      bestWindow: best,
      moonSeparationDeg: Math.acos(Math.max(-1, Math.min(1, moonCosAt(refK)))) / DEG,
    });
  }
  return { site, night, targets: plans };
}
