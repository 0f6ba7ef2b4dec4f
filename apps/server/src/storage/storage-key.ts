/**
 * Storage keys: `/`-separated relative paths that can only name a place inside the store.
 * Checked purely on the text here; the local store also checks symlinks on disk.
 */
import { StorageError } from "./errors.js";

/** Name of the directory at the store's root that holds in-progress writes; no key may use it. */
export const TEMP_DIR_NAME = ".meridian-tmp";

/** Longest key, UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** Longest key segment, UTF-8 bytes (the file-name limit of common file systems). */
export const MAX_SEGMENT_BYTES = 255;

/**
 * Check `key` and return its segments.
 *
 * @throws StorageError INVALID_KEY saying what is wrong and at which character.
 */
export function validateKey(key: unknown): string[] {
  if (typeof key !== "string") throw invalid(String(key), "a key must be a string");
  if (key.length === 0) throw invalid(key, "a key must not be empty");
  const segments = checkPath(key, "key");
  if (key.endsWith("/")) throw invalid(key, "a key must not end with '/'");
  return segments;
}

/**
 * Check a listing prefix and split it into the directory segments it fixes and the partial name
 * after the last `/` (`"a/b/c"` → `{ dir: ["a", "b"], rest: "c" }`).
 *
 * @throws StorageError INVALID_KEY
 */
export function validatePrefix(prefix: unknown): { dir: string[]; rest: string } {
  if (typeof prefix !== "string") throw invalid(String(prefix), "a prefix must be a string");
  if (prefix.length === 0) return { dir: [], rest: "" };
  const cut = prefix.lastIndexOf("/");
  const rest = prefix.slice(cut + 1);
  const charAt = firstForbidden(prefix);
  if (charAt >= 0) throw invalid(prefix, `forbidden character at position ${charAt}`);
  if (cut < 0) return { dir: [], rest };
  return { dir: checkPath(prefix.slice(0, cut), "prefix"), rest };
}

function checkPath(path: string, what: "key" | "prefix"): string[] {
  if (Buffer.byteLength(path, "utf8") > MAX_KEY_BYTES) {
    throw invalid(path, `a ${what} must be at most ${MAX_KEY_BYTES} UTF-8 bytes`);
  }
  const charAt = firstForbidden(path);
  if (charAt >= 0) {
    throw invalid(path, `forbidden character (control, NUL or backslash) at position ${charAt}`);
  }
  if (path.startsWith("/")) throw invalid(path, `a ${what} must be relative (it starts with '/')`);
  const segments = path.split("/");
  let position = 0;
  for (const [index, segment] of segments.entries()) {
    if (segment === "" && index < segments.length - 1) {
      throw invalid(path, `empty segment at position ${position}`);
    }
    if (segment === "." || segment === "..") {
      throw invalid(path, `'${segment}' segment at position ${position}`);
    }
    // Defence in depth: a layer that percent-decodes the key later must not see a traversal.
    const decoded = segment.replace(/%2e/gi, ".").replace(/%2f|%5c|%00/gi, "/");
    if (decoded === "." || decoded === ".." || decoded.includes("/")) {
      throw invalid(
        path,
        `percent-encoded '.', '..', '/', '\\' or NUL in the segment at position ${position}`,
      );
    }
    if (Buffer.byteLength(segment, "utf8") > MAX_SEGMENT_BYTES) {
      throw invalid(path, `segment at position ${position} is longer than ${MAX_SEGMENT_BYTES} UTF-8 bytes`);
    }
    if (index === 0 && segment === TEMP_DIR_NAME) {
      throw invalid(path, `'${TEMP_DIR_NAME}' is reserved for in-progress writes`);
    }
    position += segment.length + 1;
  }
  if (segments[segments.length - 1] === "") segments.pop();
  return segments;
}

/** Index of the first C0 control, DEL or backslash (a separator on Windows), else -1. */
function firstForbidden(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x5c) return i;
  }
  return -1;
}

function invalid(key: string, reason: string): StorageError<"INVALID_KEY"> {
  const shown = key.length > 80 ? `${key.slice(0, 80)}…` : key;
  return new StorageError("INVALID_KEY", `invalid storage key ${JSON.stringify(shown)}: ${reason}`, { key });
}
