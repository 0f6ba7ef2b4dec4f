import { describe, expect, it } from "vitest";
import { type Graph, ref } from "../graph.js";
import { task } from "../kernel.js";
import { add, BUILTIN_KERNELS, fill, moments, noop, scaleOffset, square, sum } from "../kernels.js";
import { cull } from "./cull.js";
import { fuseElementwise } from "./fuse-elementwise.js";
import { optimizeGraph } from "./optimize-graph.js";
import { treeReduce } from "./tree-reduce.js";

const src = task(fill, [], { dtype: "float32", shape: [8], seed: 1 });

describe("graph optimisation", () => {
  it("culls tasks the requested keys do not need", () => {
    const g: Graph = { a: task(noop), b: task(noop, [ref("a")]), c: task(noop), d: task(noop, [ref("c")]) };
    expect(Object.keys(cull(g, ["b"])).sort()).toEqual(["a", "b"]);
  });

  it("fuses an element-wise chain into one single-pass task", () => {
    const g: Graph = {
      x: src,
      y: task(scaleOffset, [ref("x")], { a: 2, b: 1 }),
      z: task(square, [ref("y")]),
      w: task(add, [ref("z"), 0.5]),
      m: task(moments, [ref("w")]),
    };
    const f = fuseElementwise(g, ["m"]);
    expect(Object.keys(f).sort()).toEqual(["m", "w", "x"]);
    expect(f.w).toEqual({
      kernel: { module: BUILTIN_KERNELS, name: "fused", kind: "general" },
      args: [ref("x")],
      params: {
        stages: [
          { kernel: scaleOffset.ref, args: [{ input: 0 }], params: { a: 2, b: 1 } },
          { kernel: square.ref, args: [{ stage: 0 }] },
          { kernel: add.ref, args: [{ stage: 1 }, 0.5] },
        ],
      },
    });
  });

  it("fuses a two-branch element-wise tree with inputs numbered left to right", () => {
    const g: Graph = {
      x: src,
      y: src,
      sx: task(square, [ref("x")]),
      sy: task(square, [ref("y")]),
      s: task(add, [ref("sx"), ref("sy")]),
    };
    const f = fuseElementwise(g, ["s"]);
    expect(Object.keys(f).sort()).toEqual(["s", "x", "y"]);
    expect(f.s?.args).toEqual([ref("x"), ref("y")]);
    expect((f.s!.params as { stages: unknown[] }).stages).toEqual([
      { kernel: square.ref, args: [{ input: 0 }] },
      { kernel: square.ref, args: [{ input: 1 }] },
      { kernel: add.ref, args: [{ stage: 0 }, { stage: 1 }] },
    ]);
  });

  it("keeps requested and shared intermediates", () => {
    const g: Graph = {
      x: src,
      y: task(square, [ref("x")]),
      z: task(square, [ref("y")]),
      u: task(add, [ref("y"), 1]),
    };
    const f = fuseElementwise(g, ["z", "u"]);
    expect(f).toEqual(g); // y is used twice: nothing fuses
    const h = fuseElementwise({ x: src, y: task(square, [ref("x")]), z: task(square, [ref("y")]) }, [
      "y",
      "z",
    ]);
    expect(Object.keys(h).sort()).toEqual(["x", "y", "z"]);
    expect(h.z?.kernel.name).toBe("square");
  });

  it("splits wide combine tasks into trees", () => {
    const parts = Array.from({ length: 20 }, (_, i) => ref(`p${i}`));
    const g: Graph = {
      ...Object.fromEntries(parts.map((p) => [p.$ref, task(noop)])),
      total: task(sum, parts, undefined, { splitEvery: 4 }),
    };
    const t = treeReduce(g);
    expect(t.total?.args).toEqual([ref("total/tree-1-0"), ref("total/tree-1-1")]);
    expect(t["total/tree-1-0"]?.args).toEqual([0, 1, 2, 3].map((i) => ref(`total/tree-0-${i}`)));
    expect(t["total/tree-1-1"]?.args).toEqual([ref("total/tree-0-4")]);
    expect(t["total/tree-0-4"]?.args).toEqual(parts.slice(16));
    // 20 leaves, 5 nodes at level 0, 2 at level 1, the root.
    expect(Object.keys(optimizeGraph(g, ["total"])).length).toBe(20 + 5 + 2 + 1);
  });
});
