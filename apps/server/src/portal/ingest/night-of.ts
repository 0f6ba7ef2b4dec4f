/**
 * The observing night of an instant at a site: the local date on which the night begins, nights
 * running from local noon to local noon in the site's IANA time zone.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The local wall-clock time of `instant` in `timeZone`, as milliseconds of a UTC date with the same
 * fields (seconds resolution). Throws a RangeError for a zone the runtime does not know.
 */
export function wallClockMs(instant: Date, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** `YYYY-MM-DD` of the night containing `instant` in `timeZone` (local noon to noon). */
export function nightOf(instant: Date, timeZone: string): string {
  // Wall-clock arithmetic: the night is the local date of (local time − 12 h).
  return new Date(wallClockMs(instant, timeZone) - 12 * 3600_000).toISOString().slice(0, 10);
}
