/** Paths tests share: the repository root and the real-data fixtures in ../shared/fixtures. */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Absolute path inside the shared real-data fixtures (`MERIDIAN_SHARED_FIXTURES` or `../shared/fixtures`). */
export function sharedFixture(...parts: string[]): string {
  const base = process.env.MERIDIAN_SHARED_FIXTURES ?? resolve(repoRoot, "../shared/fixtures");
  return resolve(base, ...parts);
}

/** True when the shared fixtures are present (they are beside every clone in CI). */
export function haveSharedFixtures(): boolean {
  return existsSync(sharedFixture("README.md"));
}

/** Absolute path inside the repository's own `fixtures/` folder. */
export function repoFixture(...parts: string[]): string {
  return resolve(repoRoot, "fixtures", ...parts);
}
