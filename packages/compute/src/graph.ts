/**
 * Task graphs: a plain, serialisable record from key to task. A task names its kernel by module
 * and export, lists its arguments (references to other keys or JSON literals), and carries
 * annotations that guide placement and memory accounting.
 */

import type { Chunk } from "./chunk.js";
import { ComputeError } from "./errors.js";

/** JSON-compatible literal. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue };

/**
 * A kernel's address: an importable module (a `file:` URL or a bare package specifier) and the
 * name of the export. `kind` is copied from the kernel's definition so graph optimisation can see
 * it without importing the module.
 */
export interface KernelRef {
  readonly module: string;
  readonly name: string;
  /** `elementwise` kernels fuse into one pass; `combine` kernels are associative and tree-reduce. */
  readonly kind?: "general" | "elementwise" | "combine";
}

/** A reference to the value of another task. */
export interface Ref {
  readonly $ref: string;
}

/**
 * A task argument: the value of another task, a JSON literal, or a chunk already in memory (passed
 * as is to local threads, which share its memory; written to scratch or inlined for distributed
 * workers).
 */
export type TaskArg = Ref | JsonValue | Chunk;

/** Hints that place a task and account for it. */
export interface Annotations {
  /** Resources one run of the task holds on a worker (distributed), e.g. `{ gpu: 1 }`. */
  readonly resources?: Readonly<Record<string, number>>;
  /** Higher runs sooner among ready tasks (default 0). */
  readonly priority?: number;
  /** Only workers started with this group run the task (distributed; default "default"). */
  readonly workerGroup?: string;
  /** Expected output size in bytes, for the memory budget before the task has run. */
  readonly bytes?: number;
  /** For `combine` kernels with many inputs: at most this many inputs per tree node (default 8). */
  readonly splitEvery?: number;
}

/** One node of a graph. */
export interface TaskSpec {
  readonly kernel: KernelRef;
  /** Positional arguments; a {@link Ref} is replaced by the referenced task's value. */
  readonly args?: readonly TaskArg[];
  /** One JSON value handed to the kernel next to the arguments (options, shapes, constants). */
  readonly params?: JsonValue;
  readonly annotations?: Annotations;
}

/** A task graph: key → task. Keys are any non-empty strings. */
export type Graph = Readonly<Record<string, TaskSpec>>;

/** Reference the value of task `key` in another task's arguments. */
export function ref(key: string): Ref {
  return { $ref: key };
}

/** True when `x` is a {@link Ref}. */
export function isRef(x: unknown): x is Ref {
  return typeof x === "object" && x !== null && !Array.isArray(x) && typeof (x as Ref).$ref === "string";
}

/** Keys a task depends on, in argument order (duplicates kept once). */
export function dependencies(task: TaskSpec): string[] {
  const out: string[] = [];
  for (const a of task.args ?? []) if (isRef(a) && !out.includes(a.$ref)) out.push(a.$ref);
  return out;
}

/**
 * Check a graph and the requested keys: every reference resolves, every kernel reference is
 * well formed, no cycles. Throws a tagged {@link ComputeError} naming the task.
 */
export function validateGraph(graph: Graph, keys: readonly string[]): void {
  for (const k of keys) {
    if (!Object.hasOwn(graph, k)) {
      throw new ComputeError("UNKNOWN_KEY", `requested key ${JSON.stringify(k)} is not in the graph`, {
        task: k,
      });
    }
  }
  for (const [key, task] of Object.entries(graph)) {
    const kr = task?.kernel;
    if (
      typeof kr !== "object" ||
      kr === null ||
      typeof kr.module !== "string" ||
      typeof kr.name !== "string"
    ) {
      throw new ComputeError(
        "INVALID_TASK",
        `task ${JSON.stringify(key)} has no valid kernel reference ({ module, name })`,
        { task: key },
      );
    }
    if (task.args !== undefined && !Array.isArray(task.args)) {
      throw new ComputeError("INVALID_TASK", `task ${JSON.stringify(key)}: args must be an array`, {
        task: key,
      });
    }
    const deps = dependencies(task);
    for (const d of deps) {
      if (!Object.hasOwn(graph, d)) {
        throw new ComputeError(
          "MISSING_DEPENDENCY",
          `task ${JSON.stringify(key)} depends on ${JSON.stringify(d)}, which is not in the graph`,
          { task: key, inputs: deps },
        );
      }
    }
  }
  const cycle = findCycle(graph);
  if (cycle !== null) {
    const first = cycle[0] ?? "";
    throw new ComputeError(
      "CYCLE",
      `task ${JSON.stringify(first)} is on a dependency cycle: ${cycle.map((k) => JSON.stringify(k)).join(" -> ")}`,
      { task: first, cycle, inputs: dependencies(graph[first] as TaskSpec) },
    );
  }
}

/** A dependency cycle as keys (first repeated at the end), or null. Iterative DFS. */
export function findCycle(graph: Graph): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1 on stack, 2 done
  for (const root of Object.keys(graph)) {
    if (state.has(root)) continue;
    const stack: { key: string; deps: string[]; i: number }[] = [
      { key: root, deps: dependencies(graph[root] as TaskSpec), i: 0 },
    ];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { key: string; deps: string[]; i: number };
      if (top.i === top.deps.length) {
        state.set(top.key, 2);
        stack.pop();
        continue;
      }
      const d = top.deps[top.i++] as string;
      const s = state.get(d);
      if (s === 1) {
        const from = stack.findIndex((f) => f.key === d);
        return [...stack.slice(from).map((f) => f.key), d];
      }
      if (s === undefined && Object.hasOwn(graph, d)) {
        state.set(d, 1);
        stack.push({ key: d, deps: dependencies(graph[d] as TaskSpec), i: 0 });
      }
    }
  }
  return null;
}

/**
 * Execution order hint: a post-order depth-first walk from the requested keys, so one chunk's
 * chain finishes (and frees its inputs) before the next chunk's starts. Returns key → rank.
 */
export function depthFirstRanks(graph: Graph, keys: readonly string[]): Map<string, number> {
  const rank = new Map<string, number>();
  const seen = new Set<string>();
  for (const root of keys) {
    if (seen.has(root)) continue;
    seen.add(root);
    const stack: { key: string; deps: string[]; i: number }[] = [
      { key: root, deps: dependencies(graph[root] as TaskSpec), i: 0 },
    ];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { key: string; deps: string[]; i: number };
      if (top.i === top.deps.length) {
        rank.set(top.key, rank.size);
        stack.pop();
        continue;
      }
      const d = top.deps[top.i++] as string;
      if (!seen.has(d)) {
        seen.add(d);
        stack.push({ key: d, deps: dependencies(graph[d] as TaskSpec), i: 0 });
      }
    }
  }
  return rank;
}
