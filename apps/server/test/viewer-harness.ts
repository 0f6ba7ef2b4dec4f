/** Shared setup of the viewer tests: a small scenario tree and raw HTTP requests (paths sent as-is). */
import { execFileSync } from "node:child_process";
import { lstat, readdir } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { repoFixture } from "../../../test/paths.js";

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Send a request with the path exactly as given (no URL normalisation, unlike fetch). */
export function rawGet(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolveResponse, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolveResponse({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/** Generate the small scenario (fixtures/viewer/make-scenario.mjs) into `dir`. */
export function makeSmallScenario(dir: string, extra: string[] = []): void {
  execFileSync(process.execPath, [repoFixture("viewer/make-scenario.mjs"), dir, "--small", ...extra], {
    stdio: "pipe",
  });
}

/** Every path under `dir` with its type, size and mtime, for before/after comparisons. */
export async function snapshotTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function visit(rel: string): Promise<void> {
    const full = join(dir, rel);
    const info = await lstat(full);
    out.push(
      `${rel}\t${info.isDirectory() ? "d" : info.isSymbolicLink() ? "l" : "f"}\t${info.size}\t${info.mtimeMs}`,
    );
    if (info.isDirectory())
      for (const name of (await readdir(full)).sort()) await visit(rel === "" ? name : `${rel}/${name}`);
  }
  await visit("");
  return out;
}
