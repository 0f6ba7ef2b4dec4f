import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { isStorageError, type StorageErrorCode } from "./errors.js";
import { LocalStorage } from "./local-storage.js";
import { TEMP_DIR_NAME } from "./storage-key.js";

let sandbox: string;
let root: string;
let storage: LocalStorage;

beforeEach(async () => {
  sandbox = await mkdtemp(join(tmpdir(), "meridian-storage-"));
  root = join(sandbox, "store");
  storage = new LocalStorage(root);
});

afterEach(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

/** Deterministic pseudo-random bytes (mulberry32), so failures reproduce. */
function bytes(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let a = seed >>> 0;
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return out;
}

async function* chunked(data: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let offset = 0;
  let i = 0;
  while (offset < data.byteLength) {
    const size = sizes[i++ % sizes.length]!;
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Compare bytes by length and hash: a deep equality over megabytes is far too slow. */
function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect({ size: actual.byteLength, sha256: sha256(actual) }).toEqual({
    size: expected.byteLength,
    sha256: sha256(expected),
  });
}

async function tempFiles(): Promise<string[]> {
  return readdir(join(root, TEMP_DIR_NAME));
}

async function expectCode(promise: Promise<unknown>, code: StorageErrorCode): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (!isStorageError(err, code)) throw err;
    return err;
  }
  throw new Error(`expected a StorageError ${code}`);
}

describe("LocalStorage put/get", () => {
  test("round trip: bytes and sha256 equal node:crypto's for small, large and mixed chunks", async () => {
    const cases: [number, number[]][] = [
      [0, [1]],
      [1, [1]],
      [100_000, [1, 7, 4096]],
      [3_000_000, [300_000]],
      [2_500_000, [10, 600_000, 65_536, 1_048_576]],
    ];
    for (const [index, [length, sizes]] of cases.entries()) {
      const data = bytes(length, index + 1);
      const key = `round/${index}.bin`;
      const result = await storage.put(key, chunked(data, sizes));
      expect(result).toEqual({ key, size: length, sha256: sha256(data) });
      expect(sha256(await readAll(await storage.get(key)))).toBe(sha256(data));
      expectBytes(await readFile(join(root, "round", `${index}.bin`)), data);
    }
    expect(await tempFiles()).toEqual([]);
  });

  test("accepts Readable sources and reuse of the producer's buffer", async () => {
    const data = bytes(500_000, 9);
    await writeFile(join(sandbox, "in.bin"), data);
    const fromFile = await storage.put("f.bin", createReadStream(join(sandbox, "in.bin")));
    expect(fromFile.sha256).toBe(sha256(data));
    const fromIterable = await storage.put("r.bin", Readable.from(chunked(data, [1000])));
    expect(fromIterable.sha256).toBe(sha256(data));
    // A producer that overwrites one buffer for every chunk.
    async function* reusing(): AsyncGenerator<Uint8Array> {
      const buffer = Buffer.alloc(1000);
      for (let offset = 0; offset < data.length; offset += 1000) {
        data.copy(buffer, 0, offset, offset + 1000);
        yield buffer;
      }
    }
    await storage.put("reuse.bin", reusing());
    expectBytes(await readAll(await storage.get("reuse.bin")), data);
  });

  test("ranged reads return exactly the inclusive byte range", async () => {
    const data = bytes(200_000, 3);
    await storage.put("r", chunked(data, [65_536]));
    const read = async (start: number, end?: number) =>
      readAll(await storage.get("r", end === undefined ? { start } : { start, end }));
    expectBytes(await read(0, 0), data.subarray(0, 1));
    expectBytes(await read(10, 2889), data.subarray(10, 2890));
    expectBytes(await read(199_999), data.subarray(199_999));
    expectBytes(await read(150_000), data.subarray(150_000));
    expectBytes(await read(0, 199_999), data);
  });

  test("out-of-range and malformed ranges are clear errors", async () => {
    await storage.put("r", chunked(bytes(100, 1), [100]));
    const err = await expectCode(storage.get("r", { start: 100 }), "RANGE_NOT_SATISFIABLE");
    expect(err.message).toBe("get r: bytes 100- lie outside the object of 100 bytes");
    expect((err as { size?: number }).size).toBe(100);
    await expectCode(storage.get("r", { start: 5, end: 100 }), "RANGE_NOT_SATISFIABLE");
    await expectCode(storage.get("r", { start: 5, end: 4 }), "RANGE_NOT_SATISFIABLE");
    await expectCode(storage.get("r", { start: -1 }), "INVALID_ARGUMENT");
    await expectCode(storage.get("r", { start: 1.5 }), "INVALID_ARGUMENT");
    await storage.put("empty", chunked(new Uint8Array(0), [1]));
    expect(await readAll(await storage.get("empty"))).toEqual(Buffer.alloc(0));
    await expectCode(storage.get("empty", { start: 0 }), "RANGE_NOT_SATISFIABLE");
  });
});

