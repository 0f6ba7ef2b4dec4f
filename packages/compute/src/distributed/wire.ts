/**
 * Values on the wire between coordinator and BullMQ workers. Chunks above `inlineLimit` bytes go
 * to the shared scratch directory as one raw file each (written to a temporary name, then
 * renamed, so a reader never sees half a chunk); smaller chunks travel base64 through Redis.
 * Non-finite numbers survive as `{ $num }` (JSON has none).
 */

import { randomUUID } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { chunkFromBuffer, dtypeBytes, isChunk, isDtype, shapeSize } from "../chunk.js";
import { ComputeError } from "../errors.js";

/** A chunk on the wire: inline (base64) or in a scratch file. */
export interface WireChunk {
  readonly $chunk: { readonly dtype: string; readonly shape: readonly number[]; bytes: number } & (
    | { readonly b64: string }
    | { readonly file: string }
  );
}

/** Where large chunks go. */
export interface ScratchOptions {
  /** Shared directory every worker and the coordinator see at the same path. */
  readonly dir: string;
  /** Chunks larger than this many bytes go to `dir`; smaller ones inline (default 64 KiB). */
  readonly inlineLimit: number;
}

const SCRATCH_FILE = /^[A-Za-z0-9_-]+\/[0-9a-f-]{36}\.chunk$/;

/** Default inline limit: 64 KiB. */
export const DEFAULT_INLINE_LIMIT = 64 * 1024;

/** Encode a value for Redis, writing large chunks under `scratch.dir/<run>`. */
export async function encodeValue(value: unknown, scratch: ScratchOptions, run: string): Promise<unknown> {
  if (isChunk(value)) {
    const bytes = value.data.byteLength;
    const u8 = new Uint8Array(value.data.buffer, value.data.byteOffset, bytes);
    if (bytes <= scratch.inlineLimit) {
      return {
        $chunk: { dtype: value.dtype, shape: value.shape, bytes, b64: Buffer.from(u8).toString("base64") },
      };
    }
    const dir = join(scratch.dir, run);
    await mkdir(dir, { recursive: true });
    const name = `${randomUUID()}.chunk`;
    const tmp = join(dir, `.${name}.tmp`);
    const fh = await open(tmp, "w");
    try {
      // Write from the shared memory directly; no copy into a Buffer.
      let off = 0;
      while (off < bytes) off += (await fh.write(u8, off, bytes - off, off)).bytesWritten;
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, name));
    return { $chunk: { dtype: value.dtype, shape: value.shape, bytes, file: join(run, name) } };
  }
  if (typeof value === "number" && !Number.isFinite(value)) return { $num: String(value) };
  if (Array.isArray(value)) return Promise.all(value.map((v) => encodeValue(v, scratch, run)));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await encodeValue(v, scratch, run);
    return out;
  }
  if (value === undefined) return null;
  return value;
}

/** Decode a wire value; scratch chunks are read into new SharedArrayBuffers. */
export async function decodeValue(value: unknown, scratchDir: string): Promise<unknown> {
  if (isWireChunk(value)) {
    const c = value.$chunk;
    if (!isDtype(c.dtype))
      throw new ComputeError("BACKEND", `wire chunk has unknown dtype ${JSON.stringify(c.dtype)}`);
    if (!Array.isArray(c.shape) || !c.shape.every((n) => Number.isInteger(n) && n >= 0)) {
      throw new ComputeError("BACKEND", `wire chunk has a bad shape ${JSON.stringify(c.shape)}`);
    }
    const bytes = shapeSize(c.shape) * dtypeBytes(c.dtype);
    if (c.bytes !== bytes) {
      throw new ComputeError(
        "BACKEND",
        `wire chunk says ${c.bytes} bytes but ${c.dtype} [${c.shape.join(", ")}] needs ${bytes}`,
      );
    }
    const sab = new SharedArrayBuffer(bytes);
    const u8 = new Uint8Array(sab);
    if ("b64" in c && typeof c.b64 === "string") {
      const raw = Buffer.from(c.b64, "base64");
      if (raw.length !== bytes) {
        throw new ComputeError("BACKEND", `inline chunk holds ${raw.length} bytes, expected ${bytes}`);
      }
      u8.set(raw);
    } else {
      const file = "file" in c ? c.file : undefined;
      // Only files this module wrote: <run>/<uuid>.chunk inside the scratch directory.
      if (typeof file !== "string" || !SCRATCH_FILE.test(file)) {
        throw new ComputeError("BACKEND", `wire chunk names no valid scratch file (${JSON.stringify(file)})`);
      }
      const path = join(scratchDir, file);
      const fh = await open(path, "r").catch((cause: unknown) => {
        throw new ComputeError("BACKEND", `scratch chunk ${path} is missing`, { cause });
      });
      try {
        let off = 0;
        while (off < bytes) {
          const { bytesRead } = await fh.read(u8, off, bytes - off, off);
          if (bytesRead === 0)
            throw new ComputeError("BACKEND", `scratch chunk ${path} is truncated at byte ${off}`);
          off += bytesRead;
        }
      } finally {
        await fh.close();
      }
    }
    return chunkFromBuffer(c.dtype, c.shape, sab);
  }
  if (isPlainObject(value) && Object.keys(value).length === 1 && typeof value.$num === "string") {
    return Number(value.$num);
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => decodeValue(v, scratchDir)));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await decodeValue(v, scratchDir);
    return out;
  }
  return value;
}

/** Bytes a wire value keeps in the scratch store. */
export function scratchBytes(value: unknown): number {
  if (isWireChunk(value)) return "file" in value.$chunk ? value.$chunk.bytes : 0;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + scratchBytes(v), 0);
  if (isPlainObject(value)) return Object.values(value).reduce((n: number, v) => n + scratchBytes(v), 0);
  return 0;
}

/** Delete the scratch files of a wire value (a released intermediate). */
export async function removeScratch(value: unknown, scratchDir: string): Promise<void> {
  if (isWireChunk(value)) {
    if ("file" in value.$chunk) await rm(join(scratchDir, value.$chunk.file), { force: true });
    return;
  }
  if (Array.isArray(value)) await Promise.all(value.map((v) => removeScratch(v, scratchDir)));
  else if (isPlainObject(value))
    await Promise.all(Object.values(value).map((v) => removeScratch(v, scratchDir)));
}

function isWireChunk(x: unknown): x is WireChunk {
  return isPlainObject(x) && isPlainObject(x.$chunk);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}
