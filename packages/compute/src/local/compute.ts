import { totalmem } from "node:os";
import type { Graph } from "../graph.js";
import { type RunOptions, runGraph } from "../run-graph.js";
import { WorkerPool, type WorkerPoolOptions } from "./worker-pool.js";

/** Options of {@link compute}. */
export interface ComputeOptions extends RunOptions, WorkerPoolOptions {
  /** Run on this pool instead of the shared default one (`workers`/`pipeline` then ignored). */
  readonly pool?: WorkerPool;
}

let defaultPool: WorkerPool | undefined;

/** Default memory budget: a quarter of physical memory. */
export const DEFAULT_MEMORY_BUDGET = Math.floor(totalmem() / 4);

/**
 * Run `graph` for `keys` on worker threads of this machine. Resolves to the values of `keys`, in
 * order. Chunks stay in shared memory; at most `memoryBudget` bytes of results are held or
 * expected at once (default: a quarter of RAM).
 */
export function compute(
  graph: Graph,
  keys: readonly string[],
  options: ComputeOptions = {},
): Promise<unknown[]> {
  let pool = options.pool;
  if (pool === undefined) {
    if (options.workers !== undefined || options.pipeline !== undefined) {
      const own = new WorkerPool(options);
      return runGraph(graph, keys, own, withBudget(options)).finally(() => own.stop());
    }
    defaultPool ??= new WorkerPool();
    pool = defaultPool;
  }
  return runGraph(graph, keys, pool, withBudget(options));
}

/** Stop the shared default pool (its idle threads never keep the process alive anyway). */
export async function shutdownDefaultPool(): Promise<void> {
  const p = defaultPool;
  defaultPool = undefined;
  await p?.stop();
}

function withBudget(options: ComputeOptions): RunOptions {
  return { ...options, memoryBudget: options.memoryBudget ?? DEFAULT_MEMORY_BUDGET };
}
