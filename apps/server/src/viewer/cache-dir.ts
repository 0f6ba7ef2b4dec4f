/**
 * Where the viewer keeps derived files (thumbnails): `MERIDIAN_VIEW_CACHE`, else
 * `$XDG_CACHE_HOME/meridian`, else `~/.cache/meridian`. Never inside the served tree: if the
 * chosen place is inside it, a per-user directory under the system temp dir is used instead.
 */
import { mkdir, realpath } from "node:fs/promises";
import { homedir, tmpdir, userInfo } from "node:os";
import { join, resolve, sep } from "node:path";

/** The configured cache directory (not created). */
export function configuredCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const explicit = env.MERIDIAN_VIEW_CACHE?.trim();
  if (explicit) return resolve(explicit);
  const xdg = env.XDG_CACHE_HOME?.trim();
  if (xdg) return resolve(xdg, "meridian");
  return join(homedir(), ".cache", "meridian");
}

function inside(parent: string, child: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/** Create and return the cache directory for a viewer serving `treeReal`. */
export async function prepareCacheDir(
  treeReal: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string> {
  let dir = join(configuredCacheDir(env), "view");
  const probe = await realpath(dir).catch(() => resolve(dir));
  if (inside(treeReal, probe)) dir = join(tmpdir(), `meridian-view-cache-${userInfo().uid}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}
