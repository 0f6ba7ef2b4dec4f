/** Element-wise arithmetic on complex64/complex128 arrays (element by element, no fusion). */
import { type Complex, type DType, slotsPerElement } from "./dtype.js";
import { ArrayError } from "./errors.js";
import { broadcastShapes } from "./kernel.js";
import { NDArray } from "./ndarray.js";

/** Complex binary ops. */
export type ComplexBinary = "add" | "sub" | "mul" | "div" | "eq" | "ne";
/** Complex unary ops; `abs`, `real`, `imag`, `angle` return the component float dtype. */
export type ComplexUnary = "neg" | "conj" | "abs" | "real" | "imag" | "angle" | "exp";

function read(a: NDArray, p: number): Complex {
  if (slotsPerElement(a.dtype) === 2) return { re: a.data[2 * p] as number, im: a.data[2 * p + 1] as number };
  return { re: Number(a.data[p]), im: 0 };
}

/** `a op b` with complex result (eq/ne give bool). */
export function complexBinary(fn: ComplexBinary, a: NDArray, b: NDArray, dtype: DType): NDArray {
  const shape = broadcastShapes([a.shape, b.shape]);
  const va = a.broadcastTo(shape);
  const vb = b.broadcastTo(shape);
  const outDtype = fn === "eq" || fn === "ne" ? "bool" : dtype;
  const out = NDArray.zeros(shape, outDtype);
  const pb: number[] = [];
  vb.forEachPosition((p) => {
    pb.push(p);
  });
  const d = out.data as Float64Array;
  va.forEachPosition((p, i) => {
    const x = read(va, p);
    const y = read(vb, pb[i] as number);
    let re: number;
    let im: number;
    switch (fn) {
      case "add":
        re = x.re + y.re;
        im = x.im + y.im;
        break;
      case "sub":
        re = x.re - y.re;
        im = x.im - y.im;
        break;
      case "mul":
        re = x.re * y.re - x.im * y.im;
        im = x.re * y.im + x.im * y.re;
        break;
      case "div": {
        const den = y.re * y.re + y.im * y.im;
        re = (x.re * y.re + x.im * y.im) / den;
        im = (x.im * y.re - x.re * y.im) / den;
        break;
      }
      case "eq":
        d[i] = x.re === y.re && x.im === y.im ? 1 : 0;
        return;
      case "ne":
        d[i] = x.re !== y.re || x.im !== y.im ? 1 : 0;
        return;
    }
    d[2 * i] = re;
    d[2 * i + 1] = im;
  });
  return out;
}

/** Unary op on a complex array. */
export function complexUnary(fn: ComplexUnary, a: NDArray): NDArray {
  if (slotsPerElement(a.dtype) !== 2)
    throw new ArrayError("DTYPE_UNSUPPORTED", `${fn} expects a complex array, got ${a.dtype}`);
  const comp: DType = a.dtype === "complex64" ? "float32" : "float64";
  const toReal = fn === "abs" || fn === "real" || fn === "imag" || fn === "angle";
  const out = NDArray.zeros(a.shape, toReal ? comp : a.dtype);
  const d = out.data as Float64Array;
  a.forEachPosition((p, i) => {
    const { re, im } = read(a, p);
    switch (fn) {
      case "abs":
        d[i] = Math.hypot(re, im);
        break;
      case "real":
        d[i] = re;
        break;
      case "imag":
        d[i] = im;
        break;
      case "angle":
        d[i] = Math.atan2(im, re);
        break;
      case "neg":
        d[2 * i] = -re;
        d[2 * i + 1] = -im;
        break;
      case "conj":
        d[2 * i] = re;
        d[2 * i + 1] = -im;
        break;
      case "exp": {
        const e = Math.exp(re);
        d[2 * i] = e * Math.cos(im);
        d[2 * i + 1] = e * Math.sin(im);
        break;
      }
    }
  });
  return out;
}
