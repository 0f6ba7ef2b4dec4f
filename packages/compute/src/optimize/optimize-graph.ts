import type { Graph } from "../graph.js";
import { cull } from "./cull.js";
import { fuseElementwise } from "./fuse-elementwise.js";
import { treeReduce } from "./tree-reduce.js";

/** Which optimisation passes run (all by default). */
export interface OptimizeOptions {
  /** Drop tasks the requested keys do not need. */
  readonly cull?: boolean;
  /** Fuse chains of element-wise tasks into single-pass tasks. */
  readonly fuse?: boolean;
  /** Split wide `combine` tasks into trees. */
  readonly treeReduce?: boolean;
}

/** Cull, tree-reduce and fuse, in that order. Requested keys always survive with their values. */
export function optimizeGraph(graph: Graph, keys: readonly string[], options: OptimizeOptions = {}): Graph {
  let g = graph;
  if (options.cull !== false) g = cull(g, keys);
  if (options.treeReduce !== false) g = treeReduce(g);
  if (options.fuse !== false) g = fuseElementwise(g, keys);
  return g;
}
