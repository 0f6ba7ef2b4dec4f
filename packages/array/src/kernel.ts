/**
 * Compiles an element-wise {@link Expr} over broadcast inputs into one loop (a fused kernel) and
 * runs it. Compiled kernels are cached by their source.
 */
import { allocate, type DType, dtypeKind, isBigIntDType, type Storage, slotsPerElement } from "./dtype.js";
import { ArrayError } from "./errors.js";
import { type Expr, exprSource, PRELUDE } from "./expression.js";
import { NDArray, sizeOf } from "./ndarray.js";

type KernelFn = (
  out: Storage,
  ins: Storage[],
  offs: number[],
  strides: number[][],
  shape: number[],
  fail: (i: number, v: number) => never,
  lo: number,
  hi: number,
) => void;

const cache = new Map<string, KernelFn>();

function compile(
  expr: Expr,
  bigIn: readonly boolean[],
  outMode: "float" | "bool" | "int" | "bigint",
): KernelFn {
  const body = exprSource(expr);
  const key = `${body}|${bigIn.join(",")}|${outMode}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const m = bigIn.length;
  const ids = [...Array(m).keys()];
  const read = (k: number, p: string) => (bigIn[k] ? `Number(I${k}[${p}])` : `I${k}[${p}]`);
  const store =
    outMode === "float"
      ? "out[i] = v;"
      : outMode === "bool"
        ? "out[i] = v ? 1 : 0;"
        : outMode === "int"
          ? "if (!(v >= lo && v <= hi) || v !== Math.trunc(v)) fail(i, v); out[i] = v;"
          : "if (!(v >= -9007199254740992 && v <= 9007199254740992) || v !== Math.trunc(v)) fail(i, v); out[i] = BigInt(v);";
  const src = `${PRELUDE}
return function kernel(out, ins, offs, strides, shape, fail, lo, hi) {
  ${ids.map((k) => `const I${k} = ins[${k}]; const S${k} = strides[${k}];`).join("\n  ")}
  const nd = shape.length;
  let n = 1; for (let d = 0; d < nd; d++) n *= shape[d];
  if (n === 0) return;
  const inner = nd === 0 ? 1 : shape[nd - 1];
  ${ids.map((k) => `const t${k} = nd === 0 ? 0 : S${k}[nd - 1];`).join(" ")}
  const flat = (${ids.map((k) => `isC(S${k}, shape)`).join(" && ") || "true"});
  if (flat) {
    ${ids.map((k) => `const o${k} = offs[${k}];`).join(" ")}
    for (let i = 0; i < n; i++) {
      ${ids.map((k) => `const x${k} = ${read(k, `o${k} + i`)};`).join(" ")}
      const v = ${body};
      ${store}
    }
    return;
  }
  const idx = new Array(nd).fill(0);
  ${ids.map((k) => `let b${k} = offs[${k}];`).join(" ")}
  for (let i0 = 0; i0 < n; i0 += inner) {
    for (let j = 0; j < inner; j++) {
      const i = i0 + j;
      ${ids.map((k) => `const x${k} = ${read(k, `b${k} + j * t${k}`)};`).join(" ")}
      const v = ${body};
      ${store}
    }
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      ${ids.map((k) => `b${k} += S${k}[d];`).join(" ")}
      if (idx[d] < shape[d]) break;
      ${ids.map((k) => `b${k} -= idx[d] * S${k}[d];`).join(" ")}
      idx[d] = 0;
    }
  }
};
function isC(s, shape) {
  let want = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && s[d] !== want) return false;
    want *= shape[d];
  }
  return true;
}`;
  const fn = new Function(src)() as KernelFn;
  cache.set(key, fn);
  return fn;
}

/** numpy broadcasting of several shapes (SHAPE_MISMATCH when they do not broadcast). */
export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let k = 0; k < s.length; k++) {
      const d = s[s.length - 1 - k] as number;
      const at = nd - 1 - k;
      const cur = out[at] as number;
      if (d === cur || d === 1) continue;
      if (cur === 1) out[at] = d;
      else
        throw new ArrayError(
          "SHAPE_MISMATCH",
          `shapes ${shapes.map((x) => `[${x.join(", ")}]`).join(" and ")} do not broadcast`,
        );
    }
  }
  return out;
}

/**
 * Evaluate `expr` over `inputs` (broadcast together) into a new C-contiguous array of `dtype`, in
 * one pass. Integer results are checked: a value out of the dtype's range raises DTYPE_OVERFLOW.
 */
export function evaluate(expr: Expr, inputs: readonly NDArray[], dtype: DType, name?: string): NDArray {
  if (inputs.some((a) => slotsPerElement(a.dtype) === 2) || slotsPerElement(dtype) === 2)
    throw new ArrayError("DTYPE_UNSUPPORTED", "complex arrays go through evaluateComplex");
  const shape = broadcastShapes(inputs.map((a) => a.shape));
  const views = inputs.map((a) => a.broadcastTo(shape));
  const kind = dtypeKind(dtype);
  const mode = kind === "f" ? "float" : kind === "b" ? "bool" : isBigIntDType(dtype) ? "bigint" : "int";
  const fn = compile(
    expr,
    views.map((v) => isBigIntDType(v.dtype)),
    mode,
  );
  const out = new NDArray(dtype, shape, allocate(dtype, sizeOf(shape)));
  const lo = kind === "i" ? -(2 ** (8 * bytes(dtype) - 1)) : 0;
  const hi = kind === "i" ? 2 ** (8 * bytes(dtype) - 1) - 1 : 2 ** (8 * bytes(dtype)) - 1;
  const fail = (i: number, v: number): never => {
    throw new ArrayError(
      "DTYPE_OVERFLOW",
      `${name ? `${name}: ` : ""}result ${v} at flat index ${i} does not fit ${dtype}${mode === "bigint" ? " (int64 arithmetic is exact to 2^53)" : ""}`,
      name === undefined ? {} : { array: name },
    );
  };
  fn(
    out.data,
    views.map((v) => v.data),
    views.map((v) => v.offset),
    views.map((v) => [...v.strides]),
    shape,
    fail,
    lo,
    hi,
  );
  return out;
}

function bytes(dtype: DType): number {
  return (
    { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8 }[dtype as "int8"] ?? 8
  );
}
