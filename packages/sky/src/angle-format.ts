/** Formatting of angles as sexagesimal text and angle normalisation. */
import { type Degrees, degrees } from "./units.js";

/** Separator style for {@link formatSexagesimal}. */
export type SexagesimalSeparators =
  /** `12:34:42.50` */
  | "colon"
  /** `12 34 42.50` */
  | "space"
  /** `12h34m42.50s` or `12d34m42.50s` */
  | "letters"
  /** `12°34′42.50″` (hours: `12ʰ34ᵐ42.50ˢ`) */
  | "symbols"
  /** Explicit separators after the first, second and third field. */
  | readonly [string, string, string];

/** Options of {@link formatSexagesimal}. */
export interface FormatSexagesimalOptions {
  /** Write the angle in hours (`"hour"`) or degrees (`"deg"`, the default). */
  unit?: "hour" | "deg";
  /** Decimal places of the last field (default 2 for hours, 1 for degrees). */
  precision?: number;
  /** Separators (default `"colon"`). */
  separators?: SexagesimalSeparators;
  /** Always print a sign (`+`/`-`), as for declinations (default: only `-`). */
  alwaysSign?: boolean;
  /** Zero-pad the first field to this width (default 2; 3 is usual for longitudes in degrees). */
  pad?: number;
  /** Number of fields: 3 (default) or 2 (`12:34.7`). */
  fields?: 2 | 3;
}

/**
 * Format an angle given in degrees as sexagesimal text. Rounding carries correctly
 * (`59.9999″` → next minute), and the sign is kept when the first field is zero (`-00:30:00.0`).
 */
export function formatSexagesimal(angle: Degrees | number, options: FormatSexagesimalOptions = {}): string {
  const unit = options.unit ?? "deg";
  const precision = Math.max(0, Math.min(12, Math.floor(options.precision ?? (unit === "hour" ? 2 : 1))));
  const nFields = options.fields ?? 3;
  const pad = options.pad ?? 2;
  const seps = separatorsFor(options.separators ?? "colon", unit);
  const value = unit === "hour" ? angle / 15 : angle;
  const negative = value < 0 || Object.is(value, -0);
  const scale = 10 ** precision;
  const perFirst = (nFields === 3 ? 3600 : 60) * scale;
  // Work in integer units of the last field's least digit so carries are exact.
  const total = Math.round(Math.abs(value) * perFirst);
  const first = Math.floor(total / perFirst);
  let rest = total - first * perFirst;
  const parts: string[] = [String(first).padStart(pad, "0")];
  if (nFields === 3) {
    const minutes = Math.floor(rest / (60 * scale));
    rest -= minutes * 60 * scale;
    parts.push(String(minutes).padStart(2, "0"));
  }
  const whole = Math.floor(rest / scale);
  const frac = rest - whole * scale;
  parts.push(
    String(whole).padStart(2, "0") + (precision > 0 ? `.${String(frac).padStart(precision, "0")}` : ""),
  );
  const sign = negative ? "-" : options.alwaysSign ? "+" : "";
  const after: readonly string[] = nFields === 3 ? seps : [seps[0], seps[2]];
  let out = sign;
  for (let n = 0; n < parts.length; n++) out += `${parts[n]}${after[n] ?? ""}`;
  return out;
}

function separatorsFor(
  style: SexagesimalSeparators,
  unit: "hour" | "deg",
): readonly [string, string, string] {
  if (typeof style !== "string") return style;
  switch (style) {
    case "colon":
      return [":", ":", ""];
    case "space":
      return [" ", " ", ""];
    case "letters":
      return unit === "hour" ? ["h", "m", "s"] : ["d", "m", "s"];
    case "symbols":
      return unit === "hour" ? ["ʰ", "ᵐ", "ˢ"] : ["°", "′", "″"];
  }
}

/** Wrap an angle into [0°, 360°). */
export function wrap360(angle: Degrees | number): Degrees {
  const r = angle % 360;
  const w = r < 0 ? r + 360 : r;
  return degrees(w === 360 ? 0 : w + 0);
}

/** Wrap an angle into [−180°, 180°). */
export function wrap180(angle: Degrees | number): Degrees {
  const w = wrap360(angle + 180) - 180;
  return degrees(w);
}
