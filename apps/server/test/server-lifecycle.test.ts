/** startServer end to end on a real port: first start, restart keeps data, graceful shutdown. */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { loadConfig } from "../src/config.js";
import { PUBLIC } from "../src/http/policy.js";
import { type RunningServer, startServer } from "../src/server.js";

// A first start runs initdb inside PGlite's WASM build: seconds alone, much longer on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "meridian-home-"));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

const env = () => ({
  MERIDIAN_HOME: home,
  PORT: "0",
  LOG_LEVEL: "silent",
  MERIDIAN_WEB_DIR: join(home, "no-web"),
});

async function json(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

describe("first start and restart on the same MERIDIAN_HOME", () => {
  let secret: string;

  test("first start: PGlite on disk, admin and demo users, password file, data created", async () => {
    const server = await startServer(loadConfig(env()), { handleSignals: false });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.database.kind).toBe("pglite");
      const first = server.firstStart!;
      expect(first).toMatchObject({
        adminUsername: "admin",
        adminPasswordSource: "generated",
        demoUsername: "demo",
      });
      expect(first.adminPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
      expect(server.adminPasswordFile).toBe(join(home, "initial-admin-password"));
      expect(await readFile(server.adminPasswordFile!, "utf8")).toBe(`${first.adminPassword}\n`);
      expect((await stat(join(home, "db"))).isDirectory()).toBe(true);
      expect((await stat(join(home, "storage"))).isDirectory()).toBe(true);

      const health = await json(`${server.url}/api/health`);
      expect(health).toMatchObject({ status: 200, body: { status: "ok", database: "pglite" } });

      const login = await fetch(`${server.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: first.adminPassword }),
      });
      expect(login.status).toBe(200);
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
      const created = await json(`${server.url}/api/apikeys`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, "x-csrf-token": csrfToken },
        body: JSON.stringify({ name: "persisted", scopes: ["admin"] }),
      });
      expect(created.status).toBe(201);
      secret = created.body.secret as string;
      await server.storage.put("demo/hello.txt", Readable.from([Buffer.from("hello, sky")]));
      const demoLogin = await json(`${server.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "demo", password: first.demoPassword }),
      });
      expect(demoLogin.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  test("second start: no new credentials, the key and users are still there", async () => {
    const server = await startServer(loadConfig(env()), { handleSignals: false });
    try {
      expect(server.firstStart).toBeNull();
      expect(server.adminPasswordFile).toBe(join(home, "initial-admin-password"));
      const users = await json(`${server.url}/api/users`, { headers: { authorization: `Bearer ${secret}` } });
      expect(users.status).toBe(200);
      expect((users.body.items as { username: string }[]).map((u) => u.username)).toEqual(["admin", "demo"]);
      const keys = await json(`${server.url}/api/apikeys`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect((keys.body.items as { name: string }[]).map((k) => k.name)).toEqual(["persisted"]);
      const chunks: Buffer[] = [];
      for await (const chunk of await server.storage.get("demo/hello.txt")) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe("hello, sky");
    } finally {
      await server.close();
    }
  });
});

describe("start-up failure", () => {
  test("a port in use fails start-up with EADDRINUSE and releases the database", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const err = await startServer(loadConfig({ ...env(), PORT: String(port) }), {
        handleSignals: false,
      }).then(
        async (s) => {
          await s.close();
          return undefined;
        },
        (e: unknown) => e as NodeJS.ErrnoException,
      );
      expect(err?.code).toBe("EADDRINUSE");
    } finally {
      await new Promise((r) => blocker.close(r));
    }
    // The same MERIDIAN_HOME opens again at once: nothing was left holding it.
    const again = await startServer(loadConfig(env()), { handleSignals: false });
    await again.close();
  });
});

describe("graceful shutdown", () => {
  let server: RunningServer;
  test("SIGTERM lets an in-flight request finish, refuses new ones, then closes", async () => {
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => {
      entered = r;
    });
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    const before = process.listenerCount("SIGTERM");
    expect(before).toBe(0);
    server = await startServer(loadConfig(env()), {
      extend: (app) => {
        app.get("/api/test/slow", { config: { policy: PUBLIC } }, async () => {
          entered();
          await released;
          return { finished: true };
        });
      },
    });
    expect(process.listenerCount("SIGTERM")).toBe(before + 1);

    const slow = fetch(`${server.url}/api/test/slow`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
    await inHandler;
    let closed = false;
    // The worker process has no SIGTERM listener of its own (checked above), so only ours runs.
    process.emit("SIGTERM");
    // close() returns the shutdown the signal started.
    const closing = server.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false);
    // New connections are refused while the slow request is still running.
    const late = await fetch(`${server.url}/api/health`).then(
      (r) => r.status,
      () => "refused",
    );
    expect([503, "refused"]).toContain(late);

    release();
    expect(await slow).toEqual({ status: 200, body: { finished: true } });
    await closing;
    expect(closed).toBe(true);
    expect(process.listenerCount("SIGTERM")).toBe(before);
  });
});