describe("LocalStorage failed writes leave nothing visible", () => {
  const data = bytes(300_000, 5);

  test("checksum mismatch keeps the previous object", async () => {
    await storage.put("k", chunked(Buffer.from("old"), [3]));
    const err = await expectCode(
      storage.put("k", chunked(data, [4096]), { expectedSha256: "0".repeat(64) }),
      "CHECKSUM_MISMATCH",
    );
    expect(err.message).toBe(
      `put k: sha256 of the 300000 bytes received is ${sha256(data)}, expected ${"0".repeat(64)}`,
    );
    expect((await readAll(await storage.get("k"))).toString()).toBe("old");
    const ok = await storage.put("k", chunked(data, [4096]), { expectedSha256: sha256(data).toUpperCase() });
    expect(ok.size).toBe(300_000);
    expect(await tempFiles()).toEqual([]);
  });

  test("size mismatch, maxBytes, a failing source and non-byte chunks", async () => {
    await expectCode(storage.put("a", chunked(data, [4096]), { expectedSize: 300_001 }), "SIZE_MISMATCH");
    await expectCode(storage.put("a", chunked(data, [4096]), { expectedSize: 1000 }), "SIZE_MISMATCH");
    await expectCode(storage.put("a", chunked(data, [4096]), { maxBytes: 299_999 }), "TOO_LARGE");
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield data.subarray(0, 1000);
      throw new Error("client went away");
    }
    const err = await expectCode(storage.put("a", failing()), "SOURCE_FAILED");
    expect(err.message).toBe("put a: the source failed after 1000 bytes");
    const strings = Readable.from(["text"], { objectMode: true }) as Readable;
    await expectCode(storage.put("a", strings), "INVALID_ARGUMENT");
    await expectCode(storage.put("a", chunked(data, [10]), { expectedSha256: "xyz" }), "INVALID_ARGUMENT");
    await expectCode(storage.put("a", chunked(data, [10]), { maxBytes: -1 }), "INVALID_ARGUMENT");
    expect(await storage.exists("a")).toBe(false);
    expect(await tempFiles()).toEqual([]);
  });

  test("a Readable source is destroyed when the write gives up", async () => {
    const source = Readable.from(chunked(data, [1000]));
    await expectCode(storage.put("a", source, { maxBytes: 5000 }), "TOO_LARGE");
    expect(source.destroyed).toBe(true);
  });
});

