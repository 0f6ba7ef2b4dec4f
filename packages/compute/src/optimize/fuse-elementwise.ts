import { dependencies, type Graph, isRef, type TaskArg, type TaskSpec } from "../graph.js";
import { BUILTIN_KERNELS, type FusedStage } from "../kernels.js";

interface Chain {
  stages: FusedStage[];
  inputs: TaskArg[];
}

/**
 * Fuse chains of element-wise tasks into one task that makes a single pass over memory.
 * An element-wise task folds into its consumer when the consumer is element-wise too, it is
 * that consumer's only use of it, and it is not a requested key. The fused task keeps the last
 * task's key and annotations and runs the built-in `fused` kernel.
 */
export function fuseElementwise(graph: Graph, keys: readonly string[]): Graph {
  const uses = new Map<string, number>();
  const consumer = new Map<string, string>();
  for (const [key, t] of Object.entries(graph)) {
    for (const a of t.args ?? []) {
      if (!isRef(a)) continue;
      uses.set(a.$ref, (uses.get(a.$ref) ?? 0) + 1);
      consumer.set(a.$ref, key);
    }
  }
  const requested = new Set(keys);
  const isEw = (k: string) => graph[k]?.kernel.kind === "elementwise";
  const foldable = (k: string) => isEw(k) && !requested.has(k) && uses.get(k) === 1;
  const absorbed = new Set<string>();
  const chains = new Map<string, Chain>();

  const chainOf = (key: string): Chain => {
    const have = chains.get(key);
    if (have !== undefined) return have;
    // Iterative post-order over foldable producers, so long chains do not overflow the stack.
    const order: string[] = [];
    const stack: [string, boolean][] = [[key, false]];
    while (stack.length > 0) {
      const [k, expanded] = stack.pop() as [string, boolean];
      if (expanded) {
        order.push(k);
        continue;
      }
      stack.push([k, true]);
      for (const d of dependencies(graph[k] as TaskSpec))
        if (foldable(d) && !chains.has(d)) stack.push([d, false]);
    }
    for (const k of order) {
      if (chains.has(k)) continue;
      const t = graph[k] as TaskSpec;
      const chain: Chain = { stages: [], inputs: [] };
      const args: FusedStage["args"][number][] = [];
      for (const a of t.args ?? []) {
        if (typeof a === "number") {
          args.push(a);
        } else if (isRef(a) && foldable(a.$ref)) {
          const sub = chains.get(a.$ref) as Chain;
          absorbed.add(a.$ref);
          const stageOffset = chain.stages.length;
          const inputOffset = chain.inputs.length;
          for (const s of sub.stages) {
            chain.stages.push({
              ...s,
              args: s.args.map((x) =>
                typeof x === "number"
                  ? x
                  : "input" in x
                    ? { input: x.input + inputOffset }
                    : { stage: x.stage + stageOffset },
              ),
            });
          }
          chain.inputs.push(...sub.inputs);
          args.push({ stage: chain.stages.length - 1 });
        } else {
          args.push({ input: chain.inputs.length });
          chain.inputs.push(a);
        }
      }
      chain.stages.push({ kernel: t.kernel, args, ...(t.params === undefined ? {} : { params: t.params }) });
      chains.set(k, chain);
    }
    return chains.get(key) as Chain;
  };

  const out: Record<string, TaskSpec> = {};
  const fusedTasks = new Map<string, TaskSpec>();
  for (const [key, t] of Object.entries(graph)) {
    if (!isEw(key) || (foldable(key) && isEw(consumer.get(key) as string))) continue;
    const chain = chainOf(key);
    if (chain.stages.length < 2) continue;
    fusedTasks.set(key, {
      kernel: { module: BUILTIN_KERNELS, name: "fused", kind: "general" },
      args: chain.inputs,
      params: { stages: chain.stages } as unknown as TaskSpec["params"],
      ...(t.annotations === undefined ? {} : { annotations: t.annotations }),
    });
  }
  for (const [key, t] of Object.entries(graph)) {
    if (absorbed.has(key)) continue;
    out[key] = fusedTasks.get(key) ?? t;
  }
  return out;
}
