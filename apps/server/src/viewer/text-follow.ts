/**
 * Follow a growing file (like `tail -f`): wake on fs.watch events and on a 250 ms poll (watch
 * events are unreliable on network file systems), read what was appended since `offset`, and
 * hand complete lines to `onLines`. A file that shrinks (rotated or truncated) restarts at 0.
 */
import { watch } from "node:fs";
import { stat } from "node:fs/promises";
import { readLinesForward } from "./text-lines.js";

export interface FollowEvents {
  onLines(lines: string[], endOffset: number): void;
  onReset(): void;
}

const POLL_MS = 250;
const MAX_LINES_PER_EVENT = 5000;

/** Start following `path` from byte `offset`; returns a function that stops it. */
export function followFile(path: string, offset: number, events: FollowEvents): () => void {
  let position = offset;
  let stopped = false;
  let busy = false;
  let again = false;

  async function check(): Promise<void> {
    if (stopped) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const size = (await stat(path)).size;
        if (size < position) {
          position = 0;
          events.onReset();
        }
        while (!stopped && size > position) {
          const run = await readLinesForward(path, position, MAX_LINES_PER_EVENT, null);
          if (run.lines.length === 0) break;
          position = run.endOffset;
          events.onLines(run.lines, run.endOffset);
        }
      } while (again && !stopped);
    } catch {
      // The file may be gone for a moment (rotation); the next poll tries again.
    } finally {
      busy = false;
    }
  }

  let watcher: ReturnType<typeof watch> | null = null;
  try {
    watcher = watch(path, { persistent: false }, () => void check());
    watcher.on("error", () => {});
  } catch {
    watcher = null;
  }
  const timer = setInterval(() => void check(), POLL_MS);
  timer.unref();
  void check();
  return () => {
    stopped = true;
    clearInterval(timer);
    watcher?.close();
  };
}