describe("LocalStorage stat/exists/delete/list", () => {
  test("stat, exists and delete; delete prunes empty directories", async () => {
    await storage.put("x/y/z.txt", chunked(Buffer.from("hello"), [5]));
    const info = await storage.stat("x/y/z.txt");
    expect(info.key).toBe("x/y/z.txt");
    expect(info.size).toBe(5);
    expect(info.modifiedAt).toBeInstanceOf(Date);
    expect(await storage.exists("x/y/z.txt")).toBe(true);
    expect(await storage.exists("x/y")).toBe(false);
    await expectCode(storage.stat("x/y"), "NOT_FOUND");
    await expectCode(storage.get("x/y"), "NOT_FOUND");
    await expectCode(storage.get("nope/z"), "NOT_FOUND");
    expect(await storage.delete("x/y/z.txt")).toBe(true);
    expect(await storage.delete("x/y/z.txt")).toBe(false);
    expect((await readdir(root)).sort()).toEqual([TEMP_DIR_NAME]);
  });

  test("an object and a directory cannot share a name", async () => {
    await storage.put("a", chunked(Buffer.from("1"), [1]));
    await expectCode(storage.put("a/b", chunked(Buffer.from("2"), [1])), "KEY_CONFLICT");
    await storage.put("c/d", chunked(Buffer.from("3"), [1]));
    await expectCode(storage.put("c", chunked(Buffer.from("4"), [1])), "KEY_CONFLICT");
    expect(await tempFiles()).toEqual([]);
  });

  test("list yields keys with a string prefix in code-unit order", async () => {
    const keys = ["b", "a-c", "a/b", "a/c/d", "img/2024-01.fits", "img/2024-02.fits", "img/2025.fits", "Z"];
    for (const key of keys) await storage.put(key, chunked(Buffer.from(key), [100]));
    const list = async (prefix?: string) => {
      const out: string[] = [];
      for await (const info of storage.list(prefix)) out.push(info.key);
      return out;
    };
    expect(await list()).toEqual([...keys].sort());
    expect(await list("a")).toEqual(["a-c", "a/b", "a/c/d"]);
    expect(await list("a/")).toEqual(["a/b", "a/c/d"]);
    expect(await list("img/2024-")).toEqual(["img/2024-01.fits", "img/2024-02.fits"]);
    expect(await list("missing/")).toEqual([]);
    const sizes: number[] = [];
    for await (const info of storage.list("img/2025")) sizes.push(info.size);
    expect(sizes).toEqual([13]);
  });
});

describe("LocalStorage concurrency", () => {
  test("concurrent writes to one key: the last rename wins, readers never see a partial file", async () => {
    const versions = Array.from({ length: 6 }, (_, i) => bytes(400_000 + i * 1000, 100 + i));
    const hashes = new Set(versions.map(sha256));
    await storage.put("same", chunked(versions[0]!, [65_536]));
    async function* slow(data: Buffer): AsyncGenerator<Uint8Array> {
      for (let offset = 0; offset < data.length; offset += 50_000) {
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        yield data.subarray(offset, offset + 50_000);
      }
    }
    let writing = true;
    const seen: string[] = [];
    const reader = (async () => {
      while (writing) seen.push(sha256(await readAll(await storage.get("same"))));
    })();
    const results = await Promise.all(versions.map((v) => storage.put("same", slow(v))));
    writing = false;
    await reader;
    expect(results.map((r) => r.sha256)).toEqual(versions.map(sha256));
    expect(hashes.has(sha256(await readAll(await storage.get("same"))))).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    for (const hash of seen) expect(hashes.has(hash)).toBe(true);
    expect(await tempFiles()).toEqual([]);
  });

  test("concurrent writes and deletes in one directory do not lose a finished write", async () => {
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await storage.put(`d/${i}`, chunked(Buffer.from(`v${i}`), [8]));
        if (i % 2 === 0) await storage.delete(`d/${i}`);
      }),
    );
    const keys: string[] = [];
    for await (const info of storage.list("d/")) keys.push(info.key);
    expect(keys).toEqual(
      Array.from({ length: 10 }, (_, i) => `d/${2 * i + 1}`).sort((a, b) => (a < b ? -1 : 1)),
    );
  });
});

