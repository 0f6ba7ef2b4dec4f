import { describe, expect, it } from "vitest";
import { type Graph, ref, type TaskSpec, task } from "../index.js";
import { combineMoments, fill, moments, scaleOffset, square } from "../kernels.js";
import { compute } from "./compute.js";

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
    (globalThis as { gc?: () => void }).gc?.();
    const base = process.memoryUsage().rss;
    let peakRss = base;
    let peakHeld = 0;
    let bytesDone = 0;
    const [r] = await compute(g as Graph, ["all"], {
      memoryBudget: budget,
      workers: 2,
      onProgress: (p) => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        peakHeld = p.peakBytesHeld;
        bytesDone = p.bytesDone;
      },
    });
    expect((r as { count: number }).count).toBe(nChunks * chunkElems);
    expect(bytesDone).toBeGreaterThan(20 * budget);
    // The scheduler never holds more than the budget plus the chunk of the one task it must run.
    expect(peakHeld).toBeLessThanOrEqual(budget + 4 * chunkElems);
    // Resident memory grows by far less than the data that flowed through (GC frees shared
    // buffers once no thread refers to them); 256 MiB of headroom covers GC lag and thread heaps.
    expect(peakRss - base).toBeLessThan(256 * MiB);
    console.log(
      `memory budget: ${(bytesDone / MiB).toFixed(0)} MiB of chunks, budget ${budget / MiB} MiB, ` +
        `peak held ${(peakHeld / MiB).toFixed(1)} MiB, peak RSS growth ${((peakRss - base) / MiB).toFixed(0)} MiB`,
    );
  }, 60_000);
});
