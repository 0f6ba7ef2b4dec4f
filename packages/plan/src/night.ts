/** Nights and time grids. A night runs from local noon to the next local noon. */
import { PlanError } from "./errors.js";

/** A time span in Unix milliseconds (UTC). */
export interface TimeSpan {
  readonly start: number;
  readonly end: number;
}

/** Parse an ISO 8601 time or date (UTC when no offset is written); throws `PARSE_TIME`. */
export function parseTime(text: string): number {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) {
    throw new PlanError(
      "PARSE_TIME",
      `time "${text}": expected ISO 8601 such as 2022-06-21 or 2022-06-21T03:00:00Z`,
    );
  }
  const iso =
    t.length === 10
      ? `${t}T00:00:00Z`
      : /Z|[+-]\d{2}:?\d{2}$/.test(t)
        ? t.replace(" ", "T")
        : `${t.replace(" ", "T")}Z`;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new PlanError("PARSE_TIME", `time "${text}" is not a valid date`);
  return ms;
}

/**
 * The night that starts at local noon of calendar date `date` (`YYYY-MM-DD`) and ends at the next
 * local noon. Local time is UTC + `utcOffsetHours`; without it the offset is the site's longitude
 * rounded to whole hours (longitude/15), i.e. mean solar time, which keeps local midnight within
 * 30 minutes of the middle of the night.
 */
export function nightSpan(date: string, longitude: number, utcOffsetHours?: number): TimeSpan {
  const day = parseTime(date.slice(0, 10));
  const offset = utcOffsetHours ?? Math.round(longitude / 15);
  const start = day + (12 - offset) * 3600000;
  return { start, end: start + 86400000 };
}

/** Times from `start` to `end` inclusive at `stepMinutes` (Unix ms UTC). */
export function timeGrid(span: TimeSpan, stepMinutes = 1): Float64Array {
  if (!(stepMinutes > 0)) throw new PlanError("INVALID_ARGUMENT", `step ${stepMinutes} min must be positive`);
  if (!(span.end >= span.start)) throw new PlanError("INVALID_ARGUMENT", "time span ends before it starts");
  const step = stepMinutes * 60000;
  const n = Math.floor((span.end - span.start) / step + 1e-9) + 1;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = span.start + k * step;
  return out;
}
