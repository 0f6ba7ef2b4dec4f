/** How the UI writes times and durations. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** An ISO 8601 time as a local date and time, or `fallback` when absent or unreadable. */
export function formatDateTime(iso: string | null, fallback = "—"): string {
  if (iso === null) return fallback;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? fallback : dateTime.format(t);
}

/** An ISO 8601 time as a local date. */
export function formatDate(iso: string | null, fallback = "—"): string {
  if (iso === null) return fallback;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? fallback : dateOnly.format(t);
}

/** A duration in seconds in its two largest units, e.g. `3 d 4 h`, `5 h 12 min`, `15 min`, `42 s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const pair = (a: number, unitA: string, b: number, unitB: string) =>
    b === 0 ? `${a} ${unitA}` : `${a} ${unitA} ${b} ${unitB}`;
  if (d > 0) return pair(d, "d", h, "h");
  if (h > 0) return pair(h, "h", m, "min");
  if (m > 0) return pair(m, "min", s % 60, "s");
  return `${s} s`;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** An ISO 8601 time relative to `now` ("5 minutes ago") within a month, else as a date. */
export function formatRelative(iso: string | null, now: number, fallback = "—"): string {
  if (iso === null) return fallback;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return fallback;
  const seconds = Math.round((t - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3_600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relative.format(Math.round(seconds / 3_600), "hour");
  if (abs < 30 * 86_400) return relative.format(Math.round(seconds / 86_400), "day");
  return dateOnly.format(t);
}
