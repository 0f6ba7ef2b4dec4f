import type { BufferPool } from "../chunk.js";
import type { SerializedError } from "../errors.js";
import type { JsonValue, KernelRef } from "../graph.js";

/** Main thread → worker thread. */
export type ToWorker =
  | {
      readonly type: "run";
      readonly id: number;
      readonly key: string;
      readonly kernel: KernelRef;
      readonly args: readonly unknown[];
      readonly params: JsonValue | undefined;
      /** Buffers of released chunks, for the worker's {@link BufferPool}. */
      readonly spares: readonly SharedArrayBuffer[];
      /** Id of the computation's cancel flag (sent once per worker by a `flag` message). */
      readonly flagId: number | undefined;
    }
  | {
      readonly type: "flag";
      readonly id: number;
      /** Shared word set to 1 when the computation is cancelled. */
      readonly flag: Int32Array;
    }
  | { readonly type: "stop" };

/** Worker thread → main thread. Chunks on SharedArrayBuffer cross without a copy. */
export type FromWorker =
  | { readonly type: "ready" }
  | {
      readonly type: "done";
      readonly id: number;
      readonly value: unknown;
      /** The value shares memory with an argument (e.g. identity, a view): never recycle those. */
      readonly aliased: boolean;
    }
  | { readonly type: "error"; readonly id: number; readonly error: SerializedError };