describe("LocalStorage confinement", () => {
  test("traversal attempts are rejected and nothing is written outside the store", async () => {
    for (const key of ["../x", "/etc/passwd", "a/../../b", "%2e%2e", "%2e%2e/x", "a\\..\\..\\b", "a\0b"]) {
      await expectCode(storage.put(key, chunked(Buffer.from("evil"), [4])), "INVALID_KEY");
      await expectCode(storage.get(key), "INVALID_KEY");
      await expectCode(storage.stat(key), "INVALID_KEY");
      await expectCode(storage.exists(key), "INVALID_KEY");
      await expectCode(storage.delete(key), "INVALID_KEY");
    }
    await expectCode(
      (async () => {
        for await (const _ of storage.list("../")) break;
      })(),
      "INVALID_KEY",
    );
    expect((await readdir(sandbox)).filter((name) => name !== "store")).toEqual([]);
  });

  test("a symlink inside the store that points outside is never followed", async () => {
    const outside = join(sandbox, "outside");
    await mkdir(outside);
    await writeFile(join(outside, "secret"), "secret");
    await storage.put("ok", chunked(Buffer.from("ok"), [2]));
    await symlink(outside, join(root, "escape"));
    await symlink(join(outside, "secret"), join(root, "secret-link"));

    for (const key of ["escape/secret", "escape/new"]) {
      await expectCode(storage.get(key), "INVALID_KEY");
      await expectCode(storage.stat(key), "INVALID_KEY");
      await expectCode(storage.put(key, chunked(Buffer.from("evil"), [4])), "INVALID_KEY");
      await expectCode(storage.delete(key), "INVALID_KEY");
    }
    const err = await expectCode(storage.get("secret-link"), "INVALID_KEY");
    expect(err.message).toBe("get secret-link: the object is a symlink, which the store never follows");
    await expectCode(storage.stat("secret-link"), "INVALID_KEY");
    await expectCode(
      (async () => {
        for await (const _ of storage.list("escape/")) break;
      })(),
      "INVALID_KEY",
    );
    const listed: string[] = [];
    for await (const info of storage.list()) listed.push(info.key);
    expect(listed).toEqual(["ok"]);
    expect(await readdir(outside)).toEqual(["secret"]);
    expect(await readFile(join(outside, "secret"), "utf8")).toBe("secret");
  });

  test("a symlinked directory that stays inside the store is allowed", async () => {
    await storage.put("real/a", chunked(Buffer.from("a"), [1]));
    await symlink(join(root, "real"), join(root, "alias"));
    expect((await readAll(await storage.get("alias/a"))).toString()).toBe("a");
    await storage.put("alias/b", chunked(Buffer.from("b"), [1]));
    expect(await storage.exists("real/b")).toBe(true);
  });
});

describe("LocalStorage cleanupTemp", () => {
  test("removes temp files of dead writers and old ones, keeps fresh ones of live writers", async () => {
    await storage.put("x", chunked(Buffer.from("x"), [1]));
    const temp = join(root, TEMP_DIR_NAME);
    // A name with this process's id: its writer is alive, so only age removes it.
    const tag = createHash("sha256").update(hostname()).digest("hex").slice(0, 8);
    await writeFile(join(temp, `${tag}-${process.pid}-00ff.part`), "partial");
    await writeFile(join(temp, "unrecognised"), "partial");
    expect(await storage.cleanupTemp()).toEqual({ removed: 0 });
    expect(await storage.cleanupTemp({ olderThanMs: -1 })).toEqual({ removed: 2 });
    expect(await tempFiles()).toEqual([]);
  });
});

describe("LocalStorage fuzz", () => {
  test("random keys only ever raise tagged errors and never leave the store", async () => {
    let state = 0x9e3779b9;
    const random = () => {
      state = (Math.imul(state ^ (state >>> 16), 0x45d9f3b) + 0x1234567) >>> 0;
      return state / 2 ** 32;
    };
    const atoms = [
      "a",
      "b",
      ".",
      "..",
      "/",
      "\\",
      "\0",
      "%2e",
      "%",
      "~",
      " ",
      "\n",
      "é",
      "😀",
      TEMP_DIR_NAME,
      ":",
    ];
    const codes = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      let key = "";
      const length = Math.floor(random() * 8);
      for (let j = 0; j < length; j++) key += atoms[Math.floor(random() * atoms.length)];
      const op = Math.floor(random() * 5);
      try {
        if (op === 0) await storage.put(key, chunked(Buffer.from(key), [3]));
        else if (op === 1) await readAll(await storage.get(key, random() < 0.5 ? undefined : { start: 1 }));
        else if (op === 2) await storage.stat(key);
        else if (op === 3) await storage.delete(key);
        else for await (const _ of storage.list(key)) break;
        codes.set("ok", (codes.get("ok") ?? 0) + 1);
      } catch (err) {
        if (!isStorageError(err)) throw new Error(`untagged error for key ${JSON.stringify(key)}: ${err}`);
        codes.set(err.code, (codes.get(err.code) ?? 0) + 1);
      }
    }
    expect(codes.get("ok")).toBeGreaterThan(10);
    expect(codes.get("INVALID_KEY")).toBeGreaterThan(10);
    expect((await readdir(sandbox)).filter((name) => name !== "store")).toEqual([]);
    expect(await tempFiles()).toEqual([]);
  });
});
