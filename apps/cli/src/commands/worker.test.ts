import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ref, type TaskSpec, task } from "@meridian/compute";
import { combineMoments, fail, fill, moments, sleep } from "@meridian/compute/kernels";
import { computeDistributed, probeRedis } from "@meridian/compute/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureDebianTool } from "../../../../test/debian-tools.js";
import { repoFixture } from "../../../../test/paths.js";

const REDIS = process.env.MERIDIAN_TEST_REDIS ?? "redis://127.0.0.1:6379/0";
const repoRoot = join(import.meta.dirname, "..", "..", "..", "..");

/** Redis reachable? Under CI=true try to start a local redis-server, and fail loudly if impossible. */
async function redisAvailable(): Promise<string | null> {
  try {
    await probeRedis(REDIS, 1500);
    return null;
  } catch (err) {
    if (process.env.CI !== "true") return `Redis not reachable at ${REDIS}: ${(err as Error).message}`;
    const server = ensureDebianTool("redis-server", "redis-server");
    if (server === null)
      throw new Error(`CI=true but Redis is not reachable at ${REDIS} and cannot be installed`);
    spawnSync(server, ["--daemonize", "yes"], { stdio: "inherit" });
    await new Promise((r) => setTimeout(r, 500));
    await probeRedis(REDIS, 3000); // throws: CI must have Redis
    return null;
  }
}

const skipReason = await redisAvailable();
if (skipReason !== null) console.warn(`worker.test.ts skipped: ${skipReason}`);

interface Started {
  proc: ChildProcess;
  log: string[];
}

function startWorkerProcess(prefix: string, extra: readonly string[] = []): Promise<Started> {
  const proc = spawn(
    process.execPath,
    [
      "--conditions=source",
      "--import",
      "tsx",
      "apps/cli/src/main.ts",
      "worker",
      "--redis",
      REDIS,
      "--prefix",
      prefix,
      "--lock-ms",
      "2000",
      "--verbose",
      ...extra,
    ],
    { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] },
  );
  const log: string[] = [];
  return new Promise((resolve, reject) => {
    let buf = "";
    proc.stderr?.on("data", (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const l of lines) {
        log.push(l);
        if (l.includes(" serving ")) resolve({ proc, log });
      }
    });
    proc.on("exit", (code) => reject(new Error(`worker exited early (${code}): ${log.join("\n")}`)));
  });
}

const procs: ChildProcess[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  for (const p of procs) if (p.exitCode === null) p.kill("SIGTERM");
  if (prefixes.length === 0) return;
  // Drop the BullMQ keys of this file's queues.
  const { Redis } = await import("ioredis");
  const r = new Redis(REDIS);
  for (const prefix of prefixes) {
    const keys = await r.keys(`bull:${prefix}.*`);
    if (keys.length > 0) await r.del(...keys);
  }
  r.disconnect();
});

const oracle = JSON.parse(readFileSync(repoFixture("compute", "expected", "moments.json"), "utf8")) as {
  cases: Record<string, { seeds: number[]; n: number; count: number; mean: number; m2: number }>;
};

