/** A {@link ByteSource} over a file on disk (Node), reading only the ranges asked for. */
import { open } from "node:fs/promises";
import type { ByteSource } from "./byte-source.js";
import { FitsError } from "./errors.js";
import { FitsFile, type OpenOptions } from "./fits-file.js";

/** Open `path` as a byte source; call `close()` when done. */
export async function fileSource(path: string): Promise<ByteSource> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new FitsError(
      code === "ENOENT" ? "NOT_FOUND" : "IO",
      `cannot open ${path}: ${code ?? String(err)}`,
      {},
      { cause: err },
    );
  }
  const { size } = await handle.stat();
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(out, done, length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === length ? out : out.subarray(0, done);
    },
    async readInto(offset: number, target: Uint8Array): Promise<void> {
      let done = 0;
      while (done < target.length) {
        const { bytesRead } = await handle.read(target, done, target.length - done, offset + done);
        if (bytesRead === 0)
          throw new FitsError("TRUNCATED", `short read at byte ${offset + done}`, { offset: offset + done });
        done += bytesRead;
      }
    },
    async close(): Promise<void> {
      await handle.close();
    },
  };
}

/** Open a FITS file on disk (`.fits`, `.fits.gz`, `.fz`). */
export async function openFitsFile(path: string, options: OpenOptions = {}): Promise<FitsFile> {
  const source = await fileSource(path);
  try {
    return await FitsFile.open(source, options);
  } catch (err) {
    await source.close?.();
    throw err;
  }
}
