/**
 * Placement through queue names. A task goes to the queue of its worker group and the resources
 * it holds (`mc.<group>.<r1>-<n1>_<r2>-<n2>` or `mc.<group>.any`); a worker listens on every queue
 * its group and resources can serve, with per-queue concurrency the number of such tasks its
 * resources allow at once.
 */

import { ComputeError } from "../errors.js";
import type { Annotations } from "../graph.js";

/** Worker group of tasks that name none. */
export const DEFAULT_GROUP = "default";

const NAME = /^[A-Za-z0-9_]+$/;

function check(kind: string, s: string): string {
  if (!NAME.test(s)) {
    throw new ComputeError(
      "INVALID_ARGUMENT",
      `${kind} ${JSON.stringify(s)}: use letters, digits and _ only`,
    );
  }
  return s;
}

/** The queue a task with these annotations goes to. */
export function queueFor(a: Annotations, prefix = "mc"): string {
  const group = check("worker group", a.workerGroup ?? DEFAULT_GROUP);
  const res = Object.entries(a.resources ?? {})
    .filter(([, n]) => n > 0)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  for (const [r, n] of res) {
    check("resource", r);
    if (!Number.isInteger(n))
      throw new ComputeError("INVALID_ARGUMENT", `resource ${r}=${n}: amounts are whole numbers`);
  }
  const tail = res.length === 0 ? "any" : res.map(([r, n]) => `${r}-${n}`).join("_");
  return `${prefix}.${group}.${tail}`;
}

/** Queues a worker serves, with the concurrency for each. */
export function queuesForWorker(
  groups: readonly string[],
  resources: Readonly<Record<string, number>>,
  concurrency: number,
  prefix = "mc",
): { name: string; concurrency: number }[] {
  const names = Object.keys(resources).sort();
  for (const r of names) check("resource", r);
  // Every combination of 0..have amounts of each resource (small: resources are few).
  let combos: Record<string, number>[] = [{}];
  for (const r of names) {
    const have = Math.floor(resources[r] ?? 0);
    const next: Record<string, number>[] = [];
    for (const c of combos) for (let n = 0; n <= have; n++) next.push(n === 0 ? c : { ...c, [r]: n });
    combos = next;
  }
  const out: { name: string; concurrency: number }[] = [];
  for (const g of groups) {
    for (const c of combos) {
      const limits = Object.entries(c).map(([r, n]) => Math.floor((resources[r] ?? 0) / n));
      out.push({
        name: queueFor({ workerGroup: g, resources: c }, prefix),
        concurrency: Math.max(1, Math.min(concurrency, ...limits)),
      });
    }
  }
  return out;
}

/** Parse `io=1,gpu=2` into `{ io: 1, gpu: 2 }`. */
export function parseResources(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (text.trim() === "") return out;
  for (const part of text.split(",")) {
    const m = /^\s*([A-Za-z0-9_]+)\s*=\s*(\d+)\s*$/.exec(part);
    if (m === null) {
      throw new ComputeError(
        "INVALID_ARGUMENT",
        `resources: cannot read ${JSON.stringify(part)}, expected name=count`,
      );
    }
    out[m[1] as string] = Number(m[2]);
  }
  return out;
}