describe.skipIf(skipReason !== null)("meridian worker (BullMQ on Redis)", () => {
  // Five worker processes for the whole file, started together: three plain ones (one of them
  // gets killed), one with a gpu, one serving only the group "big".
  const prefix = `t${process.pid}w${Date.now() % 100000}`;
  prefixes.push(prefix);
  let plain: Started[] = [];
  let gpu: Started;
  let big: Started;
  beforeAll(async () => {
    const all = await Promise.all([
      startWorkerProcess(prefix),
      startWorkerProcess(prefix),
      startWorkerProcess(prefix),
      startWorkerProcess(prefix, ["--resources", "gpu=1"]),
      startWorkerProcess(prefix, ["--group", "big"]),
    ]);
    procs.push(...all.map((w) => w.proc));
    plain = all.slice(0, 3);
    gpu = all[3]!;
    big = all[4]!;
  }, 120_000);

  test("three workers, one killed with SIGKILL mid-graph: the result is complete and agrees with numpy", async () => {
    const want = oracle.cases.kill!;
    const workers = plain;
    const scratchDir = mkdtempSync(join(tmpdir(), "compute-scratch-"));
    const g: Record<string, TaskSpec> = {};
    const parts = [];
    for (const i of want.seeds) {
      // 1 MiB float32 chunks: above the inline limit, so they travel through the scratch directory.
      g[`x${i}`] = task(fill, [], { dtype: "float32", shape: [want.n], seed: i });
      g[`s${i}`] = task(sleep, [ref(`x${i}`)], { ms: 250 });
      g[`m${i}`] = task(moments, [ref(`s${i}`)]);
      parts.push(ref(`m${i}`));
    }
    g.all = task(combineMoments, parts);
    const victim = workers[0]!;
    let killedDuring: string | null = null;
    let last = { done: 0, total: 0 };
    const result = computeDistributed(g, ["all"], {
      redis: REDIS,
      scratchDir,
      prefix,
      slots: 6,
      onProgress: (p) => {
        last = p;
        if (killedDuring !== null || p.done < 6) return;
        // Kill the victim while it holds a task: a "start" line with no "done" after it.
        const started = victim.log.filter((l) => l.startsWith("start ")).map((l) => l.slice(6));
        const finished = new Set(victim.log.filter((l) => l.startsWith("done ")).map((l) => l.slice(5)));
        const holding = started.find((k) => !finished.has(k));
        if (holding !== undefined) {
          killedDuring = holding;
          victim.proc.kill("SIGKILL");
        }
      },
    });
    const [all] = (await result) as [{ count: number; mean: number; m2: number }];
    expect(killedDuring).not.toBeNull();
    expect(
      victim.proc.signalCode ?? (await new Promise((r) => victim.proc.once("exit", (_c, s) => r(s)))),
    ).toBe("SIGKILL");
    // The task the victim held was run again by a survivor.
    const rerun = [workers[1]!, workers[2]!, gpu].some((w) => w.log.includes(`done ${killedDuring}`));
    expect(rerun).toBe(true);
    expect(last.done).toBe(last.total);
    expect(all.count).toBe(want.count);
    expect(Math.abs(all.mean - want.mean) / want.mean).toBeLessThan(1e-12);
    expect(Math.abs(all.m2 - want.m2) / want.m2).toBeLessThan(1e-12);
    // Scratch files of this run are gone.
    expect(readdirSync(scratchDir)).toEqual([]);
    rmSync(scratchDir, { recursive: true, force: true });
  }, 60_000);

  test("a failing kernel on a worker names the task and its inputs", async () => {
    const scratchDir = mkdtempSync(join(tmpdir(), "compute-scratch-"));
    const g = {
      a: task(fill, [], { dtype: "float32", shape: [4], seed: 1 }),
      b: task(fail, [ref("a")], { message: "bad pixel" }),
    };
    await expect(computeDistributed(g, ["b"], { redis: REDIS, scratchDir, prefix })).rejects.toMatchObject({
      code: "TASK_FAILED",
      task: "b",
      inputs: ["a"],
      message: 'task "b" (@meridian/compute/kernels#fail, inputs "a") failed: bad pixel',
    });
    // Workers import only kernel modules they trust (default: @meridian/ packages).
    const untrusted = { k: { kernel: { module: "file:///tmp/evil.mjs", name: "x" } } };
    await expect(
      computeDistributed(untrusted, ["k"], { redis: REDIS, scratchDir, prefix }),
    ).rejects.toMatchObject({
      code: "UNKNOWN_KERNEL",
      task: "k",
      message:
        'task "k" (file:///tmp/evil.mjs#x): kernel module "file:///tmp/evil.mjs" is not allowed on this worker ' +
        "(allowed: @meridian/; see --allow-module)",
    });
    rmSync(scratchDir, { recursive: true, force: true });
  }, 30_000);

  test("annotations place tasks: resources and worker groups reach only workers that have them", async () => {
    const gpuBefore = gpu.log.length;
    const bigBefore = big.log.length;
    const plainBefore = plain.map((w) => w.log.length);
    const scratchDir = mkdtempSync(join(tmpdir(), "compute-scratch-"));
    const g: Record<string, TaskSpec> = {};
    for (let i = 0; i < 4; i++) {
      g[`gpu${i}`] = task(sleep, [i], { ms: 50 }, { resources: { gpu: 1 } });
      g[`big${i}`] = task(sleep, [i], { ms: 50 }, { workerGroup: "big" });
    }
    const out = await computeDistributed(g, Object.keys(g), { redis: REDIS, scratchDir, prefix });
    expect(out).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    const ran = (w: Started, from: number) =>
      w.log
        .slice(from)
        .filter((l) => l.startsWith("done "))
        .map((l) => l.slice(5))
        .sort();
    expect(ran(gpu, gpuBefore)).toEqual(["gpu0", "gpu1", "gpu2", "gpu3"]);
    expect(ran(big, bigBefore)).toEqual(["big0", "big1", "big2", "big3"]);
    for (const [i, w] of plain.entries()) expect(ran(w, plainBefore[i]!)).toEqual([]);
    rmSync(scratchDir, { recursive: true, force: true });
  }, 30_000);
});
