/**
 * A BullMQ worker process for distributed graphs: takes tasks from the queues its group and
 * resources serve, reads large inputs from the shared scratch directory, runs the kernel, and
 * answers small results through Redis and large ones through scratch. A worker that dies
 * mid-task loses its job lock; another worker's stalled-job check puts the job back in the queue
 * and someone else runs it.
 */

import { hostname } from "node:os";
import { resolve } from "node:path";
import { Worker as BullWorker, type Job } from "bullmq";
import { ComputeError, serializeError } from "../errors.js";
import type { JsonValue, KernelRef } from "../graph.js";
import { WorkerPool } from "../local/worker-pool.js";
import { DEFAULT_GROUP, queuesForWorker } from "./queues.js";
import { probeRedis, redisOptions } from "./redis-connection.js";
import { decodeValue, encodeValue } from "./wire.js";

/** What a job carries (built by the coordinator). */
export interface TaskJob {
  readonly run: string;
  readonly key: string;
  readonly kernel: KernelRef;
  readonly params: JsonValue | null;
  /** Wire-encoded arguments. */
  readonly args: readonly unknown[];
  readonly scratchDir: string;
  readonly inlineLimit: number;
}

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  /** `redis://host:port[/db]`. */
  readonly redis: string;
  /** Worker groups served (default `["default"]`). */
  readonly groups?: readonly string[];
  /** Resources this worker has, e.g. `{ io: 1, gpu: 1 }`. */
  readonly resources?: Readonly<Record<string, number>>;
  /** Tasks run at once per queue (default 1; kernels share this process's one thread). */
  readonly concurrency?: number;
  /** Job lock in ms: a dead worker's task is retried after about this long (default 30000). */
  readonly lockDuration?: number;
  /** How often to look for stalled jobs, ms (default lockDuration / 2). */
  readonly stalledInterval?: number;
  /** Queue name prefix (default "mc"); coordinator and workers must agree. */
  readonly prefix?: string;
  /**
   * Kernel modules this worker imports: specifier prefixes (default `["@meridian/"]`). Jobs come
   * from whoever can write to Redis, so a worker runs only code it was told to trust.
   */
  readonly allowModules?: readonly string[];
  /** When set, the only scratch directory jobs may name (others are refused). */
  readonly scratchDir?: string;
  /** Called when a task starts, finishes or fails here. */
  readonly onTask?: (e: {
    readonly event: "start" | "done" | "failed";
    readonly key: string;
    readonly queue: string;
  }) => void;
}

/** A running worker. */
export interface WorkerHandle {
  /** Queue names served. */
  readonly queues: readonly string[];
  /** Finish running tasks and disconnect. */
  close(): Promise<void>;
}

/** Start serving distributed tasks. */
export async function startWorker(options: WorkerOptions): Promise<WorkerHandle> {
  const connection = redisOptions(options.redis);
  await probeRedis(options.redis);
  const lockDuration = options.lockDuration ?? 30_000;
  const allow = options.allowModules ?? ["@meridian/"];
  const queues = queuesForWorker(
    options.groups ?? [DEFAULT_GROUP],
    options.resources ?? {},
    options.concurrency ?? 1,
    options.prefix,
  );
  // Kernels run on threads: the event loop stays free to renew job locks however long a kernel
  // computes (a blocked loop would lose the lock and the job would run twice).
  const pool = new WorkerPool({ workers: Math.max(...queues.map((q) => q.concurrency)), pipeline: 1 });
  pool.start();
  const workers = queues.map(
    (q) =>
      new BullWorker<TaskJob>(
        q.name,
        async (job: Job<TaskJob>) => {
          const d = job.data;
          options.onTask?.({ event: "start", key: d.key, queue: q.name });
          try {
            checkJob(d, allow, options.scratchDir);
            const args = (await decodeValue(d.args, d.scratchDir)) as unknown[];
            const value = await pool.execute({
              key: d.key,
              kernel: d.kernel,
              args,
              params: d.params ?? undefined,
              annotations: {},
              inputs: [],
            });
            const wire = await encodeValue(value, { dir: d.scratchDir, inlineLimit: d.inlineLimit }, d.run);
            options.onTask?.({ event: "done", key: d.key, queue: q.name });
            return wire;
          } catch (err) {
            options.onTask?.({ event: "failed", key: d.key, queue: q.name });
            // The coordinator rebuilds name, code and stack from the failure reason.
            throw new Error(JSON.stringify(serializeError(err)));
          }
        },
        {
          connection,
          concurrency: q.concurrency,
          lockDuration,
          stalledInterval: options.stalledInterval ?? Math.max(500, Math.floor(lockDuration / 2)),
          maxStalledCount: 5,
          name: `${hostname()}:${process.pid}`,
        },
      ),
  );
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    queues: queues.map((q) => q.name),
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await pool.stop();
    },
  };
}

const RUN_ID = /^[A-Za-z0-9_-]+$/;

/** Refuse jobs that would import an untrusted module or write outside the scratch directory. */
function checkJob(d: TaskJob, allow: readonly string[], scratchDir: string | undefined): void {
  const m = d.kernel?.module;
  if (typeof m !== "string" || !allow.some((p) => m.startsWith(p))) {
    throw new ComputeError(
      "UNKNOWN_KERNEL",
      `kernel module ${JSON.stringify(m)} is not allowed on this worker (allowed: ${allow.join(", ")}; see --allow-module)`,
    );
  }
  if (typeof d.run !== "string" || !RUN_ID.test(d.run)) {
    throw new ComputeError("INVALID_TASK", `job has a bad run id ${JSON.stringify(d.run)}`);
  }
  if (scratchDir !== undefined && resolve(d.scratchDir) !== resolve(scratchDir)) {
    throw new ComputeError(
      "INVALID_TASK",
      `job names scratch directory ${JSON.stringify(d.scratchDir)}; this worker only uses ${JSON.stringify(scratchDir)}`,
    );
  }
}
