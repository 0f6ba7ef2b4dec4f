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
import { type HorizonFrameOptions, horizonMatrices, siteHorizonPosition } from "./horizon-frame.js";
import { type TimeSpan, timeGrid } from "./night.js";
import type { Weather } from "./refraction.js";
import type { Site } from "./site.js";
import { bodyTrack, moonIllumination, vectorsToAltAz } from "./solar-system.js";
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
  const moonVec = bodyTrack("Moon", times, matrices, pos).vectors;
  const mid = (span.start + span.end) / 2;

  const fixedIdx: number[] = [];
  const bodyIdx: number[] = [];
  targets.forEach((t, i) => {
    (t.kind === "fixed" ? fixedIdx : bodyIdx).push(i);
  });
  const ra = Float64Array.from(fixedIdx, (i) => {
    const t = targets[i];
    return t?.kind === "fixed" ? t.ra : 0;
  });
  const dec = Float64Array.from(fixedIdx, (i) => {
    const t = targets[i];
    return t?.kind === "fixed" ? t.dec : 0;
  });
  const gridOpts = {
    latitude: site.latitude,
    hourAngle: true,
    moonHorizon: moonVec,
    ...(options.weather ? { weather: options.weather } : {}),
  };
  const fixed = altAzGrid(apparentTargetVectors({ ra, dec }, mid), matrices, gridOpts);
  const nT = targets.length;
  const size = nT * nTimes;
  // Target-major arrays in the caller's order; fixed rows copied from the vectorised grid.
  const altitude = new Float64Array(size);
  const azimuth = new Float64Array(size);
  const hourAngle = new Float64Array(size);
  const moonSep = new Float64Array(size);
  fixedIdx.forEach((ti, j) => {
    altitude.set(fixed.altitude.subarray(j * nTimes, (j + 1) * nTimes), ti * nTimes);
    azimuth.set(fixed.azimuth.subarray(j * nTimes, (j + 1) * nTimes), ti * nTimes);
    hourAngle.set((fixed.hourAngle as Float64Array).subarray(j * nTimes, (j + 1) * nTimes), ti * nTimes);
    moonSep.set((fixed.moonSeparation as Float64Array).subarray(j * nTimes, (j + 1) * nTimes), ti * nTimes);
  });
  for (const ti of bodyIdx) {
    const t = targets[ti];
    if (t?.kind !== "body") continue;
    const track = bodyTrack(t.name, times, matrices, pos);
    const aa = vectorsToAltAz(track.vectors);
    altitude.set(aa.altitude, ti * nTimes);
    azimuth.set(aa.azimuth, ti * nTimes);
    const sphi = Math.sin((site.latitude * Math.PI) / 180);
    const cphi = Math.cos((site.latitude * Math.PI) / 180);
    for (let k = 0; k < nTimes; k++) {
      const n = track.vectors[3 * k] ?? 0;
      const w = track.vectors[3 * k + 1] ?? 0;
      const u = track.vectors[3 * k + 2] ?? 0;
      hourAngle[ti * nTimes + k] = (Math.atan2(w, -sphi * n + cphi * u) * 180) / Math.PI / 15;
      const d = n * (moonVec[3 * k] ?? 0) + w * (moonVec[3 * k + 1] ?? 0) + u * (moonVec[3 * k + 2] ?? 0);
      moonSep[ti * nTimes + k] = (Math.acos(Math.max(-1, Math.min(1, d))) * 180) / Math.PI;
    }
  }

  const constraints = options.constraints ?? {};
  const riseLevel = options.riseSetAltitude ?? 0;
  const step = (times[1] ?? 0) - (times[0] ?? 0);
  const keep = options.keepSeries !== false;
  const plans: TargetPlan[] = [];
  for (let ti = 0; ti < nT; ti++) {
    const o = ti * nTimes;
    const alt = altitude.subarray(o, o + nTimes);
    const observable = applyConstraints(constraints, {
      times,
      altitude,
      azimuth,
      hourAngle,
      moonSeparation: moonSep,
      sunAltitude: night.sunAltitude,
      moonAltitude: night.moonAltitude,
      offset: o,
    });
    let count = 0;
    for (let k = 0; k < nTimes; k++) count += observable[k] ?? 0;
    let maxAlt = -Infinity;
    let maxK = 0;
    for (let k = 0; k < nTimes; k++) {
      const a = alt[k] ?? 0;
      if (a > maxAlt) {
        maxAlt = a;
        maxK = k;
      }
    }
    const crossings = findCrossings(altitude, times, riseLevel, o, nTimes);
    const transits = findTransits(hourAngle, times, o, nTimes);
    const windows = maskWindows(observable, times);
    let best: TimeSpan | null = null;
    let bestScore = -Infinity;
    for (const w of windows) {
      let peak = -90;
      for (
        let k = Math.round((w.start - span.start) / step);
        times[k] !== undefined && (times[k] ?? 0) <= w.end;
        k++
      ) {
        peak = Math.max(peak, alt[k] ?? -90);
      }
      const score = (w.end - w.start) / 60000 + peak / 1000;
      if (score > bestScore) {
        bestScore = score;
        best = w;
      }
    }
    const refT = best ? (best.start + best.end) / 2 : (times[maxK] ?? 0);
    const refK = Math.max(0, Math.min(nTimes - 1, Math.round((refT - span.start) / step)));
    const airmass = new Float64Array(keep ? nTimes : 0);
    const airmassKY = new Float64Array(keep ? nTimes : 0);
    if (keep) {
      for (let k = 0; k < nTimes; k++) {
        airmass[k] = airmassSecZ(alt[k] ?? 0);
        airmassKY[k] = airmassKastenYoung(alt[k] ?? 0);
      }
    }
    const target = targets[ti] as Target;
    plans.push({
      target,
      altitude: keep ? alt : new Float64Array(0),
      azimuth: keep ? azimuth.subarray(o, o + nTimes) : new Float64Array(0),
      airmass,
      airmassKastenYoung: airmassKY,
      hourAngle: keep ? hourAngle.subarray(o, o + nTimes) : new Float64Array(0),
      moonSeparation: keep ? moonSep.subarray(o, o + nTimes) : new Float64Array(0),
      observable,
      rise: firstOf(crossings, "rise"),
      set: firstOf(crossings, "set"),
      transit: transits[0] ?? null,
      maxAltitude: maxAlt,
      maxAltitudeTime: times[maxK] ?? 0,
      observableMinutes: (count * step) / 60000,
      windows,
      bestWindow: best,
      moonSeparationDeg: moonSep[o + refK] ?? 0,
    });
  }
  return { site, night, targets: plans };
}
