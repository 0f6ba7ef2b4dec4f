/**
 * Node-only schedulers of `@meridian/compute`: {@link compute} on worker threads of this machine,
 * {@link computeDistributed} on BullMQ workers ({@link startWorker}, `meridian worker`).
 */

export { computeDistributed, type DistributedOptions } from "./distributed/coordinator.js";
export { DEFAULT_GROUP, parseResources, queueFor, queuesForWorker } from "./distributed/queues.js";
export { probeRedis, type RedisConnectionOptions, redisOptions } from "./distributed/redis-connection.js";
export { DEFAULT_INLINE_LIMIT } from "./distributed/wire.js";
export { startWorker, type TaskJob, type WorkerHandle, type WorkerOptions } from "./distributed/worker.js";
export {
  type ComputeOptions,
  compute,
  DEFAULT_MEMORY_BUDGET,
  shutdownDefaultPool,
} from "./local/compute.js";
export { WorkerPool, type WorkerPoolOptions } from "./local/worker-pool.js";
