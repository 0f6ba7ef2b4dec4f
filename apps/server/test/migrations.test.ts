/** Generated files are committed and checked: regenerating migrations from the schema must change nothing. */
import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, expect, test } from "vitest";
import { MIGRATIONS_DIR } from "../src/db/open-database.js";

const serverDir = join(MIGRATIONS_DIR, "..");
let scratch: string | undefined;
afterAll(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = await readFile(path, "utf8");
  }
  return files;
}

test("committed migrations match src/db/schema.ts (run `npm run db:generate -w @meridian/server` when this fails)", async () => {
  scratch = await mkdtemp(join(tmpdir(), "meridian-migrations-"));
  const out = join(scratch, "drizzle");
  await cp(MIGRATIONS_DIR, out, { recursive: true });
  const bin = join(dirname(createRequire(import.meta.url).resolve("drizzle-kit")), "bin.cjs");
  // drizzle-kit wants a relative --out, and exits 0 even when it fails: check its output too.
  const output = execFileSync(
    process.execPath,
    [
      bin,
      "generate",
      "--dialect",
      "postgresql",
      "--schema",
      "./src/db/schema.ts",
      "--out",
      relative(serverDir, out),
    ],
    { cwd: serverDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  expect(output).not.toMatch(/error/i);
  expect(await snapshot(out)).toEqual(await snapshot(MIGRATIONS_DIR));
});
