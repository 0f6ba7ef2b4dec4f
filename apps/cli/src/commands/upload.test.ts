/**
 * `meridian upload` and `meridian packages` against a real server (listening, PGlite, local
 * storage): a folder of real FITS files goes up in parallel, frame types come from folder names,
 * a second run skips everything, an upload cut earlier is resumed rather than restarted, and a
 * package built from a search downloads as a tar that `sha256sum -c` verifies.
 */
import { execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedFixture } from "../../../../test/paths.js";
import { dataFiles } from "../../../server/src/db/portal-schema.js";
import { databaseTargets } from "../../../server/test/databases.js";
import { apiKeyOf, portalCast } from "../../../server/test/portal-harness.js";
import {
  type StorageHarness,
  sha256Hex,
  storageHarness,
  tusClient,
} from "../../../server/test/portal-upload-harness.js";
import { runCaptured } from "../../test/capture.js";

const pglite = (await databaseTargets()).find((t) => t.name === "pglite")!;
const LAYOUT: [string, string][] = [
  ["bias/b1.fits", "equatorial_3d.fits"],
  ["bias/b2.fits", "example_cube.fits"],
  ["flats/f1.fits", "comp.fits"],
  ["lights/m51.fits.gz", "m51.fits.gz"],
  ["lights/dss.fits.gz", "dss.14.29.56-62.41.05.fits.gz"],
  ["lights/ukidss.fits", "ukidss_zpn.fits"],
];

describe("meridian upload and packages", () => {
  let h: StorageHarness;
  let dir: string;
  let work: string;
  let slug: string;
  let apiKey: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    h = await storageHarness(pglite);
    const cast = await portalCast(h, "cli-upload");
    slug = cast.slug;
    apiKey = (await apiKeyOf(h, cast.member, ["upload", "read", "write"])).apiKey;
    const base = await h.app.listen({ port: 0, host: "127.0.0.1" });
    work = await mkdtemp(join(tmpdir(), "meridian-cli-upload-"));
    dir = join(work, "night1");
    for (const [to, from] of LAYOUT) {
      await mkdir(join(dir, to, ".."), { recursive: true });
      await copyFile(sharedFixture("fits", from), join(dir, to));
    }
    await writeFile(join(dir, "observing.log"), "21:03 dome open\n");
    Object.assign(process.env, {
      MERIDIAN_SERVER: base,
      MERIDIAN_API_KEY: apiKey,
      MERIDIAN_PORTAL: slug,
      XDG_CONFIG_HOME: join(work, "config"),
    });
  });
  afterAll(async () => {
    process.env = saved;
    await h?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("uploads a folder, resumes a cut upload, and skips everything the second time", async () => {
    // An earlier run was cut after 1000 bytes of lights/ukidss.fits.
    const ukidss = new Uint8Array(await readFile(join(dir, "lights/ukidss.fits")));
    const tus = tusClient(h, apiKey, slug);
    const cut = await tus.create(ukidss.length, {
      name: "lights/ukidss.fits",
      dataset: "n1",
      sha256: sha256Hex(ukidss),
    });
    await tus.patch(cut.headers.location as string, 0, ukidss.subarray(0, 1000));

    const first = await runCaptured(["upload", dir, "--dataset", "n1", "--jobs", "3", "--json"]);
    expect(first.code, first.stderr).toBe(0);
    const results = JSON.parse(first.stdout).files as { name: string; status: string; fileId?: string }[];
    expect(results.map((r) => [r.name, r.status])).toEqual(
      [...LAYOUT.map(([n]) => n), "observing.log"].sort().map((n) => [n, "uploaded"]),
    );
    expect(results.find((r) => r.name === "lights/ukidss.fits")?.fileId).toBe(cut.json().id);
    const rows = await h.database.db
      .select()
      .from(dataFiles)
      .where(eq(dataFiles.orgId, (await h.database.db.select().from(dataFiles))[0]!.orgId));
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get("bias/b1.fits")?.frameType).toBe("bias");
    expect(byName.get("flats/f1.fits")?.frameType).toBe("flat");
    expect(byName.get("lights/ukidss.fits")?.frameType).toBe("light");
    expect(byName.get("lights/ukidss.fits")?.sha256).toBe(sha256Hex(ukidss));
    expect(byName.get("observing.log")?.format).toBe("text");

    const second = await runCaptured(["upload", dir, "--dataset", "n1"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe("0 uploaded, 7 already there, 0 failed\n");
  });

  it("a different file under a taken name fails clearly, the others still go", async () => {
    const other = join(work, "other");
    await mkdir(join(other, "bias"), { recursive: true });
    await writeFile(join(other, "bias/b1.fits"), "different bytes");
    await writeFile(join(other, "new.txt"), "new");
    const res = await runCaptured(["upload", other, "--dataset", "n1"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('failed: a different file named "bias/b1.fits" is already in dataset "n1"');
    expect(res.stdout).toBe("1 uploaded, 0 already there, 1 failed\n");
  });

  it("packages create --search … --freeze, then download: sha256sum -c passes", async () => {
    const [anyFile] = await h.database.db
      .select()
      .from(dataFiles)
      .where(eq(dataFiles.name, "lights/m51.fits.gz"));
    const created = await runCaptured([
      "packages",
      "create",
      "--title",
      "Night 1 lights",
      "--search",
      `dataset=${anyFile!.datasetId}`,
      "--search",
      "frameType=light",
      "--freeze",
      "--json",
    ]);
    expect(created.code, created.stderr).toBe(0);
    const { package: pkg, files } = JSON.parse(created.stdout) as {
      package: { id: string; manifestSha256: string };
      files: number;
    };
    expect(files).toBe(3);
    const out = join(work, "pkg.tar");
    const dl = await runCaptured(["packages", "download", pkg.id, "-o", out, "--json"]);
    expect(dl.code, dl.stderr).toBe(0);
    expect(JSON.parse(dl.stdout).manifestSha256).toBe(pkg.manifestSha256);
    const x = join(work, "x");
    await mkdir(x);
    execFileSync("tar", ["-xf", out, "-C", x]);
    const root = join(x, `night-1-lights-${pkg.id.slice(0, 8)}`);
    const check = execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: root, encoding: "utf8" });
    expect(check.trim().split("\n")).toEqual([
      "n1/lights/dss.fits.gz: OK",
      "n1/lights/m51.fits.gz: OK",
      "n1/lights/ukidss.fits: OK",
    ]);
    const zipOut = join(work, "pkg.zip");
    expect((await runCaptured(["packages", "download", pkg.id, "-o", zipOut, "--zip", "--json"])).code).toBe(
      0,
    );
    expect(execFileSync("unzip", ["-t", zipOut], { encoding: "utf8" })).toContain("No errors detected");
    const listed = await runCaptured(["packages", "list", "--json"]);
    expect(JSON.parse(listed.stdout).packages.map((p: { id: string }) => p.id)).toContain(pkg.id);
  });

  it("usage errors: no portal, bad search field", async () => {
    const res = await runCaptured(["packages", "create", "--title", "x", "--search", "colour=red"]);
    expect(res.code).toBe(2);
    const saved = process.env.MERIDIAN_SERVER;
    delete process.env.MERIDIAN_SERVER;
    const noServer = await runCaptured(["upload", dir, "--dataset", "n1"]);
    process.env.MERIDIAN_SERVER = saved;
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toBe(
      "meridian: no server: run `meridian login URL` first, or pass --server URL (or set MERIDIAN_SERVER)\n",
    );
  });
});
