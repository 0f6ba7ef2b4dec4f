/**
 * The streaming zip writer checked by Info-ZIP's `unzip` (the reference reader): CRCs, data
 * descriptors, UTF-8 names, the exact planned length, and the ZIP64 end records that more than
 * 65,534 entries need.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Crc32, planZip, type ZipEntry, zipCentral, zipDescriptor, zipLocalHeader } from "./zip-writer.js";

const haveUnzip = (() => {
  try {
    execFileSync("unzip", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

function build(files: { path: string; bytes: Uint8Array }[]): { bytes: Uint8Array; planned: number } {
  const mtime = new Date("2026-11-25T01:02:04Z");
  const entries: ZipEntry[] = files.map((f) => ({ path: f.path, size: f.bytes.length, mtime }));
  const plan = planZip(entries);
  const parts: Uint8Array[] = [];
  const crcs: number[] = [];
  files.forEach((f, i) => {
    parts.push(zipLocalHeader(plan, i));
    parts.push(f.bytes);
    const c = new Crc32();
    c.update(f.bytes);
    crcs.push(c.digest());
    parts.push(zipDescriptor(plan, i, c.digest()));
  });
  parts.push(zipCentral(plan, crcs));
  return { bytes: Buffer.concat(parts), planned: plan.length };
}

describe.skipIf(!haveUnzip)("zip writer (checked with unzip)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "meridian-zip-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("stores files that unzip tests and extracts byte for byte", async () => {
    const files = [
      { path: "pkg/MANIFEST", bytes: new TextEncoder().encode('{"name":"a"}\n') },
      {
        path: "pkg/data/ü-naïve.fits",
        bytes: Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) % 256),
      },
      { path: "pkg/empty.txt", bytes: new Uint8Array(0) },
    ];
    const { bytes, planned } = build(files);
    expect(bytes.length).toBe(planned);
    const path = join(dir, "a.zip");
    await writeFile(path, bytes);
    expect(execFileSync("unzip", ["-t", path], { encoding: "utf8" })).toContain("No errors detected");
    execFileSync("unzip", ["-q", path, "-d", join(dir, "a")]);
    for (const f of files) expect(new Uint8Array(await readFile(join(dir, "a", f.path)))).toEqual(f.bytes);
  });

  it("writes ZIP64 end records for 70,000 entries", async () => {
    const files = Array.from({ length: 70_000 }, (_, i) => ({
      path: `f/${i}`,
      bytes: Uint8Array.of(i % 256),
    }));
    const { bytes, planned } = build(files);
    expect(bytes.length).toBe(planned);
    const path = join(dir, "many.zip");
    await writeFile(path, bytes);
    const listing = execFileSync("unzip", ["-l", path], { encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
    expect(listing.trim().split("\n").at(-1)).toMatch(/^\s+70000\s+70000 files$/);
    expect(execFileSync("unzip", ["-tq", path], { encoding: "utf8" })).toContain("No errors detected");
  });
});
