/**
 * The one directory tree a viewer serves. Every client-supplied path goes through
 * {@link TreeRoot.resolve}: relative only, no `.`/`..`/empty segments, no NUL, and the real path
 * (symlinks followed) must stay inside the tree's real path. Anything else is NOT_FOUND, so a probe
 * learns nothing about what exists outside.
 */
import { realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { ServerError } from "../errors.js";

/** A client path resolved inside the tree. */
export interface TreePath {
  /** Normalised tree-relative path with `/` separators; "" for the root. */
  readonly rel: string;
  /** Absolute path below the tree's real root (symlinks of the last segments not followed). */
  readonly abs: string;
  /** Real path, symlinks followed; always inside the tree. */
  readonly real: string;
}

function notFound(rel: string): ServerError {
  return new ServerError("NOT_FOUND", `no such file in the served tree: ${JSON.stringify(rel)}`);
}

/** Split a client path into safe segments, or null when it is not a plain relative path. */
export function safeSegments(rel: string): string[] | null {
  if (rel === "" || rel === ".") return [];
  if (rel.includes("\0") || rel.startsWith("/") || rel.startsWith("\\") || /^[A-Za-z]:/.test(rel))
    return null;
  const trimmed = rel.endsWith("/") ? rel.slice(0, -1) : rel;
  const segments = trimmed.split("/");
  for (const s of segments) if (s === "" || s === "." || s === "..") return null;
  return segments;
}

export class TreeRoot {
  private constructor(
    /** The directory as given (absolute). */
    readonly path: string,
    /** Its real path. */
    readonly real: string,
  ) {}

  /** Open `dir` (which must be a directory) as a served tree. */
  static async open(dir: string): Promise<TreeRoot> {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (err) {
      throw new ServerError("NOT_FOUND", `${dir}: no such directory`, { cause: err });
    }
    const info = await stat(real);
    if (!info.isDirectory()) throw new ServerError("BAD_REQUEST", `${dir} is not a directory`);
    return new TreeRoot(dir, real);
  }

  /** True when the absolute real path `real` lies inside the tree. */
  contains(real: string): boolean {
    return real === this.real || real.startsWith(this.real.endsWith(sep) ? this.real : this.real + sep);
  }

  /**
   * Resolve a client path. The path is used as decoded once by the HTTP layer; it is never
   * decoded again (double decoding is how `%252e%252e` escapes happen).
   *
   * @throws ServerError NOT_FOUND for anything that is not an existing path inside the tree.
   */
  async resolve(rel: string): Promise<TreePath> {
    const segments = safeSegments(rel);
    if (segments === null) throw notFound(rel);
    const abs = segments.length === 0 ? this.real : join(this.real, ...segments);
    let real: string;
    try {
      real = await realpath(abs);
    } catch {
      throw notFound(rel);
    }
    if (!this.contains(real)) throw notFound(rel);
    return { rel: segments.join("/"), abs, real };
  }
}
