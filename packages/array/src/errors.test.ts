// Bad input gives tagged errors that say which array, which dimension, which value.
import { describe, expect, it } from "vitest";
import { concat, DataArray } from "./data-array.js";
import { Dataset, merge } from "./dataset.js";
import { type ArrayError, isArrayError } from "./errors.js";
import { NDArray } from "./ndarray.js";

function caught(fn: () => unknown): ArrayError {
  try {
    fn();
  } catch (err) {
    if (isArrayError(err)) return err;
    throw err;
  }
  throw new Error("no error thrown");
}

const t = new DataArray(NDArray.zeros([3, 4]), ["y", "x"], { name: "t", coords: { x: [0, 1, 2, 3] } });
const u = new DataArray(NDArray.zeros([3, 5]), ["y", "x"], { name: "u" });

describe("tagged errors", () => {
  it("shape mismatch", () => {
    const e = caught(() => NDArray.from([1, 2, 3], { shape: [2, 2] }));
    expect(e.code).toBe("SHAPE_MISMATCH");
    expect(caught(() => NDArray.from([[1, 2], [3]])).code).toBe("SHAPE_MISMATCH");
    expect(caught(() => NDArray.zeros([2, 3]).reshape([4, 2])).message).toMatch(
      /cannot reshape \[2,3\] \(6 elements\) to \[4,2\]/,
    );
  });

  it("dimension length mismatch names the dimension and the array", () => {
    const e = caught(() => t.add(u));
    expect(e).toMatchObject({ code: "DIMENSION_MISMATCH", dimension: "x", array: "u" });
    expect(e.message).toMatch(/dimension "x" has length 4 in one operand and 5 in "u"/);
    expect(caught(() => new DataArray(NDArray.zeros([2, 2]), ["y"])).code).toBe("DIMENSION_MISMATCH");
    expect(caught(() => new Dataset({ t, u })).message).toMatch(
      /dimension "x" has length 4 in one variable and 5 in "u"/,
    );
    expect(caught(() => concat([t, u], "y"))).toMatchObject({ code: "DIMENSION_MISMATCH", dimension: "x" });
    expect(caught(() => t.coarsen({ x: 3 }).mean())).toMatchObject({
      code: "DIMENSION_MISMATCH",
      dimension: "x",
      array: "t",
    });
  });

  it("unknown dimension names", () => {
    for (const fn of [
      () => t.mean("band"),
      () => t.isel({ band: 0 }),
      () => t.sel({ band: 1 }),
      () => t.transpose("x", "band"),
      () => t.rolling({ band: 2 }),
    ]) {
      const e = caught(fn);
      expect(e.code).toBe("UNKNOWN_DIMENSION");
      expect(e.dimension).toBe("band");
    }
    expect(caught(() => new Dataset({ t }).mean("band"))).toMatchObject({
      code: "UNKNOWN_DIMENSION",
      dimension: "band",
    });
    expect(caught(() => new Dataset({ t }).get("v"))).toMatchObject({ code: "UNKNOWN_VARIABLE", array: "v" });
  });

  it("labels and indices out of range", () => {
    expect(caught(() => t.sel({ x: 7 }))).toMatchObject({ code: "LABEL_NOT_FOUND", dimension: "x" });
    expect(caught(() => t.sel({ x: 9 }, { method: "nearest", tolerance: 1 }))).toMatchObject({
      code: "LABEL_NOT_FOUND",
    });
    expect(caught(() => t.isel({ x: 4 }))).toMatchObject({
      code: "INDEX_OUT_OF_RANGE",
      dimension: "x",
      array: "t",
    });
    expect(caught(() => t.sel({ y: 1 }))).toMatchObject({ code: "UNKNOWN_VARIABLE", dimension: "y" });
  });

  it("dtype overflow: casts, construction and integer arithmetic", () => {
    expect(caught(() => NDArray.from([300], { dtype: "uint8" })).message).toMatch(
      /300 does not fit uint8 \[0, 255\]/,
    );
    expect(caught(() => NDArray.from([1.5], { dtype: "int32" })).code).toBe("DTYPE_OVERFLOW");
    const big = new DataArray(NDArray.from([30000, 2], { dtype: "int16" }), ["k"], { name: "counts" });
    const e = caught(() => big.mul(2));
    expect(e).toMatchObject({ code: "DTYPE_OVERFLOW", array: "counts" });
    expect(e.message).toMatch(/result 60000 at flat index 0 does not fit int16/);
    expect(caught(() => big.astype("int8"))).toMatchObject({ code: "DTYPE_OVERFLOW", array: "counts" });
    expect(caught(() => NDArray.from([2n ** 64n], { dtype: "uint64" })).code).toBe("DTYPE_OVERFLOW");
  });

  it("merge conflicts and unsupported complex reductions", () => {
    const a = new DataArray(NDArray.from([1, 2]), ["k"], { name: "a" });
    const b = new DataArray(NDArray.from([1, 3]), ["k"], { name: "a" });
    expect(caught(() => merge([a, b]))).toMatchObject({ code: "DIMENSION_MISMATCH", array: "a" });
    const c = new DataArray(NDArray.from([{ re: 1, im: 2 }]), ["k"]);
    expect(caught(() => c.max()).code).toBe("DTYPE_UNSUPPORTED");
  });
});
