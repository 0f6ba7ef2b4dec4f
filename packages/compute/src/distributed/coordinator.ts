/**
 * Run a graph on BullMQ workers: the scheduling core (`runGraph`) decides what is ready; each
 * ready task becomes a job on the queue its annotations select. Intermediate values stay where
 * workers put them (inline in Redis, or a scratch file); the coordinator only passes their
 * descriptors on, deletes scratch files of released intermediates, and reads back the values of
 * the requested keys.
 */

import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { ComputeError, deserializeError, type SerializedError } from "../errors.js";
import type { Graph } from "../graph.js";
import { type Executor, type ReadyTask, type RunOptions, runGraph } from "../run-graph.js";
import { queueFor } from "./queues.js";
import { probeRedis, type RedisConnectionOptions, redisOptions } from "./redis-connection.js";
import { DEFAULT_INLINE_LIMIT, decodeValue, encodeValue, removeScratch, scratchBytes } from "./wire.js";
import type { TaskJob } from "./worker.js";

/** Options of {@link computeDistributed}. */
export interface DistributedOptions extends RunOptions {
  /** `redis://host:port[/db]` of the BullMQ Redis. */
  readonly redis: string;
  /** Shared scratch directory, the same path on every host. */
  readonly scratchDir: string;
  /** Chunks up to this many bytes travel through Redis (default 64 KiB). */
  readonly inlineLimit?: number;
  /** Jobs queued at once (default 256). `memoryBudget` bounds scratch bytes held. */
  readonly slots?: number;
  /** Queue name prefix (default "mc"). */
  readonly prefix?: string;
}

interface Waiter {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

class BullExecutor implements Executor {
  readonly slots: number;
  readonly run = randomUUID().slice(0, 8);
  private readonly queues = new Map<string, Promise<{ queue: Queue; events: QueueEvents }>>();
  private readonly waiters = new Map<string, Waiter>();
  private next = 0;

  constructor(
    private readonly connection: RedisConnectionOptions,
    private readonly options: DistributedOptions,
  ) {
    this.slots = options.slots ?? 256;
  }

  sizeOf(value: unknown): number {
    return scratchBytes(value);
  }

  release(value: unknown): void {
    removeScratch(value, this.options.scratchDir).catch(() => undefined);
  }

  async execute(task: ReadyTask): Promise<unknown> {
    const name = queueFor(task.annotations, this.options.prefix);
    const { queue } = await this.queue(name);
    const jobId = `${this.run}-${this.next++}`;
    const inlineLimit = this.options.inlineLimit ?? DEFAULT_INLINE_LIMIT;
    const data: TaskJob = {
      run: this.run,
      key: task.key,
      kernel: task.kernel,
      params: task.params ?? null,
      args: (await encodeValue(
        task.args,
        { dir: this.options.scratchDir, inlineLimit },
        this.run,
      )) as unknown[],
      scratchDir: this.options.scratchDir,
      inlineLimit,
    };
    const done = new Promise<unknown>((resolve, reject) => this.waiters.set(jobId, { resolve, reject }));
    const p = task.annotations.priority ?? 0;
    await queue.add(task.key, data, {
      jobId,
      // BullMQ: 1 is the highest priority; ours: higher runs sooner.
      priority: Math.min(2_097_151, Math.max(1, Math.round(1_000_000 - p))),
      attempts: 1,
      removeOnComplete: true,
      removeOnFail: { age: 3600 },
    });
    return done;
  }

  private queue(name: string): Promise<{ queue: Queue; events: QueueEvents }> {
    let q = this.queues.get(name);
    if (q === undefined) {
      q = (async () => {
        const queue = new Queue(name, { connection: this.connection });
        const events = new QueueEvents(name, { connection: this.connection });
        events.on("completed", ({ jobId, returnvalue }) => {
          const w = this.waiters.get(jobId);
          if (w === undefined) return;
          this.waiters.delete(jobId);
          w.resolve(typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue);
        });
        events.on("failed", ({ jobId, failedReason }) => {
          const w = this.waiters.get(jobId);
          if (w === undefined) return;
          this.waiters.delete(jobId);
          w.reject(failure(failedReason));
        });
        await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
        return { queue, events };
      })();
      this.queues.set(name, q);
    }
    return q;
  }

  async close(): Promise<void> {
    const qs = await Promise.allSettled(this.queues.values());
    for (const r of qs) {
      if (r.status !== "fulfilled") continue;
      // Jobs of this run still waiting (after a failure or cancel) are dropped.
      const waiting = await r.value.queue.getJobs(["waiting", "prioritized", "delayed"]).catch(() => []);
      await Promise.all(
        waiting.filter((j) => j?.data?.run === this.run).map((j) => j.remove().catch(() => undefined)),
      );
      await r.value.events.close();
      await r.value.queue.close();
    }
    await rm(join(this.options.scratchDir, this.run), { recursive: true, force: true });
  }
}

function failure(reason: string): Error {
  let e: SerializedError;
  try {
    e = JSON.parse(reason) as SerializedError;
  } catch {
    // Not thrown by our processor: BullMQ itself gave up (e.g. stalled too often).
    return new ComputeError("WORKER_DIED", reason);
  }
  const err = deserializeError(e);
  return e.code === "UNKNOWN_KERNEL" ? new ComputeError("UNKNOWN_KERNEL", err.message, { cause: err }) : err;
}

/**
 * Run `graph` for `keys` on BullMQ workers (`meridian worker`). Resolves to the values of `keys`,
 * in order; chunks come back on SharedArrayBuffers.
 */
export async function computeDistributed(
  graph: Graph,
  keys: readonly string[],
  options: DistributedOptions,
): Promise<unknown[]> {
  await probeRedis(options.redis);
  const exec = new BullExecutor(redisOptions(options.redis), options);
  try {
    // values arrive encoded (scratch references): hand them over only once decoded, at the end
    const wire = await runGraph(graph, keys, exec, { ...options, onResult: undefined });
    return (await decodeValue(wire, options.scratchDir)) as unknown[];
  } finally {
    await exec.close();
  }
}
