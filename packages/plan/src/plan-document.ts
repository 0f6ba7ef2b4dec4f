/**
 * JSON documents of plans, yearly observability and satellite checks: the one shape printed by
 * `meridian plan --json` / `meridian satcheck --json` and answered by the server's tools API.
 * Times are ISO 8601 UTC strings rounded to the second (satellite times keep milliseconds),
 * angles degrees, airmass `null` where it is undefined (target below the horizon).
 */
import type { Constraints } from "./constraints.js";
import type { TimeSpan } from "./night.js";
import type { NightPlan, TargetPlan } from "./plan-night.js";
import type { SatCheckResult, SatelliteCrossing, TrackPoint } from "./satcheck.js";
import type { TleProblem } from "./tle.js";
import type { YearlyObservability } from "./yearly.js";

/** Unix ms → ISO 8601 UTC rounded to the second (`null` stays `null`). */
export function isoSecond(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || !Number.isFinite(ms)
    ? null
    : new Date(Math.round(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

function fixed(x: number | undefined, digits: number): number {
  return Number((x ?? 0).toFixed(digits));
}

function finiteOrNull(x: number | undefined, digits: number): number | null {
  return x !== undefined && Number.isFinite(x) ? fixed(x, digits) : null;
}

/** One per-time sample of a target in a plan document. */
export interface TargetSampleDoc {
  time: string | null;
  altitude: number;
  azimuth: number;
  airmass: number | null;
  airmassKastenYoung: number | null;
  hourAngle: number;
  moonSeparation: number;
  observable: boolean;
}

/** One target of a plan document. */
export interface TargetDoc {
  name: string;
  ra?: number;
  dec?: number;
  body?: string;
  source: string;
  type: string;
  rise: string | null;
  transit: string | null;
  set: string | null;
  maxAltitude: number;
  maxAltitudeTime: string | null;
  observableHours: number;
  windows: { start: string | null; end: string | null }[];
  bestWindow: { start: string | null; end: string | null } | null;
  moonSeparation: number;
  series?: TargetSampleDoc[];
}

/** The night part of a plan document. */
export interface NightDoc {
  start: string | null;
  end: string | null;
  moonIllumination: number;
  events: Record<string, string | null>;
  series: { time: string | null; sunAltitude: number; moonAltitude: number; moonAzimuth: number }[];
}

/** One target of a plan as JSON (per-time series when `series`). */
export function targetDocument(t: TargetPlan, times: Float64Array, series: boolean): TargetDoc {
  const tg = t.target;
  const where = tg.kind === "fixed" ? { ra: tg.ra, dec: tg.dec } : ({ body: tg.name } as { body: string });
  return {
    name: tg.name,
    ...where,
    source: tg.source,
    type: tg.type,
    rise: isoSecond(t.rise),
    transit: isoSecond(t.transit),
    set: isoSecond(t.set),
    maxAltitude: fixed(t.maxAltitude, 3),
    maxAltitudeTime: isoSecond(t.maxAltitudeTime),
    observableHours: fixed(t.observableMinutes / 60, 3),
    windows: t.windows.map((w) => ({ start: isoSecond(w.start), end: isoSecond(w.end) })),
    bestWindow: t.bestWindow
      ? { start: isoSecond(t.bestWindow.start), end: isoSecond(t.bestWindow.end) }
      : null,
    moonSeparation: fixed(t.moonSeparationDeg, 2),
    ...(series && t.altitude.length === times.length
      ? {
          series: Array.from(times, (time, k) => ({
            time: isoSecond(time),
            altitude: fixed(t.altitude[k], 4),
            azimuth: fixed(t.azimuth[k], 4),
            airmass: finiteOrNull(t.airmass[k], 4),
            airmassKastenYoung: finiteOrNull(t.airmassKastenYoung[k], 4),
            hourAngle: fixed(t.hourAngle[k], 4),
            moonSeparation: fixed(t.moonSeparation[k], 3),
            observable: t.observable[k] === 1,
          })),
        }
      : {}),
  };
}

/** The night of a plan as JSON: span, Moon illumination, Sun/Moon events and per-time altitudes. */
export function nightDocument(plan: NightPlan, span: TimeSpan): NightDoc {
  const n = plan.night;
  return {
    start: isoSecond(span.start),
    end: isoSecond(span.end),
    moonIllumination: fixed(n.moonIllumination, 4),
    events: Object.fromEntries(Object.entries(n.events).map(([k, v]) => [k, isoSecond(v)])),
    series: Array.from(n.times, (time, k) => ({
      time: isoSecond(time),
      sunAltitude: fixed(n.sunAltitude[k], 3),
      moonAltitude: fixed(n.moonAltitude[k], 3),
      moonAzimuth: fixed(n.moonAzimuth[k], 3),
    })),
  };
}

/** Constraints as JSON (the horizon profile as its `[azimuth, altitude]` points). */
export function constraintsDocument(c: Constraints): Record<string, unknown> {
  const { horizon, windows, ...rest } = c;
  return {
    ...rest,
    ...(horizon ? { horizon: Array.from(horizon.azimuth, (az, i) => [az, horizon.altitude[i] ?? 0]) } : {}),
    ...(windows
      ? { windows: windows.map((w) => ({ start: isoSecond(w.start), end: isoSecond(w.end) })) }
      : {}),
  };
}

/** Yearly observability per target: hours per night and monthly means. */
export function yearlyDocument(
  y: YearlyObservability,
  names: readonly string[],
): {
  nights: string[];
  starts: (string | null)[];
  darkHours: number[];
  targets: { name: string; hours: number[]; monthly: { month: string; meanHours: number }[] }[];
} {
  const n = y.nights.length;
  const targets = names.map((name, i) => {
    const hours = Array.from(y.hours.subarray(i * n, (i + 1) * n), (h) => fixed(h, 2));
    const months = new Map<string, number[]>();
    y.nights.forEach((d, k) => {
      const key = d.slice(0, 7);
      const list = months.get(key) ?? [];
      list.push(hours[k] ?? 0);
      months.set(key, list);
    });
    const monthly = [...months].map(([month, hs]) => ({
      month,
      meanHours: fixed(hs.reduce((a, b) => a + b, 0) / hs.length, 2),
    }));
    return { name, hours, monthly };
  });
  return {
    nights: [...y.nights],
    starts: Array.from(y.starts, (t) => isoSecond(t)),
    darkHours: Array.from(y.darkHours, (h) => fixed(h, 2)),
    targets,
  };
}

function pointDocument(p: TrackPoint): Omit<TrackPoint, "time"> & { time: string } {
  return { ...p, time: new Date(p.time).toISOString() };
}

/** One satellite crossing as JSON (times ISO with milliseconds). */
export function crossingDocument(c: SatelliteCrossing) {
  return {
    ...c,
    entry: pointDocument(c.entry),
    exit: pointDocument(c.exit),
    track: c.track.map(pointDocument),
    elements: { ...c.elements, epoch: new Date(c.elements.epoch).toISOString() },
  };
}

/** A satellite check result as JSON, with the element-set problems met while reading input. */
export function satcheckDocument(res: SatCheckResult, problems: readonly TleProblem[] = []) {
  return { problems: [...problems], stats: res.stats, crossings: res.crossings.map(crossingDocument) };
}
