/**
 * Element-wise expressions as plain data (JSON), so a chain of operations is one fused kernel:
 * the expression is compiled once to a single loop that reads each input once and writes the
 * output once, with no temporaries. Being data, an expression crosses to worker threads and to
 * remote workers unchanged.
 */

/** Unary functions (numpy ufunc names). */
export const UNARY = {
  neg: "(-A)",
  abs: "Math.abs(A)",
  sqrt: "Math.sqrt(A)",
  exp: "Math.exp(A)",
  expm1: "Math.expm1(A)",
  log: "Math.log(A)",
  log10: "Math.log10(A)",
  log2: "Math.log2(A)",
  log1p: "Math.log1p(A)",
  sin: "Math.sin(A)",
  cos: "Math.cos(A)",
  tan: "Math.tan(A)",
  arcsin: "Math.asin(A)",
  arccos: "Math.acos(A)",
  arctan: "Math.atan(A)",
  sinh: "Math.sinh(A)",
  cosh: "Math.cosh(A)",
  tanh: "Math.tanh(A)",
  floor: "Math.floor(A)",
  ceil: "Math.ceil(A)",
  trunc: "Math.trunc(A)",
  rint: "rint(A)",
  sign: "(A > 0 ? 1 : A < 0 ? -1 : A)",
  square: "((A) * (A))",
  isnan: "(A !== A ? 1 : 0)",
  isfinite: "(Number.isFinite(A) ? 1 : 0)",
  not: "(A ? 0 : 1)",
  deg2rad: "((A) * 0.017453292519943295)",
  rad2deg: "((A) * 57.29577951308232)",
} as const;

/** Binary functions (numpy ufunc names). */
export const BINARY = {
  add: "(A + B)",
  sub: "(A - B)",
  mul: "(A * B)",
  div: "(A / B)",
  floordiv: "Math.floor(A / B)",
  mod: "pymod(A, B)",
  pow: "Math.pow(A, B)",
  arctan2: "Math.atan2(A, B)",
  hypot: "Math.hypot(A, B)",
  minimum: "minimum(A, B)",
  maximum: "maximum(A, B)",
  fmin: "fmin(A, B)",
  fmax: "fmax(A, B)",
  eq: "(A === B ? 1 : 0)",
  ne: "(A !== B ? 1 : 0)",
  lt: "(A < B ? 1 : 0)",
  le: "(A <= B ? 1 : 0)",
  gt: "(A > B ? 1 : 0)",
  ge: "(A >= B ? 1 : 0)",
  and: "(A && B ? 1 : 0)",
  or: "(A || B ? 1 : 0)",
  xor: "((A ? 1 : 0) !== (B ? 1 : 0) ? 1 : 0)",
} as const;

export type UnaryOp = keyof typeof UNARY;
export type BinaryOp = keyof typeof BINARY;

/** An element-wise expression over numbered inputs. */
export type Expr =
  | { op: "input"; index: number }
  | { op: "const"; value: number }
  | { op: "unary"; fn: UnaryOp; arg: Expr }
  | { op: "binary"; fn: BinaryOp; a: Expr; b: Expr }
  | { op: "where"; cond: Expr; a: Expr; b: Expr };

/** Comparisons and logic produce bool. */
export const BOOL_RESULT: ReadonlySet<string> = new Set([
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "and",
  "or",
  "xor",
  "isnan",
  "isfinite",
  "not",
]);

/** Ops whose result is float even for integer inputs (numpy true division and transcendental ufuncs). */
export const FLOAT_RESULT: ReadonlySet<string> = new Set([
  "div",
  "sqrt",
  "exp",
  "expm1",
  "log",
  "log10",
  "log2",
  "log1p",
  "sin",
  "cos",
  "tan",
  "arcsin",
  "arccos",
  "arctan",
  "sinh",
  "cosh",
  "tanh",
  "arctan2",
  "hypot",
  "deg2rad",
  "rad2deg",
]);

/** JavaScript source of an expression; inputs are `x0, x1, …`. */
export function exprSource(e: Expr): string {
  switch (e.op) {
    case "input":
      return `x${e.index}`;
    case "const":
      return Number.isNaN(e.value)
        ? "NaN"
        : e.value === Infinity
          ? "Infinity"
          : e.value === -Infinity
            ? "-Infinity"
            : `(${e.value})`;
    case "unary":
      return UNARY[e.fn].replace(/A/g, exprSource(e.arg));
    case "binary": {
      const a = exprSource(e.a);
      const b = exprSource(e.b);
      return BINARY[e.fn].replace(/\bA\b/g, () => a).replace(/\bB\b/g, () => b);
    }
    case "where":
      return `(${exprSource(e.cond)} ? ${exprSource(e.a)} : ${exprSource(e.b)})`;
  }
}

/** Rewrite input numbers (used when two expressions are merged into one kernel). */
export function remapInputs(e: Expr, map: (i: number) => number): Expr {
  switch (e.op) {
    case "input":
      return { op: "input", index: map(e.index) };
    case "const":
      return e;
    case "unary":
      return { ...e, arg: remapInputs(e.arg, map) };
    case "binary":
      return { ...e, a: remapInputs(e.a, map), b: remapInputs(e.b, map) };
    case "where":
      return {
        op: "where",
        cond: remapInputs(e.cond, map),
        a: remapInputs(e.a, map),
        b: remapInputs(e.b, map),
      };
  }
}

export const PRELUDE = `
const pymod = (a, b) => { const r = a % b; return r !== 0 && (r < 0) !== (b < 0) ? r + b : r; };
const minimum = (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b);
const maximum = (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b);
const fmin = (a, b) => (a !== a ? b : b !== b ? a : a < b ? a : b);
const fmax = (a, b) => (a !== a ? b : b !== b ? a : a > b ? a : b);
const rint = (a) => { const f = Math.floor(a); const d = a - f; return d > 0.5 ? f + 1 : d < 0.5 ? f : (f % 2 === 0 ? f : f + 1); };
`;
