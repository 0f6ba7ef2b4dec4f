/**
 * Node-only schedulers of `@meridian/compute`: {@link compute} on worker threads of this machine.
 */

export {
  type ComputeOptions,
  compute,
  DEFAULT_MEMORY_BUDGET,
  shutdownDefaultPool,
} from "./local/compute.js";
export { WorkerPool, type WorkerPoolOptions } from "./local/worker-pool.js";
