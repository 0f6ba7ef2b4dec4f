import { parseResources, startWorker } from "@meridian/compute/node";
import type { Command } from "commander";
import { UsageError } from "../cli-error.js";

interface WorkerCliOptions {
  redis: string;
  resources: string;
  group?: string[];
  concurrency: string;
  lockMs: string;
  prefix: string;
  allowModule?: string[];
  scratch?: string;
  verbose?: boolean;
}

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a whole number >= 1, got ${text}`);
  return n;
}

/** Register `meridian worker`: serve distributed compute tasks from BullMQ on Redis. */
export function registerWorkerCommands(program: Command): void {
  program
    .command("worker")
    .description("run tasks of distributed computations (BullMQ on Redis) until SIGINT/SIGTERM")
    .requiredOption("--redis <url>", "Redis URL, e.g. redis://127.0.0.1:6379")
    .option("--resources <list>", "resources this worker has, e.g. io=1,gpu=1", "")
    .option("--group <name...>", "worker groups served (default: default)")
    .option("--concurrency <n>", "tasks at once per queue", "1")
    .option("--lock-ms <ms>", "job lock: a dead worker's task is retried after about this long", "30000")
    .option("--prefix <name>", "queue name prefix (coordinator and workers must agree)", "mc")
    .option(
      "--allow-module <prefix...>",
      "kernel module specifiers this worker may import, by prefix (default: @meridian/)",
    )
    .option("--scratch <dir>", "the only shared scratch directory jobs may use")
    .option("--verbose", "print a line per task started and finished (stderr)")
    .action(async (o: WorkerCliOptions) => {
      const handle = await startWorker({
        redis: o.redis,
        resources: parseResources(o.resources),
        ...(o.group === undefined ? {} : { groups: o.group }),
        concurrency: positiveInt("concurrency", o.concurrency),
        lockDuration: positiveInt("lock-ms", o.lockMs),
        prefix: o.prefix,
        ...(o.allowModule === undefined ? {} : { allowModules: ["@meridian/", ...o.allowModule] }),
        ...(o.scratch === undefined ? {} : { scratchDir: o.scratch }),
        ...(o.verbose ? { onTask: (e) => process.stderr.write(`${e.event} ${e.key}\n`) } : {}),
      });
      process.stderr.write(`meridian worker ${process.pid} serving ${handle.queues.join(", ")}\n`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      process.stderr.write(`meridian worker ${process.pid} stopping\n`);
      await handle.close();
    });
}
