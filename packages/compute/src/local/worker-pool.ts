import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { sharedBuffers } from "../chunk.js";
import { ComputeError, deserializeError } from "../errors.js";
import type { Executor, ReadyTask } from "../run-graph.js";
import type { FromWorker, ToWorker } from "./protocol.js";

/** Options of a {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Worker threads (default: available parallelism). */
  readonly workers?: number;
  /** Tasks queued on one worker at once, to hide message latency (default 2). */
  readonly pipeline?: number;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  args: readonly unknown[];
  kernelId: string;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Cancel flags this worker has been sent, by id. */
  flags: Set<number>;
}

/** Bytes of released buffers waiting to go back to a worker, at most. */
const SPARE_CAPACITY = 256 * 1024 * 1024;
/** Smaller buffers are left to the garbage collector. */
const SPARE_MIN_BYTES = 64 * 1024;

/**
 * Worker threads that run kernels. Arguments and results are posted as structured clones, so
 * chunks on SharedArrayBuffer are shared, not copied. Idle workers do not keep the process alive.
 */
export class WorkerPool implements Executor {
  readonly size: number;
  readonly slots: number;
  private readonly workers: Slot[] = [];
  private nextId = 1;
  private stopped = false;
  /** Released buffers by byte length, waiting for a task whose kernel makes outputs that size. */
  private readonly spares = new Map<number, SharedArrayBuffer[]>();
  private spareBytes = 0;
  /** Byte lengths of the shared buffers each kernel returned last time. */
  private readonly outputSizes = new Map<string, number[]>();
  /** Ids of computations' cancel flags (a shared buffer is costly to post with every task). */
  private readonly flagIds = new WeakMap<Int32Array, number>();
  private nextFlagId = 1;
  /** Buffers that a result shares with an argument: never handed out for reuse. */
  private readonly pinned = new WeakSet<SharedArrayBuffer>();

  constructor(options: WorkerPoolOptions = {}) {
    const n = options.workers ?? availableParallelism();
    if (!Number.isInteger(n) || n < 1)
      throw new ComputeError("INVALID_ARGUMENT", `workers must be >= 1, got ${n}`);
    this.size = n;
    this.slots = n * (options.pipeline ?? 2);
  }

  /** Start the threads (done lazily by the first task otherwise). */
  start(): void {
    if (this.stopped) throw new ComputeError("INVALID_ARGUMENT", "worker pool was stopped");
    while (this.workers.length < this.size) this.workers.push(this.spawn());
  }

  /** Terminate every thread; tasks in flight reject with `WORKER_DIED`. */
  async stop(): Promise<void> {
    this.stopped = true;
    const ws = this.workers.splice(0);
    await Promise.all(ws.map((s) => s.worker.terminate()));
  }

  execute(task: ReadyTask): Promise<unknown> {
    if (this.workers.length < this.size) this.start();
    let best = this.workers[0] as Slot;
    for (const s of this.workers) if (s.pending.size < best.pending.size) best = s;
    const id = this.nextId++;
    const slot = best;
    const kernelId = `${task.kernel.module}#${task.kernel.name}`;
    const spares: SharedArrayBuffer[] = [];
    for (const size of this.outputSizes.get(kernelId) ?? []) {
      const b = this.spares.get(size)?.pop();
      if (b === undefined) continue;
      this.spareBytes -= size;
      spares.push(b);
    }
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject, args: task.args, kernelId });
      if (slot.pending.size === 1) slot.worker.ref();
      const msg: ToWorker = {
        type: "run",
        id,
        key: task.key,
        kernel: task.kernel,
        args: task.args,
        params: task.params,
        spares,
        flagId: this.flagFor(slot, task.cancelFlag),
      };
      try {
        slot.worker.postMessage(msg);
      } catch (err) {
        slot.pending.delete(id);
        reject(err);
      }
    });
  }

  private flagFor(slot: Slot, flag: Int32Array | undefined): number | undefined {
    if (flag === undefined) return undefined;
    let id = this.flagIds.get(flag);
    if (id === undefined) {
      id = this.nextFlagId++;
      this.flagIds.set(flag, id);
    }
    if (!slot.flags.has(id)) {
      slot.flags.add(id);
      if (slot.flags.size > 64) slot.flags.delete(slot.flags.values().next().value as number);
      slot.worker.postMessage({ type: "flag", id, flag } satisfies ToWorker);
    }
    return id;
  }

  /** Queue the buffers of a released result for reuse by the next task's worker. */
  release(value: unknown): void {
    for (const b of sharedBuffers(value)) {
      if (b.byteLength < SPARE_MIN_BYTES || this.pinned.has(b)) continue;
      if (this.spareBytes + b.byteLength > SPARE_CAPACITY) return;
      let list = this.spares.get(b.byteLength);
      if (list === undefined) {
        list = [];
        this.spares.set(b.byteLength, list);
      }
      list.push(b);
      this.spareBytes += b.byteLength;
    }
  }

  private spawn(): Slot {
    const worker = createWorker();
    const slot: Slot = { worker, pending: new Map(), flags: new Set() };
    worker.unref();
    worker.on("message", (m: FromWorker) => {
      if (m.type === "ready") return;
      const p = slot.pending.get(m.id);
      if (p === undefined) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) worker.unref();
      if (m.type === "done") {
        const sizes = sharedBuffers(m.value).map((b) => b.byteLength);
        if (sizes.length > 0) this.outputSizes.set(p.kernelId, sizes);
        if (m.aliased) for (const b of [...p.args, m.value].flatMap(sharedBuffers)) this.pinned.add(b);
        p.resolve(m.value);
      } else {
        const e = deserializeError(m.error);
        p.reject(
          m.error.code === "UNKNOWN_KERNEL" ? new ComputeError("UNKNOWN_KERNEL", e.message, { cause: e }) : e,
        );
      }
    });
    const die = (why: string, cause?: unknown) => {
      const i = this.workers.indexOf(slot);
      if (i >= 0) this.workers.splice(i, 1);
      for (const p of slot.pending.values()) {
        p.reject(new ComputeError("WORKER_DIED", `worker thread ${why}`, { cause }));
      }
      slot.pending.clear();
    };
    worker.on("error", (err) => die("crashed", err));
    worker.on("exit", (code) => die(`exited with code ${code}`));
    return slot;
  }
}

function createWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    // Running from TypeScript sources (tests): load the entry through tsx in the thread.
    const entry = new URL("./worker-main.ts", here).href;
    const tsx = import.meta.resolve("tsx/esm/api");
    const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
    return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), {
      execArgv: ["--conditions=source"],
    });
  }
  return new Worker(new URL("./worker-main.js", here));
}
