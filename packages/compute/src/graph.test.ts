import { describe, expect, it } from "vitest";
import { ComputeError, isComputeError } from "./errors.js";
import { dependencies, findCycle, type Graph, ref, validateGraph } from "./graph.js";
import { task } from "./kernel.js";
import { noop } from "./kernels.js";

function thrown(f: () => void): ComputeError {
  try {
    f();
  } catch (e) {
    if (e instanceof ComputeError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

describe("graph validation", () => {
  it("names a task on a cycle and the cycle", () => {
    const g: Graph = { a: task(noop, [ref("c")]), b: task(noop, [ref("a")]), c: task(noop, [ref("b")]) };
    const e = thrown(() => validateGraph(g, ["c"]));
    expect(e.code).toBe("CYCLE");
    expect(e.cycle).toEqual(["a", "c", "b", "a"]);
    expect(e.task).toBe("a");
    expect(e.message).toBe('task "a" is on a dependency cycle: "a" -> "c" -> "b" -> "a"');
  });

  it("finds a self-loop", () => {
    expect(findCycle({ s: task(noop, [ref("s")]) })).toEqual(["s", "s"]);
    expect(findCycle({ s: task(noop), t: task(noop, [ref("s"), ref("s")]) })).toBeNull();
  });

  it("names the task with a missing dependency and its inputs", () => {
    const g: Graph = { a: task(noop), b: task(noop, [ref("a"), 3, ref("zz")]) };
    const e = thrown(() => validateGraph(g, ["b"]));
    expect(e.code).toBe("MISSING_DEPENDENCY");
    expect(e.task).toBe("b");
    expect(e.inputs).toEqual(["a", "zz"]);
    expect(e.message).toBe('task "b" depends on "zz", which is not in the graph');
  });

  it("rejects unknown requested keys and malformed kernel references", () => {
    expect(thrown(() => validateGraph({ a: task(noop) }, ["b"])).code).toBe("UNKNOWN_KEY");
    const bad = { a: { kernel: { module: 3 } } } as unknown as Graph;
    const e = thrown(() => validateGraph(bad, ["a"]));
    expect(isComputeError(e, "INVALID_TASK")).toBe(true);
    expect(e.task).toBe("a");
  });

  it("lists dependencies once, in argument order", () => {
    expect(dependencies(task(noop, [ref("b"), 1, ref("a"), ref("b")]))).toEqual(["b", "a"]);
  });
});
