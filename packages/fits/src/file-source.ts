/** A {@link ByteSource} over a file on disk (Node), reading only the ranges asked for. */
import { close, fstat, open, read } from "node:fs";
import type { ByteSource } from "./byte-source.js";
import { FitsError } from "./errors.js";
import { FitsFile, type OpenOptions } from "./fits-file.js";

// Callback fs calls: several times faster than fs/promises FileHandle.read for large reads.
function openFd(path: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, "r", (err, fd) => (err ? reject(err) : resolve(fd))));
}

function sizeOf(fd: number): Promise<number> {
  return new Promise((resolve, reject) => fstat(fd, (err, st) => (err ? reject(err) : resolve(st.size))));
}

function readAt(
  fd: number,
  target: Uint8Array,
  at: number,
  length: number,
  position: number,
): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, target, at, length, position, (err, n) => (err ? reject(err) : resolve(n))),
  );
}

/** Open `path` as a byte source; call `close()` when done. */
export async function fileSource(path: string): Promise<ByteSource> {
  let fd: number;
  try {
    fd = await openFd(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new FitsError(
      code === "ENOENT" ? "NOT_FOUND" : "IO",
      `cannot open ${path}: ${code ?? String(err)}`,
      {},
      { cause: err },
    );
  }
  const size = await sizeOf(fd);
  let closed = false;
  const fill = async (offset: number, target: Uint8Array): Promise<number> => {
    let done = 0;
    while (done < target.length) {
      const n = await readAt(fd, target, done, target.length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  };
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const out = new Uint8Array(length);
      const done = await fill(offset, out);
      return done === length ? out : out.subarray(0, done);
    },
    async readInto(offset: number, target: Uint8Array): Promise<void> {
      const done = await fill(offset, target);
      if (done < target.length) {
        throw new FitsError("TRUNCATED", `short read at byte ${offset + done}`, { offset: offset + done });
      }
    },
    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise((resolve, reject) => close(fd, (err) => (err ? reject(err) : resolve())));
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
