/**
 * A writer killed with SIGKILL in the middle of a put (a real child process, so no cleanup code of
 * ours can run) leaves nothing under the key, and cleanupTemp removes its temporary file.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, expect, test } from "vitest";
import { LocalStorage } from "./local-storage.js";
import { TEMP_DIR_NAME } from "./storage-key.js";

const here = dirname(fileURLToPath(import.meta.url));
let work: string;

// The child runs plain Node, which cannot load TypeScript: transpile this folder's sources for it.
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "meridian-storage-kill-"));
  await writeFile(join(work, "package.json"), '{"type":"module"}');
  for (const name of await readdir(here)) {
    if (!name.endsWith(".ts") || name.endsWith(".test.ts")) continue;
    const source = await readFile(join(here, name), "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    await writeFile(join(work, name.replace(/\.ts$/, ".js")), outputText);
  }
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const WRITER = `
import { LocalStorage } from "./local-storage.js";
const storage = new LocalStorage(process.argv[2]);
async function* endless() {
  for (let i = 0; ; i++) {
    yield new Uint8Array(64 * 1024).fill(i & 0xff);
    if (i === 40) process.stdout.write("writing\\n");
    await new Promise((r) => setTimeout(r, 2));
  }
}
await storage.put("victim/file.bin", endless());
`;

test("a writer killed mid-stream leaves nothing visible; cleanupTemp removes its temp file", async () => {
  const root = join(work, "store");
  await writeFile(join(work, "writer.mjs"), WRITER);
  const child = spawn(process.execPath, [join(work, "writer.mjs"), root], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<NodeJS.Signals | null>((done) =>
    child.on("close", (_code, signal) => done(signal)),
  );
  await new Promise<void>((ready, fail) => {
    child.stdout.on("data", (data: Buffer) => {
      if (data.toString().includes("writing")) ready();
    });
    child.on("error", fail);
    child.on("close", (code) => fail(new Error(`writer exited early with ${code}`)));
  });
  const temp = join(root, TEMP_DIR_NAME);
  const partial = await readdir(temp);
  expect(partial).toHaveLength(1);
  expect(partial[0]).toMatch(new RegExp(`^[0-9a-f]{8}-${child.pid}-[0-9a-f]{16}\\.part$`));
  child.kill("SIGKILL");
  // "close" comes after the child is reaped, so its process id no longer exists.
  expect(await exited).toBe("SIGKILL");

  const storage = new LocalStorage(root);
  expect(await storage.exists("victim/file.bin")).toBe(false);
  const listed: string[] = [];
  for await (const info of storage.list()) listed.push(info.key);
  expect(listed).toEqual([]);
  expect(await readdir(temp)).toEqual(partial);
  // The default age limit is an hour: the temp file goes because its writer is dead.
  expect(await storage.cleanupTemp()).toEqual({ removed: 1 });
  expect(await readdir(temp)).toEqual([]);
});
