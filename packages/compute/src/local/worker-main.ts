// Entry of a local worker thread: runs tasks the pool sends, one at a time, in arrival order.
import { parentPort } from "node:worker_threads";
import { BufferPool, sharedBuffers } from "../chunk.js";
import { serializeError } from "../errors.js";
import { loadKernel } from "../kernel-loader.js";
import type { FromWorker, ToWorker } from "./protocol.js";

const port = parentPort;
if (port === null) throw new Error("worker-main must run in a worker thread");

// Recycled output buffers; bounded so an idle worker does not sit on much memory.
const buffers = new BufferPool(256 * 1024 * 1024);
const allocate = buffers.allocate.bind(buffers);
let queue: Promise<void> = Promise.resolve();
const flags = new Map<number, Int32Array>();

port.on("message", (msg: ToWorker) => {
  if (msg.type === "stop") {
    port.close();
    return;
  }
  if (msg.type === "flag") {
    flags.set(msg.id, msg.flag);
    // Keep the flags of recent computations only.
    if (flags.size > 64) flags.delete(flags.keys().next().value as number);
    return;
  }
  queue = queue.then(() => runOne(msg));
});

async function runOne(msg: Extract<ToWorker, { type: "run" }>): Promise<void> {
  for (const b of msg.spares) buffers.give(b);
  let reply: FromWorker;
  try {
    const kernel = await loadKernel(msg.kernel);
    const flag = msg.flagId === undefined ? undefined : flags.get(msg.flagId);
    const cancelled = flag === undefined ? undefined : () => Atomics.load(flag, 0) === 1;
    const value = await kernel.run(msg.args, msg.params, {
      key: msg.key,
      allocate,
      ...(cancelled === undefined ? {} : { cancelled }),
    });
    const inputs = new Set(msg.args.flatMap(sharedBuffers));
    const aliased = sharedBuffers(value).some((b) => inputs.has(b));
    reply = { type: "done", id: msg.id, value, aliased };
  } catch (err) {
    reply = { type: "error", id: msg.id, error: serializeError(err) };
  }
  try {
    port?.postMessage(reply);
  } catch (err) {
    port?.postMessage({ type: "error", id: msg.id, error: serializeError(err) } satisfies FromWorker);
  }
}

port.postMessage({ type: "ready" } satisfies FromWorker);
