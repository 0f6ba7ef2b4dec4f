import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { repoFixture } from "../../../../test/paths.js";
import type { Chunk } from "../chunk.js";
import { type Graph, ref } from "../graph.js";
import { task } from "../kernel.js";
import { add, combineMoments, fill, moments, noop, scaleOffset, square } from "../kernels.js";
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

  it("onResult hands requested chunks over as they finish; taken ones are neither held nor returned", async () => {
    const n = 50_000;
    const g: Record<string, ReturnType<typeof task>> = {};
    for (let i = 0; i < 6; i++) g[`x${i}`] = task(fill, [], { dtype: "float32", shape: [n], seed: i + 1 });
    // x0 is requested and also an input of s: taking it must not free it before s ran
    g.s = task(scaleOffset, [ref("x0")], { a: 2, b: 0 });
    const keys = ["x0", "x1", "x2", "x3", "x4", "x5", "s"];
    const [plain] = (await compute(g, ["x0"])) as [Chunk];
    const copies = new Map<string, Float32Array>();
    const out = await compute(g, keys, {
      onResult: (key, value) => {
        if (key === "s") return false;
        copies.set(key, Float32Array.from((value as Chunk).data as Float32Array));
        return true;
      },
    });
    expect(out.slice(0, 6)).toEqual(Array(6).fill(undefined));
    expect([...copies.keys()].sort()).toEqual(keys.slice(0, 6));
    expect(
      Buffer.from((copies.get("x0") as Float32Array).buffer).equals(Buffer.from(plain.data.buffer)),
    ).toBe(true);
    const s = (out[6] as Chunk).data as Float32Array;
    for (let i = 0; i < n; i += 997) expect(s[i]).toBe(Math.fround(2 * (plain.data[i] as number)));
  });

  it("a fused two-branch chain gives bit-identical chunks to the unfused graph", async () => {
    const n = 10_000; // not a multiple of the 4,096-element block
    const g = {
      x: task(fill, [], { dtype: "float32", shape: [n], seed: 3 }),
      y: task(fill, [], { dtype: "float32", shape: [n], seed: 4 }),
      sx: task(square, [ref("x")]),
      sy: task(scaleOffset, [ref("y")], { a: -3, b: 0.25 }),
      s: task(add, [ref("sx"), ref("sy")]),
      t: task(add, [ref("s"), 1.5]),
    };
    const [fused] = (await compute(g, ["t"])) as [Chunk];
    const [plain] = (await compute(g, ["t"], { optimize: false })) as [Chunk];
    expect(fused.shape).toEqual([n]);
    expect(fused.dtype).toBe("float32");
    expect(Buffer.from(fused.data.buffer).equals(Buffer.from(plain.data.buffer))).toBe(true);
  });
});
