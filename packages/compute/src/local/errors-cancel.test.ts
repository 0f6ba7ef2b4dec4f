import { describe, expect, it } from "vitest";
import { ComputeError } from "../errors.js";
import { type Graph, ref } from "../graph.js";
import { task } from "../kernel.js";
import { fail, noop, sleep } from "../kernels.js";
import { compute } from "./compute.js";
import { WorkerPool } from "./worker-pool.js";

async function rejection(p: Promise<unknown>): Promise<ComputeError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ComputeError) return e;
    throw e;
  }
  throw new Error("did not reject");
}

describe("compute: errors and cancellation", () => {
  it("names the failing task, its kernel and its inputs, with the kernel's error as cause", async () => {
    const g: Graph = {
      a: task(noop),
      b: task(noop),
      c: task(fail, [ref("a"), ref("b")], { message: "boom" }),
    };
    const e = await rejection(compute(g, ["c"]));
    expect(e.code).toBe("TASK_FAILED");
    expect(e.task).toBe("c");
    expect(e.inputs).toEqual(["a", "b"]);
    expect(e.message).toBe('task "c" (@meridian/compute/kernels#fail, inputs "a", "b") failed: boom');
    expect((e.cause as Error).message).toBe("boom");
    expect((e.cause as Error).stack).toContain("kernels.ts");
  });

  it("reports an unknown kernel export and an unknown module with the task", async () => {
    const g1: Graph = { k: { kernel: { module: "@meridian/compute/kernels", name: "nope" } } };
    const e1 = await rejection(compute(g1, ["k"]));
    expect(e1.code).toBe("UNKNOWN_KERNEL");
    expect(e1.task).toBe("k");
    expect(e1.message).toBe(
      'task "k" (@meridian/compute/kernels#nope): module "@meridian/compute/kernels" has no kernel exported as "nope"',
    );
    const g2: Graph = { k: { kernel: { module: "file:///nonexistent/kernels.js", name: "x" } } };
    const e2 = await rejection(compute(g2, ["k"]));
    expect(e2.code).toBe("UNKNOWN_KERNEL");
    expect(e2.message).toContain('kernel module "file:///nonexistent/kernels.js" could not be imported');
  });

  it("rejects bad graphs before running anything", async () => {
    const e = await rejection(compute({ a: task(noop, [ref("a")]) }, ["a"]));
    expect(e.code).toBe("CYCLE");
    expect((await rejection(compute({ a: task(noop, [ref("q")]) }, ["a"]))).code).toBe("MISSING_DEPENDENCY");
  });

  it("cancels through an AbortSignal and starts nothing new", async () => {
    const g: Graph = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`s${i}`, task(sleep, [], { ms: 20 })]),
    );
    const ac = new AbortController();
    let done = 0;
    const p = compute(g, Object.keys(g), {
      signal: ac.signal,
      onProgress: (pr) => {
        done = pr.done;
        if (pr.done === 3) ac.abort(new Error("user pressed stop"));
      },
    });
    const e = await rejection(p);
    expect(e.code).toBe("CANCELLED");
    expect((e.cause as Error).message).toBe("user pressed stop");
    await new Promise((r) => setTimeout(r, 200));
    expect(done).toBe(3);
  });

  it("starts ready tasks by annotated priority, then depth-first", async () => {
    const pool = new WorkerPool({ workers: 1, pipeline: 1 });
    const g: Graph = {
      low: task(sleep, [], { ms: 1 }, { priority: -1 }),
      a: task(sleep, [], { ms: 1 }),
      urgent: task(sleep, [], { ms: 1 }, { priority: 10 }),
      b: task(sleep, [], { ms: 1 }),
      soon: task(sleep, [], { ms: 1 }, { priority: 5 }),
    };
    const order: string[] = [];
    await compute(g, ["a", "b", "low", "soon", "urgent"], { pool, onProgress: (p) => order.push(p.key) });
    await pool.stop();
    expect(order).toEqual(["urgent", "soon", "a", "b", "low"]);
  });

  it("tells running kernels to stop: a cancelled minute-long task frees its thread", async () => {
    const pool = new WorkerPool({ workers: 1, pipeline: 1 });
    const ac = new AbortController();
    const long = compute({ long: task(sleep, [], { ms: 60_000 }) }, ["long"], { pool, signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    expect((await rejection(long)).code).toBe("CANCELLED");
    // The only thread is free again long before the minute is over (the test would time out).
    expect(await compute({ next: task(noop) }, ["next"], { pool })).toEqual([null]);
    await pool.stop();
  });

  it("a thread that dies mid-task fails the computation with WORKER_DIED naming the task; the pool recovers", async () => {
    const pool = new WorkerPool({ workers: 1 });
    const crash = { module: new URL("./crashing-kernel.fixture.mjs", import.meta.url).href, name: "crash" };
    const e = await rejection(compute({ a: task(noop), boom: task(crash, [ref("a")]) }, ["boom"], { pool }));
    expect(e.code).toBe("WORKER_DIED");
    expect(e.task).toBe("boom");
    expect(e.inputs).toEqual(["a"]);
    expect(e.message).toMatch(
      /^task "boom" \(file:.*crashing-kernel\.fixture\.mjs#crash\): worker thread exited with code 3$/,
    );
    expect(await compute({ next: task(noop) }, ["next"], { pool })).toEqual([null]);
    await pool.stop();
  });
});
