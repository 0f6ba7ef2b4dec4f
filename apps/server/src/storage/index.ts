/**
 * File storage of the Meridian server: the {@link Storage} interface and its local-directory
 * implementation. Writes are streamed to a temporary file, hashed on the way, fsynced and renamed
 * into place; reads stream, optionally a byte range. Every failure is a tagged {@link StorageError}.
 *
 * ```ts
 * import { createReadStream } from "node:fs";
 * import { LocalStorage } from "./storage/index.js";
 * const storage = new LocalStorage("/var/lib/meridian/storage");
 * const { sha256, size } = await storage.put("raw/2024/m31.fits", createReadStream("m31.fits"), { maxBytes: 2 ** 32 });
 * const header = await storage.get("raw/2024/m31.fits", { start: 0, end: 2879 });
 * ```
 */
export type { StorageErrorCode, StorageErrorOptions } from "./errors.js";
export { isStorageError, StorageError } from "./errors.js";
export { LocalStorage } from "./local-storage.js";
export type {
  ByteRange,
  ByteSource,
  CleanupOptions,
  CleanupResult,
  ObjectInfo,
  PutOptions,
  PutResult,
  Storage,
} from "./storage.js";
export {
  MAX_KEY_BYTES,
  MAX_SEGMENT_BYTES,
  TEMP_DIR_NAME,
  validateKey,
  validatePrefix,
} from "./storage-key.js";
