/**
 * Data packages on PGlite and PostgreSQL: create from uploaded files, freeze (manifest sha256),
 * share with an embargo, download one streamed tar that GNU tar extracts and `sha256sum -c`
 * verifies; anonymous visitors get public packages after the embargo only.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedFixture } from "../../../test/paths.js";
import { databaseTargets } from "./databases.js";
import { apiKeyOf, type PortalCast, portalCast } from "./portal-harness.js";
import { type StorageHarness, sha256Hex, storageHarness, tusClient } from "./portal-upload-harness.js";

const targets = await databaseTargets();
const LONG = `${"deep/".repeat(30)}frame-with-a-long-name-ü.fits`;

for (const target of targets) {
  describe.skipIf(!target.available)(`data packages on ${target.name}`, () => {
    let h: StorageHarness;
    let cast: PortalCast;
    let key: string;
    let observerKey: string;
    const files = new Map<string, Uint8Array>();
    const ids: string[] = [];
    let work: string;
    const api = (
      k: string | null,
      method: "GET" | "POST" | "PATCH" | "DELETE",
      url: string,
      body?: unknown,
    ) =>
      h.app.inject({
        method,
        url: `/api/portals/${cast.slug}${url}`,
        headers: {
          ...(k === null ? {} : { authorization: `Bearer ${k}` }),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });

    beforeAll(async () => {
      h = await storageHarness(target);
      cast = await portalCast(h, `pk-${target.name}`);
      key = (await apiKeyOf(h, cast.member, ["upload", "read", "write"])).apiKey;
      observerKey = (await apiKeyOf(h, cast.observer, ["read"])).apiKey;
      work = await mkdtemp(join(tmpdir(), "meridian-pkg-"));
      const tus = tusClient(h, key, cast.slug);
      for (const [name, src] of [
        ["m51.fits.gz", "m51.fits.gz"],
        ["calib/comp.fits", "comp.fits"],
        [LONG, "example_cube.fits"],
      ] as const) {
        const bytes = new Uint8Array(await readFile(sharedFixture("fits", src)));
        const res = await tus.upload(name, bytes, { dataset: "pkgdata" });
        expect(res.statusCode).toBe(204);
        files.set(`pkgdata/${name}`, bytes);
        ids.push(res.headers["meridian-file-id"] as string);
      }
    });
    afterAll(async () => {
      await h?.close();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it("create, freeze, download: GNU tar extracts it and sha256sum -c verifies it", async () => {
      const created = await api(key, "POST", "/packages", {
        title: "M51 and friends",
        authors: ["A. Astronomer"],
        fileIds: ids.slice(0, 2),
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().package.id as string;
      expect(created.json().files).toBe(2);
      expect((await api(key, "POST", `/packages/${id}/files`, { fileIds: [ids[2]] })).json()).toEqual({
        added: 1,
      });
      expect((await api(key, "GET", `/packages/${id}/download`)).statusCode).toBe(409);
      const frozen = await api(key, "POST", `/packages/${id}/freeze`, {});
      expect(frozen.statusCode).toBe(200);
      const manifestSha = frozen.json().package.manifestSha256 as string;
      // The manifest from the uploaded bytes, computed here independently of the server.
      const expectedManifest = [...files.entries()]
        .map(([name, b]) => ({ name, size: b.length, sha256: sha256Hex(b) }))
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map((e) => `${JSON.stringify(e)}\n`)
        .join("");
      expect(manifestSha).toBe(sha256Hex(new TextEncoder().encode(expectedManifest)));
      expect((await api(key, "POST", `/packages/${id}/files`, { fileIds: [ids[0]] })).statusCode).toBe(409);

      const dl = await api(key, "GET", `/packages/${id}/download`);
      expect(dl.statusCode).toBe(200);
      expect(dl.headers["content-type"]).toBe("application/x-tar");
      expect(Number(dl.headers["content-length"])).toBe(dl.rawPayload.length);
      const tarPath = join(work, `${target.name}.tar`);
      await writeFile(tarPath, dl.rawPayload);
      const out = join(work, target.name);
      execFileSync("mkdir", ["-p", out]);
      execFileSync("tar", ["-xf", tarPath, "-C", out]);
      const root = join(out, `m51-and-friends-${id.slice(0, 8)}`);
      expect(await readFile(join(root, "MANIFEST"), "utf8")).toBe(expectedManifest);
      const check = execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: root, encoding: "utf8" });
      expect(check.trim().split("\n").sort()).toEqual([...files.keys()].map((n) => `${n}: OK`).sort());
      expect(execFileSync("sha256sum", ["MANIFEST"], { cwd: root, encoding: "utf8" }).split(" ")[0]).toBe(
        manifestSha,
      );
      expect(new Uint8Array(await readFile(join(root, "pkgdata", LONG)))).toEqual(
        files.get(`pkgdata/${LONG}`),
      );
      // The same package as a zip: unzip tests every CRC, and the files check out again.
      const zip = await api(key, "GET", `/packages/${id}/download?format=zip`);
      expect(zip.statusCode).toBe(200);
      expect(zip.headers["content-type"]).toBe("application/zip");
      expect(Number(zip.headers["content-length"])).toBe(zip.rawPayload.length);
      const zipPath = join(work, `${target.name}.zip`);
      await writeFile(zipPath, zip.rawPayload);
      expect(execFileSync("unzip", ["-t", zipPath], { encoding: "utf8" })).toContain("No errors detected");
      const zout = join(work, `${target.name}-zip`);
      execFileSync("unzip", ["-q", zipPath, "-d", zout]);
      const zroot = join(zout, `m51-and-friends-${id.slice(0, 8)}`);
      expect(execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: zroot, encoding: "utf8" })).toBe(check);
    });

    it("sharing: private to its creator and admins, organisation to members, public after the embargo", async () => {
      const created = await api(key, "POST", "/packages", { title: "Shared", fileIds: [ids[0]] });
      const id = created.json().package.id as string;
      expect((await api(observerKey, "GET", `/packages/${id}`)).statusCode).toBe(404);
      expect((await api(null, "GET", `/packages/${id}/download`)).statusCode).toBe(404);
      expect((await api(key, "PATCH", `/packages/${id}`, { visibility: "public" })).statusCode).toBe(409);
      expect((await api(key, "PATCH", `/packages/${id}`, { visibility: "organisation" })).statusCode).toBe(
        200,
      );
      expect((await api(observerKey, "GET", `/packages/${id}`)).statusCode).toBe(200);
      expect((await api(observerKey, "PATCH", `/packages/${id}`, { title: "x" })).statusCode).toBe(403);
      await api(key, "POST", `/packages/${id}/freeze`, {});
      const future = new Date(Date.now() + 3600_000).toISOString();
      expect(
        (await api(key, "PATCH", `/packages/${id}`, { visibility: "public", embargoUntil: future }))
          .statusCode,
      ).toBe(200);
      expect((await api(null, "GET", `/packages/${id}/download`)).statusCode).toBe(404);
      expect(
        (await api(null, "GET", "/packages")).json().packages.map((p: { id: string }) => p.id),
      ).not.toContain(id);
      const past = new Date(Date.now() - 1000).toISOString();
      await api(key, "PATCH", `/packages/${id}`, { embargoUntil: past });
      const anon = await api(null, "GET", `/packages/${id}/download`);
      expect(anon.statusCode).toBe(200);
      expect(
        (await api(null, "GET", "/packages")).json().packages.map((p: { id: string }) => p.id),
      ).toContain(id);
      expect((await api(null, "POST", "/packages", { title: "nope" })).statusCode).toBe(401);
    });

    it("create from a search: every matching file", async () => {
      const all = await api(key, "GET", "/files?limit=100");
      const datasetId = (all.json().items as { id: string; datasetId: string }[]).find(
        (f) => f.id === ids[0],
      )?.datasetId;
      const byDataset = await api(key, "POST", "/packages", {
        title: "Whole dataset",
        search: { dataset: datasetId },
      });
      expect(byDataset.statusCode).toBe(201);
      expect(byDataset.json().files).toBe(3);
      const byObject = await api(key, "POST", "/packages", {
        title: "M51",
        search: { object: "m51*" },
        fileIds: [ids[1]],
      });
      const listed = await api(key, "GET", `/packages/${byObject.json().package.id}`);
      expect((listed.json().files as { name: string }[]).map((f) => f.name).sort()).toEqual([
        "pkgdata/calib/comp.fits",
        "pkgdata/m51.fits.gz",
      ]);
    });

    it("bad requests: unknown files, empty freeze", async () => {
      const bad = await api(key, "POST", "/packages", { title: "Bad", fileIds: [crypto.randomUUID()] });
      expect(bad.statusCode).toBe(404);
      const empty = await api(key, "POST", "/packages", { title: "Empty" });
      const res = await api(key, "POST", `/packages/${empty.json().package.id}/freeze`, {});
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toBe("an empty package cannot be frozen: add files first");
    });
  });
}
