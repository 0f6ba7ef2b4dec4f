/**
 * Kernels: named functions a task runs. A kernel is defined in a module and exported under a name;
 * tasks refer to it by `{ module, name }`, so the same graph runs on any thread or host that can
 * import that module. Never a closure.
 */

import { allocateChunk, type Chunk, type Dtype, isChunk, type TypedArray } from "./chunk.js";
import { ComputeError } from "./errors.js";
import type { Annotations, JsonValue, KernelRef, TaskArg, TaskSpec } from "./graph.js";

/** What a kernel gets besides its arguments. */
export interface KernelContext {
  /** Key of the task being run. */
  readonly key: string;
  /**
   * Allocate an output chunk on shared memory, possibly on a recycled buffer: its contents are
   * unspecified, so write every element (use `allocateChunk` for a zeroed one).
   */
  allocate<D extends Dtype>(dtype: D, shape: readonly number[]): Chunk<D>;
  /**
   * True once the computation was cancelled or another task failed: a long kernel may poll it
   * and stop (throw or return anything; the result is dropped). Absent when nobody can cancel.
   */
  readonly cancelled?: () => boolean;
}

/** A general kernel: any values in, one structured-cloneable value out. */
export interface GeneralKernelDefinition {
  /** `combine`: associative and variadic (`f(a,b,c) = f(f(a,b),c)`), so wide calls become trees. */
  readonly kind?: "general" | "combine";
  run(args: readonly unknown[], params: JsonValue | undefined, ctx: KernelContext): unknown;
}

/**
 * An element-wise kernel: writes `out[i]` from `inputs[j][i]` only. Chains of these fuse into
 * one pass over memory, run block by block on cache-sized slices.
 */
export interface ElementwiseKernelDefinition {
  readonly kind: "elementwise";
  /** Output dtype from the dtypes of the chunk arguments (default: the first chunk's dtype). */
  dtype?(inputs: readonly Dtype[], params: JsonValue | undefined): Dtype;
  /**
   * Compute one slice: `out` and every array in `inputs` have the same length (numbers are
   * scalar arguments). Complex dtypes are interleaved (re, im).
   */
  apply(out: TypedArray, inputs: readonly (TypedArray | number)[], params: JsonValue | undefined): void;
}

/** A kernel definition, general or element-wise. */
export type KernelDefinition = GeneralKernelDefinition | ElementwiseKernelDefinition;

/** A registered kernel: its address plus the callable definition. */
export interface Kernel {
  readonly ref: KernelRef;
  readonly definition: KernelDefinition;
  /** Run on whole values (element-wise kernels allocate their output chunk). */
  run(args: readonly unknown[], params: JsonValue | undefined, ctx: KernelContext): unknown;
}

const KERNEL = Symbol.for("meridian.compute.kernel");

/**
 * Register a kernel. Call at module top level and export the result under `name`:
 *
 * ```ts
 * export const scale = defineKernel(import.meta.url, "scale", {
 *   kind: "elementwise",
 *   apply(out, [x], p) { const k = p as number; const a = x as Float32Array; for (let i = 0; i < a.length; i++) out[i] = a[i]! * k; },
 * });
 * ```
 *
 * `module` is how workers import it: `import.meta.url` for a file, or a bare package specifier.
 */
export function defineKernel(module: string, name: string, definition: KernelDefinition): Kernel {
  const kind = definition.kind ?? "general";
  const ref: KernelRef = { module, name, kind };
  const run =
    definition.kind === "elementwise"
      ? (args: readonly unknown[], params: JsonValue | undefined, ctx: KernelContext) =>
          runElementwise(ref, definition, args, params, ctx)
      : definition.run.bind(definition);
  const kernel: Kernel = { ref, definition, run };
  Object.defineProperty(kernel, KERNEL, { value: true });
  return kernel;
}

/** True when `x` was made by {@link defineKernel}. */
export function isKernel(x: unknown): x is Kernel {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[KERNEL] === true;
}

/** Build a task for `kernel`. */
export function task(
  kernel: Kernel | KernelRef,
  args: readonly TaskArg[] = [],
  params?: JsonValue,
  annotations?: Annotations,
): TaskSpec {
  const k = isKernel(kernel) ? kernel.ref : kernel;
  return {
    kernel: k,
    args,
    ...(params === undefined ? {} : { params }),
    ...(annotations === undefined ? {} : { annotations }),
  };
}

function runElementwise(
  ref: KernelRef,
  def: ElementwiseKernelDefinition,
  args: readonly unknown[],
  params: JsonValue | undefined,
  ctx: KernelContext | undefined,
): Chunk {
  const chunks = args.filter(isChunk);
  const first = chunks[0];
  if (first === undefined) {
    throw new ComputeError(
      "INVALID_ARGUMENT",
      `element-wise kernel ${ref.name} needs at least one chunk argument`,
    );
  }
  const n = first.data.length;
  const inputs = args.map((a, i) => {
    if (isChunk(a)) {
      if (a.data.length !== n) {
        throw new ComputeError(
          "INVALID_ARGUMENT",
          `element-wise kernel ${ref.name}: argument ${i} has shape [${a.shape.join(", ")}], expected [${first.shape.join(", ")}]`,
        );
      }
      return a.data;
    }
    if (typeof a === "number") return a;
    throw new ComputeError(
      "INVALID_ARGUMENT",
      `element-wise kernel ${ref.name}: argument ${i} is neither a chunk nor a number`,
    );
  });
  const out = (ctx?.allocate ?? allocateChunk)(
    def.dtype?.(
      chunks.map((c) => c.dtype),
      params,
    ) ?? first.dtype,
    first.shape,
  );
  def.apply(out.data, inputs, params);
  return out;
}
