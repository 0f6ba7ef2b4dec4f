import { ComputeError } from "../errors.js";

/** ioredis options BullMQ needs, from a `redis://[user:password@]host[:port][/db]` URL. */
export interface RedisConnectionOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  /** BullMQ's blocking connections require null. */
  maxRetriesPerRequest: null;
}

/** Parse a Redis URL into connection options. */
export function redisOptions(url: string): RedisConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch (cause) {
    throw new ComputeError("INVALID_ARGUMENT", `redis URL ${JSON.stringify(url)} is not a URL`, { cause });
  }
  if (u.protocol !== "redis:") {
    throw new ComputeError(
      "INVALID_ARGUMENT",
      `redis URL ${JSON.stringify(url)}: only redis:// is supported`,
    );
  }
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  if (db !== undefined && !Number.isInteger(db)) {
    throw new ComputeError("INVALID_ARGUMENT", `redis URL ${JSON.stringify(url)}: database must be a number`);
  }
  return {
    host: u.hostname || "127.0.0.1",
    port: u.port === "" ? 6379 : Number(u.port),
    ...(u.username === "" ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.password === "" ? {} : { password: decodeURIComponent(u.password) }),
    ...(db === undefined ? {} : { db }),
    maxRetriesPerRequest: null,
  };
}

/**
 * Fail fast with a `BACKEND` error when Redis does not answer PING within `timeoutMs`
 * (BullMQ itself would retry forever).
 */
export async function probeRedis(url: string, timeoutMs = 3000): Promise<void> {
  const { Redis } = await import("ioredis");
  const o = redisOptions(url);
  const r = new Redis({
    ...o,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  r.on("error", () => undefined);
  try {
    await r.connect();
    await r.ping();
  } catch (cause) {
    throw new ComputeError("BACKEND", `cannot reach Redis at ${o.host}:${o.port}`, { cause });
  } finally {
    r.disconnect();
  }
}
