/**
 * Live updates of a directory (or a tree): fs.watch events, collected and delivered at most every
 * 300 ms, so a pipeline writing thousands of files causes a handful of refreshes, not thousands.
 */
import { watch } from "node:fs";

export function watchDirectory(
  real: string,
  recursive: boolean,
  onChange: (names: string[]) => void,
): () => void {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    const names = [...pending].slice(0, 1000);
    pending.clear();
    onChange(names);
  };
  const listener = (_event: string, name: string | Buffer | null) => {
    if (name !== null) pending.add(name.toString());
    timer ??= setTimeout(flush, 300);
  };
  let watcher: ReturnType<typeof watch>;
  try {
    watcher = watch(real, { persistent: false, recursive }, listener);
  } catch {
    // Recursive watching is not available everywhere: fall back to the top directory.
    watcher = watch(real, { persistent: false }, listener);
  }
  watcher.on("error", () => {});
  return () => {
    if (timer !== null) clearTimeout(timer);
    watcher.close();
  };
}
