/**
 * Derived images (FITS previews, PNG thumbnails) kept in the viewer's cache directory, never in
 * the tree. The key includes the file's real path, size and mtime, so a rewritten file gets a
 * new entry; concurrent requests for the same entry share one computation; writes are atomic.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

const inFlight = new Map<string, Promise<Uint8Array | null>>();

/** The cached bytes for (`real`, `variant`), computing them with `make` when absent. */
export async function cachedDerivative(
  cacheDir: string,
  kind: string,
  real: string,
  variant: unknown,
  make: () => Promise<Uint8Array | null>,
): Promise<Uint8Array | null> {
  const info = await stat(real);
  const key = createHash("sha256")
    .update(JSON.stringify([real, info.size, info.mtimeMs, variant]))
    .digest("hex")
    .slice(0, 40);
  const dir = join(cacheDir, kind, key.slice(0, 2));
  const file = join(dir, `${key}.png`);
  const cached = await readFile(file).catch(() => null);
  if (cached !== null) return cached;
  const running = inFlight.get(key);
  if (running !== undefined) return running;
  const work = (async () => {
    const bytes = await make();
    if (bytes === null) return null;
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
    return bytes;
  })();
  inFlight.set(key, work);
  try {
    return await work;
  } finally {
    inFlight.delete(key);
  }
}
