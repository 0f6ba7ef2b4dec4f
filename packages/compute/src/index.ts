/**
 * @meridian/compute — task graphs of chunked work. Pure part: graphs, kernels, chunks, graph
 * optimisation and the scheduling core. Node schedulers (worker threads, BullMQ) are in
 * `@meridian/compute/node`; built-in kernels in `@meridian/compute/kernels`.
 *
 * @example
 * ```ts
 * import { ref, task } from "@meridian/compute";
 * import { fill, moments, combineMoments } from "@meridian/compute/kernels";
 * import { compute } from "@meridian/compute/node";
 * const g = {
 *   a: task(fill, [], { dtype: "float32", shape: [1024], seed: 1 }),
 *   m: task(moments, [ref("a")]),
 *   all: task(combineMoments, [ref("m")]),
 * };
 * const [stats] = await compute(g, ["all"]); // { count, mean, m2 }
 * ```
 */

export {
  allocateChunk,
  type Chunk,
  chunkFromBuffer,
  chunksIn,
  type Dtype,
  type DtypeArrays,
  dtypeBytes,
  isChunk,
  isDtype,
  type NumberArray,
  shapeSize,
  type TypedArray,
  valueBytes,
} from "./chunk.js";
export {
  ComputeError,
  type ComputeErrorCode,
  type ComputeErrorOptions,
  deserializeError,
  isComputeError,
  type SerializedError,
  serializeError,
} from "./errors.js";
export {
  type Annotations,
  dependencies,
  findCycle,
  type Graph,
  isRef,
  type JsonValue,
  type KernelRef,
  type Ref,
  ref,
  type TaskArg,
  type TaskSpec,
  validateGraph,
} from "./graph.js";
export {
  defineKernel,
  type ElementwiseKernelDefinition,
  type GeneralKernelDefinition,
  isKernel,
  type Kernel,
  type KernelContext,
  type KernelDefinition,
  task,
} from "./kernel.js";
export { loadKernel } from "./kernel-loader.js";
export { cull } from "./optimize/cull.js";
export { fuseElementwise } from "./optimize/fuse-elementwise.js";
export { type OptimizeOptions, optimizeGraph } from "./optimize/optimize-graph.js";
export { DEFAULT_SPLIT_EVERY, treeReduce } from "./optimize/tree-reduce.js";
export { type Executor, type Progress, type ReadyTask, type RunOptions, runGraph } from "./run-graph.js";
