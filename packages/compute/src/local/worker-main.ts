// Entry of a local worker thread: runs tasks the pool sends, one at a time, in arrival order.
import { parentPort } from "node:worker_threads";
import { allocateChunk } from "../chunk.js";
import { serializeError } from "../errors.js";
import { loadKernel } from "../kernel-loader.js";
import type { FromWorker, ToWorker } from "./protocol.js";

const port = parentPort;
if (port === null) throw new Error("worker-main must run in a worker thread");

let queue: Promise<void> = Promise.resolve();

port.on("message", (msg: ToWorker) => {
  if (msg.type === "stop") {
    port.close();
    return;
  }
  queue = queue.then(() => runOne(msg));
});

async function runOne(msg: Extract<ToWorker, { type: "run" }>): Promise<void> {
  let reply: FromWorker;
  try {
    const kernel = await loadKernel(msg.kernel);
    const value = await kernel.run(msg.args, msg.params, { key: msg.key, allocate: allocateChunk });
    reply = { type: "done", id: msg.id, value };
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
