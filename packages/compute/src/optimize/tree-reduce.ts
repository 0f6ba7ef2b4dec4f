import { ComputeError } from "../errors.js";
import { type Graph, ref, type TaskArg, type TaskSpec } from "../graph.js";

/** Inputs per tree node when a task does not say (`annotations.splitEvery`). */
export const DEFAULT_SPLIT_EVERY = 8;

/**
 * Rewrite every task whose kernel is a `combine` kernel (associative, variadic) and that has more
 * than `splitEvery` arguments into a tree of the same kernel, so partial results combine as soon
 * as a few are ready and no single task waits on (and holds) all of them. Inner nodes are keyed
 * `<key>/tree-<level>-<index>`.
 */
export function treeReduce(graph: Graph): Graph {
  const out: Record<string, TaskSpec> = { ...graph };
  for (const [key, t] of Object.entries(graph)) {
    if (t.kernel.kind !== "combine") continue;
    const split = t.annotations?.splitEvery ?? DEFAULT_SPLIT_EVERY;
    if (!Number.isInteger(split) || split < 2) {
      throw new ComputeError(
        "INVALID_TASK",
        `task ${JSON.stringify(key)}: splitEvery must be an integer >= 2`,
        {
          task: key,
        },
      );
    }
    let level: readonly TaskArg[] = t.args ?? [];
    let depth = 0;
    while (level.length > split) {
      const next: TaskArg[] = [];
      for (let i = 0; i < level.length; i += split) {
        const k = `${key}/tree-${depth}-${i / split}`;
        out[k] = { ...t, args: level.slice(i, i + split) };
        next.push(ref(k));
      }
      level = next;
      depth++;
    }
    if (depth > 0) out[key] = { ...t, args: level };
  }
  return out;
}
