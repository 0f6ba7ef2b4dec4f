/**
 * Line numbers in big files without counting on every request: the first tail of a big file
 * starts a background count that records the number of newlines at every 4 MiB checkpoint. Later
 * requests find the line number of any offset from the nearest checkpoint (reading at most 4 MiB).
 * A file that grew keeps its checkpoints and is counted on from the last one; one that shrank or
 * was replaced (smaller size) is counted again.
 */
import { open, stat } from "node:fs/promises";

const STEP = 4 * 1024 * 1024;

interface Index {
  /** newlines[i] = newlines in bytes [0, i * STEP). */
  newlines: number[];
  /** Bytes covered by complete checkpoints. */
  covered: number;
  building: Promise<void> | null;
}

const indexes = new Map<string, Index>();

async function countRange(path: string, start: number, end: number): Promise<number> {
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(Math.max(1, Math.min(1024 * 1024, end - start)));
    let count = 0;
    for (let pos = start; pos < end; ) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
      if (bytesRead === 0) break;
      const view = bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
      for (let i = view.indexOf(10); i >= 0; i = view.indexOf(10, i + 1)) count++;
      pos += bytesRead;
    }
    return count;
  } finally {
    await fh.close();
  }
}

function build(path: string, index: Index, size: number): Promise<void> {
  index.building ??= (async () => {
    try {
      while (index.covered + STEP <= size) {
        const n = await countRange(path, index.covered, index.covered + STEP);
        index.newlines.push(index.newlines[index.newlines.length - 1]! + n);
        index.covered += STEP;
      }
    } finally {
      index.building = null;
    }
  })();
  return index.building;
}

/**
 * 1-based number of the line starting at byte `offset` (null while the file's index is still
 * being built; this call starts the build), and the bytes read to find it (at most 4 MiB).
 */
export async function lineNumberAt(
  path: string,
  offset: number,
): Promise<{ line: number | null; bytesRead: number }> {
  const size = (await stat(path)).size;
  let index = indexes.get(path);
  if (index !== undefined && index.covered > size) index = undefined;
  if (index === undefined) {
    index = { newlines: [0], covered: 0, building: null };
    indexes.set(path, index);
    if (indexes.size > 64) indexes.delete(indexes.keys().next().value!);
  }
  const checkpoint = Math.floor(offset / STEP);
  if (checkpoint >= index.newlines.length) {
    void build(path, index, size).catch(() => indexes.delete(path));
    return { line: null, bytesRead: 0 };
  }
  const base = index.newlines[checkpoint]!;
  const line = base + (await countRange(path, checkpoint * STEP, offset)) + 1;
  return { line, bytesRead: offset - checkpoint * STEP };
}

/** Wait for a running index build of `path` (tests and benchmarks). */
export async function lineIndexSettled(path: string): Promise<void> {
  await indexes.get(path)?.building;
}
