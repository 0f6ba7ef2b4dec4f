/**
 * The scheduling core shared by the local and the distributed scheduler: validates and optimises
 * the graph, releases tasks in depth-first order as their inputs complete, keeps results only as
 * long as a dependent needs them, holds back new work while the memory budget is spent, reports
 * progress and honours cancellation. Where a task runs is the {@link Executor}'s business.
 */

import { valueBytes } from "./chunk.js";
import { ComputeError, isComputeError, taskFailed } from "./errors.js";
import {
  type Annotations,
  dependencies,
  depthFirstRanks,
  type Graph,
  isRef,
  type JsonValue,
  type KernelRef,
  type TaskSpec,
  validateGraph,
} from "./graph.js";
import { type OptimizeOptions, optimizeGraph } from "./optimize/optimize-graph.js";

/** A task whose inputs are ready, as handed to an executor. */
export interface ReadyTask {
  readonly key: string;
  readonly kernel: KernelRef;
  /** Arguments with every reference replaced by the referenced value. */
  readonly args: readonly unknown[];
  readonly params: JsonValue | undefined;
  readonly annotations: Annotations;
  /** Keys of the task's inputs, in argument order. */
  readonly inputs: readonly string[];
  /** Set to 1 (shared memory) when the computation is cancelled or has failed. */
  readonly cancelFlag?: Int32Array;
}

/** Runs ready tasks somewhere (worker threads, BullMQ workers). */
export interface Executor {
  /** How many tasks may be in flight at once. */
  readonly slots: number;
  /** Run one task; reject with a ComputeError (`UNKNOWN_KERNEL`, `WORKER_DIED`, …) or the kernel's error. */
  execute(task: ReadyTask): Promise<unknown>;
  /** Bytes of memory a result occupies on this side (default: chunk bytes). */
  sizeOf?(value: unknown): number;
  /** A result no task needs any more and nobody asked for: its memory may be reused. */
  release?(value: unknown): void;
}

/** Progress of one computation. Emitted after every finished task. */
export interface Progress {
  /** Key of the task that just finished. */
  readonly key: string;
  /** Tasks finished. */
  readonly done: number;
  /** Tasks in the optimised graph. */
  readonly total: number;
  /** Tasks in flight. */
  readonly running: number;
  /** Bytes of results produced so far (chunks only). */
  readonly bytesDone: number;
  /** Bytes of results held now (waiting for dependents or requested). */
  readonly bytesHeld: number;
  /** Largest `bytesHeld` seen so far. */
  readonly peakBytesHeld: number;
}

/** Options of a computation. */
export interface RunOptions {
  /** Optimisation passes (`false`: run the graph as given). Default: all. */
  readonly optimize?: boolean | OptimizeOptions;
  /**
   * Bytes of results (held + expected from tasks in flight) above which no new task starts,
   * unless nothing is running. Default: unbounded here; the local scheduler sets one.
   */
  readonly memoryBudget?: number;
  /** Cancel: the promise rejects with `CANCELLED` and no new task starts. */
  readonly signal?: AbortSignal;
  /** Called after every finished task. */
  readonly onProgress?: (progress: Progress) => void;
  /**
   * Called as soon as a requested key's value is ready (before later tasks finish). Return `true`
   * to take it: the computation then stops holding it (its place in the returned array is
   * `undefined`) and reuses its memory for later tasks once no task needs it, so copy what you
   * keep before returning. Lets a caller assemble a large result as chunks arrive, holding it
   * once instead of twice.
   */
  readonly onResult?: (key: string, value: unknown) => boolean | undefined;
}

