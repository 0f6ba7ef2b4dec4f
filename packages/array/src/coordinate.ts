/**
 * Coordinates: the labels along a dimension (numbers, strings or times). Times are stored as
 * milliseconds since 1970-01-01T00:00:00Z (UTC) in a float64 array and flagged `isTime`.
 */
import { ArrayError } from "./errors.js";
import { NDArray } from "./ndarray.js";

/** What may be given as coordinate values. */
export type CoordInput = Coordinate | NDArray | readonly number[] | readonly string[] | readonly Date[];

/** A label: a number, a string, or (for time coordinates) a Date or ISO 8601 text. */
export type Label = number | string | Date;

/** One coordinate variable along `dims` (a single dimension for index coordinates). */
export class Coordinate {
  readonly dims: readonly string[];
  readonly values: NDArray | readonly string[];
  readonly isTime: boolean;
  readonly attrs: Record<string, unknown>;

  constructor(
    dims: readonly string[],
    values: NDArray | readonly string[],
    options: { isTime?: boolean; attrs?: Record<string, unknown> } = {},
  ) {
    this.dims = [...dims];
    this.values = values;
    this.isTime = options.isTime ?? false;
    this.attrs = options.attrs ?? {};
  }

  /** Build from user input along `dim`. */
  static from(dim: string, input: CoordInput): Coordinate {
    if (input instanceof Coordinate) return input;
    if (input instanceof NDArray) return new Coordinate([dim], input);
    const list = input as readonly unknown[];
    if (list.length > 0 && list.every((v) => v instanceof Date))
      return new Coordinate(
        [dim],
        NDArray.from(
          (list as Date[]).map((d) => d.getTime()),
          { dtype: "float64" },
        ),
        { isTime: true },
      );
    if (list.every((v) => typeof v === "string")) return new Coordinate([dim], [...(list as string[])]);
    return new Coordinate(
      [dim],
      NDArray.from(list as number[], { dtype: list.every((v) => Number.isInteger(v)) ? "int64" : "float64" }),
    );
  }

  /** Time coordinate from epoch milliseconds or Dates. */
  static time(dim: string, times: readonly (number | Date)[]): Coordinate {
    return new Coordinate(
      [dim],
      NDArray.from(
        times.map((t) => (typeof t === "number" ? t : t.getTime())),
        { dtype: "float64" },
      ),
      { isTime: true },
    );
  }

  get length(): number {
    return Array.isArray(this.values) ? this.values.length : (this.values as NDArray).size;
  }

  /** Label at position `i` (number or string; times as epoch ms). */
  label(i: number): number | string {
    if (Array.isArray(this.values)) return this.values[i] as string;
    return Number((this.values as NDArray).get(i));
  }

  /** All labels. */
  labels(): (number | string)[] {
    return Array.from({ length: this.length }, (_, i) => this.label(i));
  }

  /** Labels as numbers (strings are not numbers: INVALID_ARGUMENT). */
  numbers(): Float64Array {
    if (Array.isArray(this.values))
      throw new ArrayError("INVALID_ARGUMENT", "string coordinate has no numeric values");
    return (this.values as NDArray).toFloat64();
  }

  /** Normalise a user label to this coordinate's kind (times: Date or ISO text → epoch ms). */
  normalise(label: Label, dim: string): number | string {
    if (this.isTime) {
      if (label instanceof Date) return label.getTime();
      if (typeof label === "string") {
        const t = Date.parse(
          /[zZ]|[+-]\d\d:?\d\d$/.test(label) || !label.includes("T") ? label : `${label}Z`,
        );
        if (Number.isNaN(t))
          throw new ArrayError("INVALID_ARGUMENT", `"${label}" is not a time`, { dimension: dim });
        return t;
      }
      return label;
    }
    if (label instanceof Date)
      throw new ArrayError("INVALID_ARGUMENT", "Date label on a non-time coordinate", { dimension: dim });
    return label;
  }

  /** Positions whose labels fall in [start, stop] (inclusive, as pandas label slices). */
  sliceRange(start: Label | undefined, stop: Label | undefined, dim: string): number[] {
    const lo = start === undefined ? undefined : this.normalise(start, dim);
    const hi = stop === undefined ? undefined : this.normalise(stop, dim);
    const n = this.length;
    const labels = this.labels();
    const decreasing = n > 1 && (labels[0] as number) > (labels[n - 1] as number);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = labels[i] as number;
      const ok = decreasing
        ? (lo === undefined || v <= (lo as number)) && (hi === undefined || v >= (hi as number))
        : (lo === undefined || v >= (lo as number)) && (hi === undefined || v <= (hi as number));
      if (ok) out.push(i);
    }
    return out;
  }

  /** Position of `label`; with `nearest`, the closest label (first on ties, as pandas). */
  positionOf(label: Label, dim: string, method?: "nearest", tolerance?: number): number {
    const v = this.normalise(label, dim);
    const labels = this.labels();
    if (method === "nearest") {
      if (typeof v === "string")
        throw new ArrayError("INVALID_ARGUMENT", "nearest needs a numeric coordinate", { dimension: dim });
      let best = -1;
      let bestD = Infinity;
      for (let i = 0; i < labels.length; i++) {
        const d = Math.abs((labels[i] as number) - v);
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
      if (best < 0 || (tolerance !== undefined && bestD > tolerance))
        throw new ArrayError(
          "LABEL_NOT_FOUND",
          `no label within ${tolerance} of ${String(label)} on dimension "${dim}"`,
          { dimension: dim },
        );
      return best;
    }
    const i = labels.indexOf(v);
    if (i < 0)
      throw new ArrayError("LABEL_NOT_FOUND", `label ${String(label)} not in coordinate "${dim}"`, {
        dimension: dim,
      });
    return i;
  }

  /** Coordinate at `positions`. */
  take(positions: readonly number[]): Coordinate {
    const values = Array.isArray(this.values)
      ? positions.map((i) => (this.values as string[])[i] as string)
      : (this.values as NDArray).take(positions, 0);
    return new Coordinate(this.dims, values, { isTime: this.isTime, attrs: this.attrs });
  }

  /** True when both hold the same labels. */
  equals(other: Coordinate): boolean {
    if (this.length !== other.length) return false;
    for (let i = 0; i < this.length; i++) if (this.label(i) !== other.label(i)) return false;
    return true;
  }

  /** ISO 8601 text of a time label. */
  static iso(ms: number): string {
    return new Date(ms).toISOString();
  }
}
