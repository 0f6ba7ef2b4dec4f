import { describe, expect, it } from "vitest";
import { parseResources, queueFor, queuesForWorker } from "./queues.js";
import { redisOptions } from "./redis-connection.js";

describe("placement by queue", () => {
  it("names a task's queue by group and sorted resources", () => {
    expect(queueFor({})).toBe("mc.default.any");
    expect(queueFor({ workerGroup: "big", resources: { io: 1, gpu: 2, cpu: 0 } })).toBe("mc.big.gpu-2_io-1");
    expect(() => queueFor({ workerGroup: "a.b" })).toThrow(
      'worker group "a.b": use letters, digits and _ only',
    );
    expect(() => queueFor({ resources: { gpu: 0.5 } })).toThrow(
      "resource gpu=0.5: amounts are whole numbers",
    );
  });

  it("lets a worker serve every queue its resources cover, with per-queue concurrency", () => {
    expect(queuesForWorker(["default"], { gpu: 2, io: 1 }, 4)).toEqual([
      { name: "mc.default.any", concurrency: 4 },
      { name: "mc.default.io-1", concurrency: 1 },
      { name: "mc.default.gpu-1", concurrency: 2 },
      { name: "mc.default.gpu-1_io-1", concurrency: 1 },
      { name: "mc.default.gpu-2", concurrency: 1 },
      { name: "mc.default.gpu-2_io-1", concurrency: 1 },
    ]);
    // A task's queue is among the queues of a worker that has what it needs.
    const serves = queuesForWorker(["default"], { gpu: 2, io: 1 }, 1).map((q) => q.name);
    expect(serves).toContain(queueFor({ resources: { io: 1, gpu: 1 } }));
    expect(serves).not.toContain(queueFor({ resources: { gpu: 3 } }));
  });

  it("parses --resources and Redis URLs, rejecting bad ones", () => {
    expect(parseResources("io=1, gpu=2")).toEqual({ io: 1, gpu: 2 });
    expect(parseResources("")).toEqual({});
    expect(() => parseResources("gpu")).toThrow('resources: cannot read "gpu", expected name=count');
    expect(redisOptions("redis://u:p%40ss@h:6380/3")).toEqual({
      host: "h",
      port: 6380,
      username: "u",
      password: "p@ss",
      db: 3,
      maxRetriesPerRequest: null,
    });
    expect(() => redisOptions("http://h")).toThrow('redis URL "http://h": only redis:// is supported');
    expect(() => redisOptions("nope")).toThrow('redis URL "nope" is not a URL');
  });
});
