/** Hours observable per night through a range of nights (the "best months" chart). */
import { nightSpan } from "./night.js";
import { type PlanOptions, planNight } from "./plan-night.js";
import type { Site } from "./site.js";
import type { Target } from "./target.js";

/** Result of {@link yearlyObservability}: `hours[target * nights.length + night]`. */
export interface YearlyObservability {
  /** Calendar date (YYYY-MM-DD) on which each night starts (local noon). */
  readonly nights: readonly string[];
  /** Start of each night (local noon), Unix ms UTC. */
  readonly starts: Float64Array;
  readonly hours: Float64Array;
  /** Hours of astronomical darkness each night (the ceiling of `hours`). */
  readonly darkHours: Float64Array;
}

/**
 * Hours each target satisfies the constraints on each of `nNights` nights starting on `startDate`
 * (default 365 nights, grid step 10 minutes).
 */
export function yearlyObservability(
  targets: readonly Target[],
  site: Site,
  startDate: string,
  options: PlanOptions & {
    nNights?: number;
    utcOffsetHours?: number;
    /** Local offset (hours) at an instant (Unix ms), for sites with daylight saving; wins over `utcOffsetHours`. */
    utcOffsetAt?: (ms: number) => number | undefined;
  } = {},
): YearlyObservability {
  const nNights = options.nNights ?? 365;
  const step = options.stepMinutes ?? 10;
  const first = nightSpan(startDate, site.longitude, options.utcOffsetHours);
  const day0 = Date.parse(`${startDate.slice(0, 10)}T00:00:00Z`);
  const nights: string[] = [];
  const starts = new Float64Array(nNights);
  const hours = new Float64Array(targets.length * nNights);
  const darkHours = new Float64Array(nNights);
  for (let d = 0; d < nNights; d++) {
    let span = { start: first.start + d * 86400000, end: first.end + d * 86400000 };
    if (options.utcOffsetAt) {
      const date = new Date(day0 + d * 86400000).toISOString().slice(0, 10);
      const offset = options.utcOffsetAt(day0 + d * 86400000 + 12 * 3600000) ?? options.utcOffsetHours;
      span = nightSpan(date, site.longitude, offset);
    }
    starts[d] = span.start;
    const date = new Date(span.start + 43200000 - 86400000 / 2);
    nights.push(
      new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
        .toISOString()
        .slice(0, 10),
    );
    const plan = planNight(targets, site, span, { ...options, stepMinutes: step, keepSeries: false });
    let dark = 0;
    for (const a of plan.night.sunAltitude) if (a < -18) dark++;
    darkHours[d] = (dark * step) / 60;
    plan.targets.forEach((t, i) => {
      hours[i * nNights + d] = t.observableMinutes / 60;
    });
  }
  return { nights, starts, hours, darkHours };
}
