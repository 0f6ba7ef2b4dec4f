/** Small helpers the planning charts share: linear scales, time ticks, colours and UTC labels. */

/** A linear map from [d0, d1] to [r0, r1]. */
export function linear(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (x) => r0 + (x - d0) * k;
}

/** Whole UTC hours between two times (Unix ms), every `stepHours`. */
export function hourTicks(start: number, end: number, stepHours = 1): number[] {
  const step = stepHours * 3600000;
  const out: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) out.push(t);
  return out;
}

/** Colours of targets, in order (Tableau 10, readable on white and in print). */
export const TARGET_COLOURS = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
] as const;

export function colourOf(index: number): string {
  return TARGET_COLOURS[index % TARGET_COLOURS.length] ?? "#4e79a7";
}

/** `HH:MM` of an ISO time or Unix ms, UTC shifted by `offsetMs` (local time); `—` for none. */
export function hhmm(t: string | number | null | undefined, offsetMs = 0): string {
  if (t === null || t === undefined) return "—";
  const d = new Date(new Date(t).getTime() + offsetMs);
  return Number.isNaN(d.getTime()) ? "—" : d.toISOString().slice(11, 16);
}

/** `HH:MM:SS`, UTC shifted by `offsetMs`. */
export function hhmmss(t: string | number | null | undefined, offsetMs = 0): string {
  if (t === null || t === undefined) return "—";
  const d = new Date(new Date(t).getTime() + offsetMs);
  return Number.isNaN(d.getTime()) ? "—" : d.toISOString().slice(11, 19);
}

/** Sky-shading classes by Sun altitude (degrees): day, civil, nautical, astronomical twilight, night. */
export function skyShade(sunAltitude: number): { name: string; fill: string } {
  if (sunAltitude > -0.8333) return { name: "day", fill: "#fffdf5" };
  if (sunAltitude > -6) return { name: "civil", fill: "#f1f3f9" };
  if (sunAltitude > -12) return { name: "nautical", fill: "#e6eaf4" };
  if (sunAltitude > -18) return { name: "astronomical", fill: "#d9dfee" };
  return { name: "night", fill: "#cdd5e9" };
}
