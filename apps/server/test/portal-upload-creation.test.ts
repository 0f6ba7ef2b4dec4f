/**
 * tus creation-with-upload on PGlite and PostgreSQL: a small file goes whole in the POST and is
 * stored by it (one round trip); a partial body leaves a resumable upload; a wrong checksum, a body
 * past Upload-Length, a wrong content type or a taken name leave nothing (no row, no blob, the
 * name free for a retry); a body cut mid-stream keeps what arrived and resumes with PATCH.
 */

import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedFixture } from "../../../test/paths.js";
import { dataFiles, organisations, uploads } from "../src/db/portal-schema.js";
import { auditLog } from "../src/db/schema.js";
import { cleanupUploads } from "../src/portal/uploads/upload-store.js";
import { databaseTargets } from "./databases.js";
import { apiKeyOf, portalCast } from "./portal-harness.js";
import {
  type StorageHarness,
  sha256Hex,
  storageHarness,
  tusClient,
  tusMetadata,
} from "./portal-upload-harness.js";

const targets = await databaseTargets();
const FITS = (name: string) => readFile(sharedFixture("fits", name)).then((b) => new Uint8Array(b));

for (const target of targets) {
  describe.skipIf(!target.available)(`creation-with-upload on ${target.name}`, () => {
    let h: StorageHarness;
    let apiKey: string;
    let slug: string;
    let orgId: string;
    let tus: ReturnType<typeof tusClient>;
    beforeAll(async () => {
      h = await storageHarness(target);
      const cast = await portalCast(h, `cwu-${target.name}`);
      slug = cast.slug;
      orgId = cast.orgId;
      apiKey = (await apiKeyOf(h, cast.member, ["upload"])).apiKey;
      tus = tusClient(h, apiKey, slug);
    });
    afterAll(async () => {
      await h?.close();
    });

    /** POST with a body (creation-with-upload). */
    const createWith = (
      size: number,
      md: Record<string, string>,
      body: Uint8Array,
      extra: Record<string, string> = {},
    ) =>
      h.app.inject({
        method: "POST",
        url: `/api/portals/${slug}/uploads`,
        headers: {
          authorization: `Bearer ${apiKey}`,
          "tus-resumable": "1.0.0",
          "upload-length": String(size),
          "upload-metadata": tusMetadata(md),
          "content-type": "application/offset+octet-stream",
          ...extra,
        },
        payload: Buffer.from(body),
      });

    const rowsNamed = async (name: string) => ({
      files: await h.database.db
        .select({ id: dataFiles.id })
        .from(dataFiles)
        .where(and(eq(dataFiles.orgId, orgId), eq(dataFiles.name, name))),
      uploads: await h.database.db
        .select({ id: uploads.id, offset: uploads.offset })
        .from(uploads)
        .where(and(eq(uploads.orgId, orgId), eq(uploads.name, name))),
    });

    async function blobsOf(id: string): Promise<string[]> {
      const keys: string[] = [];
      for await (const o of h.storage.list(`uploads/${orgId}/${id}`)) keys.push(o.key);
      return keys;
    }

    /** Blobs of the portal that neither a data file nor an upload in progress owns. */
    async function strayBlobs(): Promise<string[]> {
      const files = await h.database.db
        .select({ key: dataFiles.storageKey })
        .from(dataFiles)
        .where(eq(dataFiles.orgId, orgId));
      const live = await h.database.db
        .select({ prefix: uploads.tempKey })
        .from(uploads)
        .where(eq(uploads.orgId, orgId));
      const keys: string[] = [];
      for await (const o of h.storage.list(`uploads/${orgId}/`)) keys.push(o.key);
      return keys.filter((k) => !files.some((f) => f.key === k) && !live.some((u) => k.startsWith(u.prefix)));
    }

    it("a whole file in the POST is stored by it, verified, with its audit entry", async () => {
      const bytes = await FITS("ukidss_zpn.fits");
      const res = await createWith(
        bytes.length,
        { name: "one/ukidss.fits", dataset: "cwu", sha256: sha256Hex(bytes) },
        bytes,
      );
      expect(res.statusCode).toBe(201);
      expect(res.headers["upload-offset"]).toBe(String(bytes.length));
      expect(res.headers["meridian-file-sha256"]).toBe(sha256Hex(bytes));
      expect(res.headers["meridian-file-format"]).toBe("fits");
      const id = res.headers["meridian-file-id"] as string;
      expect(res.json()).toMatchObject({ id, fileId: id, size: bytes.length, offset: bytes.length });
      const rows = await rowsNamed("one/ukidss.fits");
      expect(rows).toEqual({ files: [{ id }], uploads: [] });
      const [file] = await h.database.db.select().from(dataFiles).where(eq(dataFiles.id, id));
      expect(file?.sha256).toBe(sha256Hex(bytes));
      expect(file?.headers.length).toBeGreaterThan(0);
      expect(await blobsOf(id)).toEqual([file?.storageKey]);
      const audit = await h.database.db.select().from(auditLog).where(eq(auditLog.target, id));
      expect(audit.map((a) => a.action)).toEqual(["upload.completed"]);
      // The same name again: 409 before anything is kept.
      const again = await createWith(
        bytes.length,
        { name: "one/ukidss.fits", dataset: "cwu", sha256: sha256Hex(bytes) },
        bytes,
      );
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ sameContent: true, fileId: id });
      expect((await rowsNamed("one/ukidss.fits")).uploads).toEqual([]);
    });

    it("a wrong whole-file sha256 stores nothing and leaves the name free", async () => {
      const bytes = new TextEncoder().encode("observing log\n".repeat(100));
      const bad = await createWith(
        bytes.length,
        { name: "log.txt", dataset: "cwu", sha256: "0".repeat(64) },
        bytes,
      );
      expect(bad.statusCode).toBe(460);
      expect(bad.json().code).toBe("CHECKSUM_MISMATCH");
      expect(await rowsNamed("log.txt")).toEqual({ files: [], uploads: [] });
      expect(await strayBlobs()).toEqual([]);
      const good = await createWith(
        bytes.length,
        { name: "log.txt", dataset: "cwu", sha256: sha256Hex(bytes) },
        bytes,
      );
      expect(good.statusCode).toBe(201);
      expect(good.headers["meridian-file-id"]).toBeDefined();
    });

    it("a wrong Upload-Checksum for the body stores nothing", async () => {
      const bytes = new Uint8Array(3000).fill(7);
      const wrong = Buffer.alloc(32, 1).toString("base64");
      const res = await createWith(bytes.length, { name: "sum.bin", dataset: "cwu" }, bytes, {
        "upload-checksum": `sha256 ${wrong}`,
      });
      expect(res.statusCode).toBe(460);
      expect(await rowsNamed("sum.bin")).toEqual({ files: [], uploads: [] });
      expect(await strayBlobs()).toEqual([]);
      const right = Buffer.from(sha256Hex(bytes), "hex").toString("base64");
      const ok = await createWith(bytes.length, { name: "sum.bin", dataset: "cwu" }, bytes, {
        "upload-checksum": `sha256 ${right}`,
      });
      expect(ok.statusCode).toBe(201);
      expect(ok.headers["meridian-file-sha256"]).toBe(sha256Hex(bytes));
    });

    it("a body past Upload-Length, or not offset+octet-stream, is refused with nothing left", async () => {
      const bytes = new Uint8Array(100).fill(1);
      const long = await createWith(50, { name: "long.bin", dataset: "cwu" }, bytes);
      expect(long.statusCode).toBe(413);
      expect(await rowsNamed("long.bin")).toEqual({ files: [], uploads: [] });
      expect(await strayBlobs()).toEqual([]);
      const json = await createWith(100, { name: "text.bin", dataset: "cwu" }, bytes, {
        "content-type": "text/plain",
      });
      expect(json.statusCode).toBe(415);
      expect(await rowsNamed("text.bin")).toEqual({ files: [], uploads: [] });
    });

    it("two whole files of one name at once: one stored, the other 409, nothing else kept", async () => {
      const a = new Uint8Array(4000).fill(3);
      const b = new Uint8Array(4000).fill(4);
      const [ra, rb] = await Promise.all([
        createWith(a.length, { name: "race.bin", dataset: "cwu" }, a),
        createWith(b.length, { name: "race.bin", dataset: "cwu" }, b),
      ]);
      expect([ra.statusCode, rb.statusCode].sort()).toEqual([201, 409]);
      expect((await rowsNamed("race.bin")).files.length).toBe(1);
      expect(await strayBlobs()).toEqual([]);
    });

    it("a whole file past the quota: 413, nothing kept, used bytes unchanged", async () => {
      const db = h.database.db;
      const [org] = await db.select().from(organisations).where(eq(organisations.id, orgId));
      await db
        .update(organisations)
        .set({ quotaBytes: org!.usedBytes + 100 })
        .where(eq(organisations.id, orgId));
      try {
        const res = await createWith(1000, { name: "big.bin", dataset: "cwu" }, new Uint8Array(1000));
        expect(res.statusCode).toBe(413);
        expect(res.json().code).toBe("QUOTA_EXCEEDED");
        expect(await rowsNamed("big.bin")).toEqual({ files: [], uploads: [] });
        expect(await strayBlobs()).toEqual([]);
        const [after] = await db.select().from(organisations).where(eq(organisations.id, orgId));
        expect(after?.usedBytes).toBe(org!.usedBytes);
      } finally {
        await db.update(organisations).set({ quotaBytes: null }).where(eq(organisations.id, orgId));
      }
    });

    it("cleanup sweeps orphan blobs of both layouts, but not fresh ones (a writer may hold them)", async () => {
      const one = async function* () {
        yield new Uint8Array([1, 2, 3]);
      };
      const old = `uploads/${orgId}/${crypto.randomUUID()}/p0000000000000000`;
      const flat = `uploads/${orgId}/${crypto.randomUUID()}.p0000000000000000`;
      await h.storage.put(old, one());
      await h.storage.put(flat, one());
      const deps = { db: h.database.db, storage: h.storage };
      await cleanupUploads(deps, { orgId });
      expect(await h.storage.exists(old)).toBe(true);
      expect(await h.storage.exists(flat)).toBe(true);
      const later = await cleanupUploads(deps, { orgId, now: new Date(Date.now() + 2 * 3600_000) });
      expect(later.orphanBlobs).toBeGreaterThanOrEqual(2);
      expect(await h.storage.exists(old)).toBe(false);
      expect(await h.storage.exists(flat)).toBe(false);
      expect(await strayBlobs()).toEqual([]);
    });

    it("the first bytes in the POST, the rest by PATCH", async () => {
      const bytes = await FITS("ukidss_zpn.fits");
      const half = 5000;
      const c = await createWith(
        bytes.length,
        { name: "two/part.fits", dataset: "cwu", sha256: sha256Hex(bytes) },
        bytes.subarray(0, half),
      );
      expect(c.statusCode).toBe(201);
      expect(c.headers["upload-offset"]).toBe(String(half));
      expect(c.headers["meridian-file-id"]).toBeUndefined();
      expect((await rowsNamed("two/part.fits")).files).toEqual([]);
      const done = await tus.patch(c.headers.location as string, half, bytes.subarray(half));
      expect(done.statusCode).toBe(204);
      expect(done.headers["meridian-file-sha256"]).toBe(sha256Hex(bytes));
    });

    it("a body cut mid-stream keeps what arrived, nothing visible; PATCH finishes it", async () => {
      const bytes = new Uint8Array(200_000).map((_, i) => (i * 31) % 251);
      const sent = 120_000;
      const base = await h.app.listen({ port: 0, host: "127.0.0.1" });
      const { hostname, port } = new URL(base);
      const socket = connect(Number(port), hostname);
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("error", reject);
      });
      socket.on("error", () => {});
      const head = [
        `POST /api/portals/${slug}/uploads HTTP/1.1`,
        `host: ${hostname}:${port}`,
        `authorization: Bearer ${apiKey}`,
        "tus-resumable: 1.0.0",
        `upload-length: ${bytes.length}`,
        `upload-metadata: ${tusMetadata({ name: "cut/cut.bin", dataset: "cwu", sha256: sha256Hex(bytes) })}`,
        "content-type: application/offset+octet-stream",
        `content-length: ${bytes.length}`,
        "",
        "",
      ].join("\r\n");
      await new Promise<void>((resolve) => socket.write(head, () => resolve()));
      await new Promise<void>((resolve) => socket.write(bytes.subarray(0, sent), () => resolve()));
      let offset = 0;
      let id = "";
      for (let i = 0; i < 100 && offset < sent; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const [row] = (await rowsNamed("cut/cut.bin")).uploads;
        id = row?.id ?? "";
        if (i === 10) socket.destroy();
        if (socket.destroyed && row !== undefined) offset = row.offset;
      }
      expect(offset).toBe(sent);
      expect((await rowsNamed("cut/cut.bin")).files).toEqual([]);
      const loc = `/api/portals/${slug}/uploads/${id}`;
      expect((await tus.head(loc)).headers["upload-offset"]).toBe(String(sent));
      const done = await tus.patch(loc, sent, bytes.subarray(sent));
      expect(done.statusCode).toBe(204);
      expect(done.headers["meridian-file-sha256"]).toBe(sha256Hex(bytes));
      expect((await rowsNamed("cut/cut.bin")).files).toEqual([{ id }]);
    });
  });
}
