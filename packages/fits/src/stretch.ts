/**
 * Stretches: monotonic maps of [0, 1] onto [0, 1] applied after the interval, with the
 * definitions of astropy.visualization (stretch.py): values are clipped to [0, 1] first.
 */
import { FitsError } from "./errors.js";
import { finiteValues } from "./image-stats.js";

/** A stretch by name, with its parameter where it has one. */
export type StretchSpec =
  | { kind: "linear"; slope?: number; intercept?: number }
  | { kind: "sqrt" }
  | { kind: "squared" }
  | { kind: "power"; a: number }
  | { kind: "powerdist"; a?: number }
  | { kind: "log"; a?: number }
  | { kind: "asinh"; a?: number }
  | { kind: "sinh"; a?: number }
  | { kind: "histeq"; data: ArrayLike<number> };

/** A compiled stretch: y = f(x) for x already clipped to [0, 1]. */
export type StretchFunction = (x: number) => number;

/** Names accepted by {@link parseStretch}. */
export const STRETCH_NAMES = [
  "linear",
  "sqrt",
  "squared",
  "power",
  "powerdist",
  "log",
  "asinh",
  "sinh",
  "histeq",
] as const;

/**
 * Parse "asinh", "asinh:0.05", "log:1000", "power:2", ... (histeq needs the data, given as
 * `data`). Throws FitsError INVALID_ARGUMENT for unknown names or bad parameters.
 */
export function parseStretch(text: string, data?: ArrayLike<number>): StretchSpec {
  const [name = "", arg] = text.trim().toLowerCase().split(":");
  const a = arg === undefined || arg === "" ? undefined : Number(arg);
  if (a !== undefined && !Number.isFinite(a)) throw badStretch(text);
  switch (name) {
    case "linear":
      return { kind: "linear", ...(a !== undefined ? { slope: a } : {}) };
    case "sqrt":
      return { kind: "sqrt" };
    case "squared":
      return { kind: "squared" };
    case "power":
      return { kind: "power", a: a ?? 2 };
    case "powerdist":
    case "log":
    case "asinh":
    case "sinh":
      return { kind: name, ...(a !== undefined ? { a } : {}) };
    case "histeq":
    case "histogram":
      if (data === undefined) throw new FitsError("INVALID_ARGUMENT", "histeq needs the image data");
      return { kind: "histeq", data };
    default:
      throw badStretch(text);
  }
}

function badStretch(text: string): FitsError {
  return new FitsError(
    "INVALID_ARGUMENT",
    `unknown stretch "${text}": use one of ${STRETCH_NAMES.join(", ")}`,
  );
}

/** Build the stretch function. */
export function makeStretch(spec: StretchSpec): StretchFunction {
  switch (spec.kind) {
    case "linear": {
      const m = spec.slope ?? 1;
      const c = spec.intercept ?? 0;
      return (x) => m * x + c;
    }
    case "sqrt":
      return Math.sqrt;
    case "squared":
      return (x) => x * x;
    case "power": {
      const a = spec.a;
      return (x) => x ** a;
    }
    case "powerdist": {
      // y = (a^x − 1)/(a − 1), astropy PowerDistStretch (default a = 1000).
      const a = spec.a ?? 1000;
      return (x) => (a ** x - 1) / (a - 1);
    }
    case "log": {
      // y = log(a x + 1)/log(a + 1), astropy LogStretch (default a = 1000).
      const a = spec.a ?? 1000;
      const d = Math.log(a + 1);
      return (x) => Math.log(a * x + 1) / d;
    }
    case "asinh": {
      // y = asinh(x/a)/asinh(1/a), astropy AsinhStretch (default a = 0.1).
      const a = spec.a ?? 0.1;
      const d = Math.asinh(1 / a);
      return (x) => Math.asinh(x / a) / d;
    }
    case "sinh": {
      // y = sinh(x/a)/sinh(1/a), astropy SinhStretch (default a = 1/3).
      const a = spec.a ?? 1 / 3;
      const d = Math.sinh(1 / a);
      return (x) => Math.sinh(x / a) / d;
    }
    case "histeq":
      return histogramEqualization(spec.data);
  }
}

/**
 * Histogram equalisation as astropy's HistEqStretch: the sorted finite data, rescaled to [0, 1],
 * against evenly spaced values; y = interp(x, data, values).
 */
function histogramEqualization(data: ArrayLike<number>): StretchFunction {
  const d = finiteValues(data);
  d.sort();
  const n = d.length;
  if (n === 0) return (x) => x;
  const lo = d[0] as number;
  const hi = d[n - 1] as number;
  if (data instanceof Float32Array) {
    // astropy normalises in the data's dtype: reproduce float32 rounding for float32 images.
    const span = Math.fround(hi - lo);
    for (let i = 0; i < n; i++) d[i] = Math.fround(Math.fround((d[i] as number) - lo) / span);
  } else {
    const span = hi - lo;
    for (let i = 0; i < n; i++) d[i] = ((d[i] as number) - lo) / span;
  }
  return (x) => {
    if (!(x > (d[0] as number))) return 0;
    if (x >= (d[n - 1] as number)) return 1;
    // Last index with d[i] <= x (numpy.interp picks the right-most interval).
    let a = 0;
    let b = n - 1;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if ((d[m] as number) <= x) a = m;
      else b = m;
    }
    const xa = d[a] as number;
    const xb = d[b] as number;
    const ya = a / (n - 1);
    const yb = b / (n - 1);
    return xb === xa ? ya : ya + ((yb - ya) * (x - xa)) / (xb - xa);
  };
}

/** Apply interval and stretch: clip((v − vmin)/(vmax − vmin), 0, 1), then the stretch, clipped again. */
export function normalize(v: number, vmin: number, vmax: number, stretch: StretchFunction): number {
  if (!Number.isFinite(v)) return Number.NaN;
  let x = vmax === vmin ? 0 : (v - vmin) / (vmax - vmin);
  if (x < 0) x = 0;
  else if (x > 1) x = 1;
  let y = stretch(x);
  if (y < 0) y = 0;
  else if (y > 1) y = 1;
  return y;
}
