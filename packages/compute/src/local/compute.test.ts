import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { repoFixture } from "../../../../test/paths.js";
import { type Graph, ref, task } from "../index.js";
import { combineMoments, fill, moments, noop, scaleOffset, square } from "../kernels.js";
import { compute } from "./compute.js";

interface MomentsCase {
  seeds: number[];
  n: number;
  count: number;
  mean: number;
  m2: number;
}
const expected = JSON.parse(readFileSync(repoFixture("compute", "expected", "moments.json"), "utf8")) as {
  cases: Record<string, MomentsCase>;
};

describe("compute on worker threads", () => {
  it("runs a chain of generated chunks to combined moments that agree with numpy, with progress", async () => {
    const want = expected.cases.chain as MomentsCase;
    const g: Record<string, ReturnType<typeof task>> = {};
    const parts = [];
    for (const i of want.seeds) {
      g[`x${i}`] = task(fill, [], { dtype: "float32", shape: [want.n], seed: i });
      g[`y${i}`] = task(scaleOffset, [ref(`x${i}`)], { a: 2, b: 1 });
      g[`z${i}`] = task(square, [ref(`y${i}`)]);
      g[`m${i}`] = task(moments, [ref(`z${i}`)]);
      parts.push(ref(`m${i}`));
    }
    g.all = task(combineMoments, parts);
    const seen: number[] = [];
    const [fused] = await compute(g, ["all"], { onProgress: (p) => seen.push(p.done) });
    const [plain] = await compute(g, ["all"], { optimize: false });
    // Fused or not, every element is rounded to float32 at the same steps as in the numpy
    // oracle; only the float64 summation order differs: relative 1e-12.
    for (const r of [fused, plain] as MomentsCase[]) {
      expect(r.count).toBe(want.count);
      expect(Math.abs(r.mean - want.mean) / want.mean).toBeLessThan(1e-12);
      expect(Math.abs(r.m2 - want.m2) / want.m2).toBeLessThan(1e-12);
    }
    // 12 fill + 12 fused + 12 moments + tree (2 inner + root) = 39 tasks.
    expect(seen.at(-1)).toBe(39);
  });

  it("runs many no-op tasks", async () => {
    const g: Graph = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`t${i}`, task(noop)]));
    const out = await compute(g, Object.keys(g));
    expect(out).toEqual(Array(500).fill(null));
  });
});
