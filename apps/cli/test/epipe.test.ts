import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "vitest";
import { repoRoot, sharedFixture } from "../../../test/paths.js";

test("`meridian … | head` stops quietly when the reader closes the pipe", async () => {
  const child = spawn(
    process.execPath,
    [join(repoRoot, "apps/cli/bin/meridian.js"), "fits", "header", sharedFixture("fits/gmos.fits")],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  // Read the first chunk, then close our end, as `head -1` does.
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  expect(stderr).toBe("");
  expect(code).toBe(0);
});
