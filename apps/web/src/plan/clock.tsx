/**
 * Which clock the planner shows times in: UTC, or the site's local time (the zone offset the
 * server used for the night, else longitude/15). Components read it with {@link useClock}.
 */
import { createContext, useContext } from "react";
import { hhmm, hhmmss } from "./chart-scale.js";

export interface Clock {
  /** Added to UTC, milliseconds. */
  readonly offsetMs: number;
  /** "UTC" or e.g. "UTC−4". */
  readonly label: string;
}

export const UTC_CLOCK: Clock = { offsetMs: 0, label: "UTC" };

/** A clock `hours` east of UTC. */
export function offsetClock(hours: number): Clock {
  if (hours === 0) return UTC_CLOCK;
  const h = Math.abs(hours);
  const text = Number.isInteger(h)
    ? String(h)
    : `${Math.floor(h)}:${String(Math.round((h % 1) * 60)).padStart(2, "0")}`;
  return { offsetMs: hours * 3600000, label: `UTC${hours < 0 ? "−" : "+"}${text}` };
}

export const ClockContext = createContext<Clock>(UTC_CLOCK);

/** Time formatters on the current clock. */
export function useClock(): Clock & {
  hm(t: string | number | null | undefined): string;
  hms(t: string | number | null | undefined): string;
} {
  const c = useContext(ClockContext);
  return { ...c, hm: (t) => hhmm(t, c.offsetMs), hms: (t) => hhmmss(t, c.offsetMs) };
}
