import { ComputeError } from "./errors.js";
import type { KernelRef } from "./graph.js";
import { isKernel, type Kernel } from "./kernel.js";

const cache = new Map<string, Promise<Kernel>>();

/**
 * Import the module of `ref` and return its exported kernel; cached per module and name.
 * Fails with `UNKNOWN_KERNEL` when the module does not load or the export is not a kernel.
 */
export function loadKernel(ref: KernelRef): Promise<Kernel> {
  const id = `${ref.module}#${ref.name}`;
  let p = cache.get(id);
  if (p === undefined) {
    p = importKernel(ref);
    cache.set(id, p);
    p.catch(() => cache.delete(id));
  }
  return p;
}

async function importKernel(ref: KernelRef): Promise<Kernel> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(ref.module)) as Record<string, unknown>;
  } catch (cause) {
    throw new ComputeError(
      "UNKNOWN_KERNEL",
      `kernel module ${JSON.stringify(ref.module)} could not be imported`,
      {
        cause,
      },
    );
  }
  const k = mod[ref.name];
  if (!isKernel(k)) {
    throw new ComputeError(
      "UNKNOWN_KERNEL",
      `module ${JSON.stringify(ref.module)} has no kernel exported as ${JSON.stringify(ref.name)}`,
    );
  }
  return k;
}
