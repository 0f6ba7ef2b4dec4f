/**
 * Tagged errors of `@meridian/compute`. Every failure is a {@link ComputeError} with a literal
 * `code`; errors about one task name it (`task`) and its input keys (`inputs`).
 */

/** Every code a {@link ComputeError} can carry. */
export type ComputeErrorCode =
  /** The graph has a dependency cycle; `task` is one task on it, `cycle` the keys around it. */
  | "CYCLE"
  /** A task refers to a key that is not in the graph; `task` names the referring task. */
  | "MISSING_DEPENDENCY"
  /** A requested output key is not in the graph. */
  | "UNKNOWN_KEY"
  /** A task's kernel module or export could not be loaded, or the export is not a kernel. */
  | "UNKNOWN_KERNEL"
  /** A task spec is malformed (bad kernel reference, bad argument, bad annotation). */
  | "INVALID_TASK"
  /** A kernel threw; `cause` carries the kernel's error (code, message, stack). */
  | "TASK_FAILED"
  /** The computation was cancelled through its AbortSignal. */
  | "CANCELLED"
  /** A worker thread or process ended while it held a task. */
  | "WORKER_DIED"
  /** The distributed backend (Redis, scratch store) failed or is unreachable. */
  | "BACKEND"
  /** An argument to the API is outside its domain. */
  | "INVALID_ARGUMENT";

/** The portable shape of an error crossing a thread or process boundary. */
export interface SerializedError {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
  readonly stack?: string;
}

/** Options shared by every {@link ComputeError}. */
export interface ComputeErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Key of the task concerned. */
  task?: string;
  /** Keys of the task's inputs (its dependencies), in argument order. */
  inputs?: readonly string[];
  /** For `CYCLE`: the keys that form the cycle, first key repeated at the end. */
  cycle?: readonly string[];
}

/** Base class of every error thrown by `@meridian/compute`. */
export class ComputeError<C extends ComputeErrorCode = ComputeErrorCode> extends Error {
  /** Stable machine-readable tag. */
  readonly code: C;
  /** Key of the task concerned, when one is. */
  readonly task: string | undefined;
  /** Input keys of that task, in argument order. */
  readonly inputs: readonly string[] | undefined;
  /** The keys around a dependency cycle (`CYCLE` only). */
  readonly cycle: readonly string[] | undefined;

  constructor(code: C, message: string, options: ComputeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ComputeError";
    this.code = code;
    this.task = options.task;
    this.inputs = options.inputs;
    this.cycle = options.cycle;
  }
}

/** True when `err` is a {@link ComputeError}, optionally with the given `code`. */
export function isComputeError<C extends ComputeErrorCode>(err: unknown, code?: C): err is ComputeError<C> {
  return err instanceof ComputeError && (code === undefined || err.code === code);
}

/** Reduce any thrown value to its portable shape (for postMessage and Redis). */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      name: err.name,
      ...(typeof code === "string" ? { code } : {}),
      message: err.message,
      ...(err.stack === undefined ? {} : { stack: err.stack }),
    };
  }
  return { name: "Error", message: String(err) };
}

/** Rebuild an Error from its portable shape, keeping name, code and the remote stack. */
export function deserializeError(e: SerializedError): Error {
  const err = new Error(e.message) as Error & { code?: string };
  err.name = e.name;
  if (e.code !== undefined) err.code = e.code;
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}

/** The error for a task whose kernel threw: names the task, its kernel and its inputs. */
export function taskFailed(
  task: string,
  kernel: string,
  inputs: readonly string[],
  cause: unknown,
): ComputeError {
  const why = cause instanceof Error ? cause.message : String(cause);
  const from =
    inputs.length === 0 ? "no inputs" : `inputs ${inputs.map((k) => JSON.stringify(k)).join(", ")}`;
  return new ComputeError("TASK_FAILED", `task ${JSON.stringify(task)} (${kernel}, ${from}) failed: ${why}`, {
    task,
    inputs,
    cause,
  });
}
