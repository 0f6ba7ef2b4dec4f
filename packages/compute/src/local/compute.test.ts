import { describe, expect, it } from "vitest";
import { type Graph, ref, task } from "../index.js";
import { combineMoments, fill, moments, noop, scaleOffset, square } from "../kernels.js";
import { compute } from "./compute.js";

describe("compute on worker threads", () => {
  it("runs a chain of generated chunks to combined moments, with progress", async () => {
    const g: Record<string, ReturnType<typeof task>> = {};
    const parts = [];
    for (let i = 0; i < 12; i++) {
      g[`x${i}`] = task(fill, [], { dtype: "float32", shape: [1000], seed: i });
      g[`y${i}`] = task(scaleOffset, [ref(`x${i}`)], { a: 2, b: 1 });
      g[`z${i}`] = task(square, [ref(`y${i}`)]);
      g[`m${i}`] = task(moments, [ref(`z${i}`)]);
      parts.push(ref(`m${i}`));
    }
    g.all = task(combineMoments, parts);
    const seen: number[] = [];
    const [fused] = await compute(g, ["all"], { onProgress: (p) => seen.push(p.done) });
    const [plain] = await compute(g, ["all"], { optimize: false });
    // Same kernels, fused or not: the same numbers up to float32 rounding of intermediates.
    const a = fused as { count: number; mean: number; m2: number };
    const b = plain as { count: number; mean: number; m2: number };
    expect(a.count).toBe(12_000);
    expect(a.mean).toBeCloseTo(b.mean, 5);
    expect(a.m2 / b.m2).toBeCloseTo(1, 6);
    // 12 fill + 12 fused + 12 moments + tree (2 inner + root) = 39 tasks.
    expect(seen.at(-1)).toBe(39);
  });

  it("runs many no-op tasks", async () => {
    const g: Graph = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`t${i}`, task(noop)]));
    const out = await compute(g, Object.keys(g));
    expect(out).toEqual(Array(500).fill(null));
  });
});
