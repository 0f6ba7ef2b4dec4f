/**
 * In-memory PGlite databases for tests, migrated. Creating a PGlite cluster (initdb in WASM) takes
 * seconds; loading a dump takes about one, so the first test file writes a migrated template to
 * the OS temp directory and the others load it.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { MIGRATIONS_DIR, type OpenDatabase, usePglite } from "../src/db/open-database.js";

async function templatePath(): Promise<string> {
  const journal = await readFile(join(MIGRATIONS_DIR, "meta/_journal.json"));
  // The template depends on the migrations and on the PGlite build that wrote it.
  let dir = dirname(fileURLToPath(import.meta.resolve("@electric-sql/pglite")));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  const pkg = await readFile(join(dir, "package.json"));
  const key = createHash("sha256").update(journal).update(pkg).digest("hex").slice(0, 16);
  return join(tmpdir(), `meridian-test-pglite-${key}.tar`);
}

/** A fresh, migrated, in-memory PGlite database. */
export async function openTestPglite(): Promise<OpenDatabase> {
  const path = await templatePath();
  let dump: Buffer | null = null;
  try {
    dump = await readFile(path);
  } catch {
    dump = null;
  }
  if (dump !== null) return usePglite(await PGlite.create({ loadDataDir: new Blob([dump]) }));
  const client = await PGlite.create();
  const opened = await usePglite(client);
  const blob = await client.dumpDataDir("none");
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, Buffer.from(await blob.arrayBuffer()));
  await rename(temp, path);
  return opened;
}
