import { describe, expect, it } from "vitest";
import { type Graph, ref, type TaskSpec } from "../graph.js";
import { task } from "../kernel.js";
import { combineMoments, fill, moments, scaleOffset, square } from "../kernels.js";
import { compute } from "./compute.js";
import { WorkerPool } from "./worker-pool.js";

const MiB = 1024 * 1024;

describe("memory budget", () => {
  it("runs a graph many times larger than its budget in bounded memory", async () => {
    const chunkElems = 2 * MiB; // float32: 8 MiB a chunk
    const nChunks = 96; // 768 MiB generated, 1.5 GiB of chunks through the scheduler
    const budget = 32 * MiB;
    const g: Record<string, TaskSpec> = {};
    const parts = [];
    for (let i = 0; i < nChunks; i++) {
      g[`x${i}`] = task(
        fill,
        [],
        { dtype: "float32", shape: [chunkElems], seed: i },
        { bytes: 4 * chunkElems },
      );
      g[`y${i}`] = task(scaleOffset, [ref(`x${i}`)], { a: 3, b: -1 });
      g[`z${i}`] = task(square, [ref(`y${i}`)]);
      g[`m${i}`] = task(moments, [ref(`z${i}`)]);
      parts.push(ref(`m${i}`));
    }
    g.all = task(combineMoments, parts);
    // Start the threads (and load every kernel) first: the baseline then holds their heaps.
    const pool = new WorkerPool({ workers: 2 });
    const warm = { x: task(fill, [], { dtype: "float32", shape: [16], seed: 0 }) } as Graph;
    await compute(
      {
        ...warm,
        y: task(scaleOffset, [ref("x")], { a: 1, b: 0 }),
        z: task(square, [ref("y")]),
        m: task(moments, [ref("z")]),
        c: task(combineMoments, [ref("m")]),
      } as Graph,
      ["c"],
      { pool },
    );
    const base = process.memoryUsage().rss;
    let peakRss = base;
    let peakHeld = 0;
    let bytesDone = 0;
    const [r] = await compute(g as Graph, ["all"], {
      memoryBudget: budget,
      pool,
      onProgress: (p) => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        peakHeld = p.peakBytesHeld;
        bytesDone = p.bytesDone;
      },
    });
    await pool.stop();
    expect((r as { count: number }).count).toBe(nChunks * chunkElems);
    expect(bytesDone).toBeGreaterThan(20 * budget);
    // The scheduler never holds more than the budget plus the chunk of the one task it must run.
    expect(peakHeld).toBeLessThanOrEqual(budget + 4 * chunkElems);
    // Resident memory grows by about the budget plus the chunks in flight (4 tasks × 8 MiB),
    // far less than the data that flowed through: released buffers are recycled, not left to
    // the garbage collectors. 160 MiB leaves room for thread heaps and allocator slack.
    expect(peakRss - base).toBeLessThan(160 * MiB);
    console.log(
      `memory budget: ${(bytesDone / MiB).toFixed(0)} MiB of chunks, budget ${budget / MiB} MiB, ` +
        `peak held ${(peakHeld / MiB).toFixed(1)} MiB, peak RSS growth ${((peakRss - base) / MiB).toFixed(0)} MiB`,
    );
  }, 60_000);
});
