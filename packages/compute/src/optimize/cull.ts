import { dependencies, type Graph, type TaskSpec } from "../graph.js";

/** Keep only the tasks that the requested keys need. */
export function cull(graph: Graph, keys: readonly string[]): Graph {
  const out: Record<string, TaskSpec> = {};
  const stack = [...keys];
  while (stack.length > 0) {
    const k = stack.pop() as string;
    if (Object.hasOwn(out, k)) continue;
    const t = graph[k];
    if (t === undefined) continue;
    out[k] = t;
    for (const d of dependencies(t)) if (!Object.hasOwn(out, d)) stack.push(d);
  }
  return out;
}