/** Run `graph` for `keys` on `executor`; resolves to the values of `keys`, in order. */
export async function runGraph(
  graph: Graph,
  keys: readonly string[],
  executor: Executor,
  options: RunOptions = {},
): Promise<unknown[]> {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new ComputeError("INVALID_ARGUMENT", "compute needs at least one key");
  }
  validateGraph(graph, keys);
  const opt = options.optimize ?? true;
  const g = opt === false ? graph : optimizeGraph(graph, keys, opt === true ? {} : opt);
  const signal = options.signal;
  if (signal?.aborted) throw cancelled(signal);

  const sizeOf = executor.sizeOf?.bind(executor) ?? valueBytes;
  const budget = options.memoryBudget ?? Number.POSITIVE_INFINITY;
  const slots = Math.max(1, executor.slots);
  const rank = depthFirstRanks(g, keys);
  const requested = new Set(keys);
  const taken = new Set<string>();
  const taskKeys = [...rank.keys()];
  const total = taskKeys.length;

  const deps = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  const remainingUses = new Map<string, number>();
  const ready = new RankHeap();
  for (const k of taskKeys) {
    const d = dependencies(g[k] as TaskSpec);
    deps.set(k, d);
    waiting.set(k, d.length);
    for (const x of d) {
      let list = dependents.get(x);
      if (list === undefined) {
        list = [];
        dependents.set(x, list);
      }
      list.push(k);
      remainingUses.set(x, (remainingUses.get(x) ?? 0) + 1);
    }
  }
  for (const k of taskKeys) {
    if (d0(deps, k)) ready.push(k, priorityOf(g[k] as TaskSpec, rank.get(k) as number));
  }

  const results = new Map<string, unknown>();
  const resultBytes = new Map<string, number>();
  let held = 0;
  let peak = 0;
  let bytesDone = 0;
  let done = 0;
  let running = 0;
  let inflightEstimate = 0;
  let observedOutputs = 0;
  let observedBytes = 0;
  let failed = false;

  // One shared word per computation: kernels poll it (ctx.cancelled()) to stop early.
  const cancelFlag = new Int32Array(new SharedArrayBuffer(4));

  return await new Promise<unknown[]>((resolve, reject) => {
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      Atomics.store(cancelFlag, 0, 1);
      signal?.removeEventListener("abort", onAbort);
      reject(err);
    };
    const onAbort = () => fail(cancelled(signal as AbortSignal));
    signal?.addEventListener("abort", onAbort, { once: true });

    const estimate = (t: TaskSpec): number =>
      t.annotations?.bytes ?? (observedOutputs === 0 ? 0 : observedBytes / observedOutputs);

    const pump = () => {
      while (!failed && running < slots && ready.size > 0) {
        const key = ready.peek() as string;
        const t = g[key] as TaskSpec;
        const est = estimate(t);
        if (running > 0 && held + inflightEstimate + est > budget) break;
        ready.pop();
        start(key, t, est);
      }
      if (!failed && done === total) {
        failed = true; // settled
        signal?.removeEventListener("abort", onAbort);
        resolve(keys.map((k) => (taken.has(k) ? undefined : results.get(k))));
      }
    };

    const start = (key: string, t: TaskSpec, est: number) => {
      running++;
      inflightEstimate += est;
      const inputs = deps.get(key) as string[];
      const args = (t.args ?? []).map((a) => (isRef(a) ? results.get(a.$ref) : a));
      let p: Promise<unknown>;
      try {
        p = executor.execute({
          key,
          kernel: t.kernel,
          args,
          params: t.params,
          annotations: t.annotations ?? {},
          inputs,
          cancelFlag,
        });
      } catch (err) {
        p = Promise.reject(err);
      }
      p.then(
        (value) => {
          running--;
          inflightEstimate -= est;
          if (failed) return;
          finish(key, value);
          pump();
        },
        (err: unknown) => {
          running--;
          inflightEstimate -= est;
          fail(explain(err, key, t.kernel, inputs));
        },
      );
    };

    const finish = (key: string, value: unknown) => {
      done++;
      const bytes = sizeOf(value);
      bytesDone += bytes;
      observedOutputs++;
      observedBytes += bytes;
      if (requested.has(key) && options.onResult?.(key, value) === true) taken.add(key);
      if (remainingUses.has(key) || (requested.has(key) && !taken.has(key))) {
        results.set(key, value);
        resultBytes.set(key, bytes);
        held += bytes;
        if (held > peak) peak = held;
      } else if (taken.has(key)) {
        executor.release?.(value);
      }
      for (const d of deps.get(key) as string[]) {
        const left = (remainingUses.get(d) as number) - 1;
        remainingUses.set(d, left);
        if (left === 0) {
          remainingUses.delete(d);
          if (!requested.has(d) || taken.has(d)) {
            executor.release?.(results.get(d));
            held -= resultBytes.get(d) ?? 0;
            results.delete(d);
            resultBytes.delete(d);
          }
        }
      }
      for (const k of dependents.get(key) ?? []) {
        const w = (waiting.get(k) as number) - 1;
        waiting.set(k, w);
        if (w === 0) ready.push(k, priorityOf(g[k] as TaskSpec, rank.get(k) as number));
      }
      options.onProgress?.({ key, done, total, running, bytesDone, bytesHeld: held, peakBytesHeld: peak });
    };

    pump();
  });
}

function d0(deps: Map<string, string[]>, k: string): boolean {
  return (deps.get(k) as string[]).length === 0;
}

/** Lower sorts first: annotated priority dominates, then depth-first rank. */
function priorityOf(t: TaskSpec, rank: number): number {
  const p = t.annotations?.priority ?? 0;
  return -p * 1e9 + rank;
}

function cancelled(signal: AbortSignal): ComputeError {
  return new ComputeError("CANCELLED", "computation cancelled", { cause: signal.reason });
}

function explain(err: unknown, key: string, kernel: KernelRef, inputs: readonly string[]): ComputeError {
  const where = `${kernel.module}#${kernel.name}`;
  if (isComputeError(err) && err.task === undefined) {
    if (err.code === "UNKNOWN_KERNEL" || err.code === "WORKER_DIED" || err.code === "BACKEND") {
      return new ComputeError(err.code, `task ${JSON.stringify(key)} (${where}): ${err.message}`, {
        task: key,
        inputs,
        cause: err,
      });
    }
  }
  if (isComputeError(err) && err.task === key) return err;
  return taskFailed(key, where, inputs, err);
}

/** Binary min-heap of keys by number. */
class RankHeap {
  private keys: string[] = [];
  private ranks: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  peek(): string | undefined {
    return this.keys[0];
  }
  push(key: string, r: number): void {
    const ks = this.keys;
    const rs = this.ranks;
    let i = ks.length;
    ks.push(key);
    rs.push(r);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((rs[p] as number) <= r) break;
      ks[i] = ks[p] as string;
      rs[i] = rs[p] as number;
      i = p;
    }
    ks[i] = key;
    rs[i] = r;
  }
  pop(): string | undefined {
    const ks = this.keys;
    const rs = this.ranks;
    const top = ks[0];
    const lastK = ks.pop() as string;
    const lastR = rs.pop() as number;
    const n = ks.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (rs[r] as number) < (rs[l] as number) ? r : l;
        if ((rs[c] as number) >= lastR) break;
        ks[i] = ks[c] as string;
        rs[i] = rs[c] as number;
        i = c;
      }
      ks[i] = lastK;
      rs[i] = lastR;
    }
    return top;
  }
}
