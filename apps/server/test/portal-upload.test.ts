/**
 * Resumable uploads (tus 1.0.0 core, creation, termination, checksum) on PGlite and PostgreSQL:
 * a file appears only when complete and verified, with its headers extracted; resumes after a cut;
 * same-name races give one winner and a 409; quotas answer 413 before any byte; bad bodies and
 * headers are clear errors and leave nothing behind.
 */
import { readFile } from "node:fs/promises";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedFixture } from "../../../test/paths.js";
import {
  dataFiles,
  datasets,
  nightLogs,
  observingSites,
  organisations,
  telescopes,
  uploads,
} from "../src/db/portal-schema.js";
import { cleanupUploads } from "../src/portal/uploads/upload-store.js";
import { databaseTargets } from "./databases.js";
import { apiKeyOf, type PortalCast, portalCast } from "./portal-harness.js";
import { type StorageHarness, sha256Hex, storageHarness, tusClient } from "./portal-upload-harness.js";

const targets = await databaseTargets();
const FITS = (name: string) => readFile(sharedFixture("fits", name)).then((b) => new Uint8Array(b));

async function blobKeys(h: StorageHarness, orgId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of h.storage.list(`uploads/${orgId}/`)) keys.push(o.key);
  return keys;
}

for (const target of targets) {
  describe.skipIf(!target.available)(`uploads on ${target.name}`, () => {
    let h: StorageHarness;
    let cast: PortalCast;
    let tus: ReturnType<typeof tusClient>;
    let observerTus: ReturnType<typeof tusClient>;
    beforeAll(async () => {
      h = await storageHarness(target);
      cast = await portalCast(h, `up-${target.name}`);
      tus = tusClient(h, (await apiKeyOf(h, cast.member, ["upload", "read"])).apiKey, cast.slug);
      observerTus = tusClient(h, (await apiKeyOf(h, cast.observer, ["upload"])).apiKey, cast.slug);
    });
    afterAll(async () => {
      await h?.close();
    });

    it("OPTIONS lists the protocol and extensions", async () => {
      const res = await h.app.inject({
        method: "OPTIONS",
        url: `/api/portals/${cast.slug}/uploads`,
        headers: { authorization: `Bearer ${(await apiKeyOf(h, cast.member, ["upload"])).apiKey}` },
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers["tus-version"]).toBe("1.0.0");
      expect(res.headers["tus-extension"]).toBe("creation,creation-with-upload,termination,checksum");
      expect(res.headers["tus-checksum-algorithm"]).toBe("sha256");
    });

    it("a FITS file appears only when complete, with headers, position and a night log", async () => {
      const db = h.database.db;
      const [site] = await db
        .insert(observingSites)
        .values({
          orgId: cast.orgId,
          name: "Paranal",
          longitude: -70.4,
          latitude: -24.6,
          timeZone: "America/Santiago",
        })
        .returning();
      await db.insert(telescopes).values({ orgId: cast.orgId, siteId: site!.id, name: "UKIRT" });
      const bytes = await FITS("ukidss_zpn.fits");
      const c = await tus.create(bytes.length, {
        name: "raw/ukidss.fits",
        dataset: "night1",
        sha256: sha256Hex(bytes),
      });
      expect(c.statusCode).toBe(201);
      const loc = c.headers.location as string;
      expect(loc).toBe(`/api/portals/${cast.slug}/uploads/${c.json().id}`);
      const half = 100_000;
      const p1 = await tus.patch(loc, 0, bytes.subarray(0, half));
      expect(p1.statusCode).toBe(204);
      expect(p1.headers["upload-offset"]).toBe(String(half));
      expect(await db.select().from(dataFiles).where(eq(dataFiles.name, "raw/ukidss.fits"))).toEqual([]);
      const hd = await tus.head(loc);
      expect(hd.statusCode).toBe(200);
      expect(hd.headers["upload-offset"]).toBe(String(half));
      expect(hd.headers["upload-length"]).toBe(String(bytes.length));
      expect(hd.headers["cache-control"]).toBe("no-store");
      const [orgBefore] = await db.select().from(organisations).where(eq(organisations.id, cast.orgId));
      const p2 = await tus.patch(loc, half, bytes.subarray(half));
      expect(p2.statusCode).toBe(204);
      expect(p2.headers["upload-offset"]).toBe(String(bytes.length));
      const fileId = p2.headers["meridian-file-id"] as string;
      expect(p2.headers["meridian-file-sha256"]).toBe(sha256Hex(bytes));
      const [file] = await db.select().from(dataFiles).where(eq(dataFiles.id, fileId));
      expect(file?.size).toBe(bytes.length);
      expect(file?.format).toBe("fits");
      expect(file?.object).toBe("TaurusAuriga:12_28:1_1");
      expect(file?.filter).toBe("K");
      expect(file?.frameType).toBe("light");
      expect(file?.headers).toHaveLength(2);
      expect(file?.footprint).toHaveLength(4);
      // 2007-10-11T13:12:05.560Z is 10:12 in Santiago (UTC-3): the night that began on the 10th.
      const [log] = await db
        .select()
        .from(nightLogs)
        .where(eq(nightLogs.id, file?.nightLogId ?? ""));
      expect(log?.night).toBe("2007-10-10");
      const [orgAfter] = await db.select().from(organisations).where(eq(organisations.id, cast.orgId));
      expect(orgAfter!.usedBytes - orgBefore!.usedBytes).toBe(bytes.length);
      // Two parts were joined: only the joined object remains, and it has the right bytes.
      const keys = await blobKeys(h, cast.orgId);
      expect(keys).toContain(file?.storageKey);
      expect(keys.filter((k) => k.includes(fileId))).toEqual([file?.storageKey]);
      const chunks: Buffer[] = [];
      for await (const chunk of await h.storage.get(file!.storageKey)) chunks.push(chunk as Buffer);
      const stored = new Uint8Array(Buffer.concat(chunks));
      expect(sha256Hex(stored)).toBe(sha256Hex(bytes));
      expect(await db.select().from(uploads).where(eq(uploads.id, fileId))).toEqual([]);
      expect((await tus.head(loc)).statusCode).toBe(404);
    });

    it("bad input: a non-FITS .fits, a truncated FITS and a header without WCS are stored with warnings", async () => {
      const db = h.database.db;
      const text = new TextEncoder().encode("not a fits file\n");
      const r1 = await tus.upload("bad/notfits.fits", text);
      expect(r1.statusCode).toBe(204);
      const [f1] = await db
        .select()
        .from(dataFiles)
        .where(eq(dataFiles.id, r1.headers["meridian-file-id"] as string));
      expect(f1?.format).toBe("text");
      expect(f1?.warnings).toEqual([
        'named like a FITS file but is not one: it does not start with "SIMPLE  =" (stored as text)',
      ]);
      const full = await FITS("ngc1316o.fit");
      const r2 = await tus.upload("bad/truncated.fits", full.subarray(0, 30_000));
      const [f2] = await db
        .select()
        .from(dataFiles)
        .where(eq(dataFiles.id, r2.headers["meridian-file-id"] as string));
      expect(f2?.object).toBe("NGC 1316");
      expect(f2?.warnings[0]).toBe(
        "truncated: HDU 0 declares 264000 data bytes at byte 11520 but the file has only 18480",
      );
      const r3 = await tus.upload("bad/rate.fit", await FITS("rate.fit"));
      const [f3] = await db
        .select()
        .from(dataFiles)
        .where(eq(dataFiles.id, r3.headers["meridian-file-id"] as string));
      expect(f3?.warnings).toContain("no celestial WCS: no footprint");
      expect(f3?.footprint).toBeNull();
    });

    it("a wrong sha256 stores nothing (460) and a wrong Upload-Checksum keeps the earlier bytes", async () => {
      const bytes = await FITS("equatorial_3d.fits");
      const c = await tus.create(bytes.length, {
        name: "x/wrong.fits",
        dataset: "night1",
        sha256: "0".repeat(64),
      });
      const loc = c.headers.location as string;
      const id = c.json().id as string;
      const bad = await tus.patch(loc, 0, bytes.subarray(0, 100), {
        "upload-checksum": `sha256 ${Buffer.from(sha256Hex(new Uint8Array([1])))
          .subarray(0, 32)
          .toString("base64")}`,
      });
      expect(bad.statusCode).toBe(460);
      expect((await tus.head(loc)).headers["upload-offset"]).toBe("0");
      const good = await tus.patch(loc, 0, bytes.subarray(0, 100), {
        "upload-checksum": `sha256 ${Buffer.from(sha256Hex(bytes.subarray(0, 100)), "hex").toString("base64")}`,
      });
      expect(good.statusCode).toBe(204);
      const last = await tus.patch(loc, 100, bytes.subarray(100));
      expect(last.statusCode).toBe(460);
      expect(last.json().message).toBe(
        `"x/wrong.fits": the bytes received have sha256 ${sha256Hex(bytes)} but the upload announced ${"0".repeat(64)}; nothing was stored`,
      );
      expect(await h.database.db.select().from(dataFiles).where(eq(dataFiles.id, id))).toEqual([]);
      expect((await blobKeys(h, cast.orgId)).filter((k) => k.includes(id))).toEqual([]);
    });

    it("offset mismatch is 409, a body past Upload-Length 413, wrong content type 415, no Tus-Resumable 412", async () => {
      const c = await tus.create(10, { name: "x/small.txt", dataset: "night1" });
      const loc = c.headers.location as string;
      expect((await tus.patch(loc, 3, new Uint8Array(2))).statusCode).toBe(409);
      const over = await tus.patch(loc, 0, new Uint8Array(11));
      expect(over.statusCode).toBe(413);
      expect((await tus.head(loc)).headers["upload-offset"]).toBe("0");
      const wrongType = await tus.patch(loc, 0, new Uint8Array(2), {
        "content-type": "application/octet-stream",
      });
      expect(wrongType.statusCode).toBe(415);
      const noTus = await h.app.inject({ method: "HEAD", url: loc, headers: { authorization: "x" } });
      expect([401, 412]).toContain(noTus.statusCode);
      const res = await tus.create(10, { name: "../escape", dataset: "night1" });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toBe('file name "../escape" has an empty, "." or ".." folder');
      expect(
        (await tus.create(10, { dataset: "night1" }, { "upload-metadata": "name !!!" })).statusCode,
      ).toBe(400);
      expect((await tus.remove(loc)).statusCode).toBe(204);
      expect((await tus.head(loc)).statusCode).toBe(404);
    });

    it("two uploads of the same name at once: one wins, the other gets 409", async () => {
      const bytes = await FITS("example_cube.fits");
      const [a, b] = await Promise.all([
        tus.create(bytes.length, { name: "race/same.fits", dataset: "night1" }),
        tus.create(bytes.length, { name: "race/same.fits", dataset: "night1" }),
      ]);
      const codes = [a.statusCode, b.statusCode].sort();
      expect(codes).toEqual([201, 409]);
      const loser = a.statusCode === 409 ? a : b;
      const winner = a.statusCode === 201 ? a : b;
      expect(loser.json().message).toBe(
        'an upload of "race/same.fits" into dataset "night1" is already in progress (upload ' +
          winner.json().id +
          ": resume it)",
      );
      expect((await tus.patch(winner.headers.location as string, 0, bytes)).statusCode).toBe(204);
      const again = await tus.create(bytes.length, {
        name: "race/same.fits",
        dataset: "night1",
        sha256: sha256Hex(bytes),
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().sameContent).toBe(true);
      // The same bytes under another name: stored, with a documented duplicate warning.
      const dup = await tus.upload("race/copy.fits", bytes);
      expect(dup.headers["meridian-duplicate-of"]).toBe(winner.json().id);
    });

    it("quota: 413 before any byte, nothing stored, nothing lost", async () => {
      const db = h.database.db;
      const [org] = await db.select().from(organisations).where(eq(organisations.id, cast.orgId));
      await db
        .update(organisations)
        .set({ quotaBytes: org!.usedBytes + 1000 })
        .where(eq(organisations.id, cast.orgId));
      const before = await db
        .select({ id: dataFiles.id })
        .from(dataFiles)
        .where(eq(dataFiles.orgId, cast.orgId));
      const res = await tus.create(5000, { name: "q/big.fits", dataset: "night1" });
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe("QUOTA_EXCEEDED");
      expect(res.json().message).toMatch(
        /^quota exceeded: this portal may store .*; .* are used and 0 B reserved by uploads in progress, so "q\/big.fits" \(4.9 KiB\) does not fit$/,
      );
      expect(
        await db.select({ id: dataFiles.id }).from(dataFiles).where(eq(dataFiles.orgId, cast.orgId)),
      ).toEqual(before);
      const small = await tus.upload("q/small.txt", new Uint8Array(500).fill(65));
      expect(small.statusCode).toBe(204);
      await db.update(organisations).set({ quotaBytes: null }).where(eq(organisations.id, cast.orgId));
    });

    it("only the uploader or an admin may see and write an upload", async () => {
      const ownerTus = tusClient(h, (await apiKeyOf(h, cast.owner, ["upload"])).apiKey, cast.slug);
      const adminTus = tusClient(h, (await apiKeyOf(h, cast.admin, ["upload"])).apiKey, cast.slug);
      const c = await ownerTus.create(4, { name: "own/x.txt", dataset: "night1" });
      const loc = c.headers.location as string;
      expect((await tus.head(loc)).statusCode).toBe(403);
      const p = await tus.patch(loc, 0, new Uint8Array(4));
      expect(p.statusCode).toBe(403);
      expect(p.json().message).toBe(`upload ${c.json().id} belongs to another user`);
      expect((await tus.remove(loc)).statusCode).toBe(403);
      expect((await adminTus.head(loc)).headers["upload-offset"]).toBe("0");
      expect((await ownerTus.patch(loc, 0, new Uint8Array(4))).statusCode).toBe(204);
    });

    it("observers may not upload; an unknown upload is 404", async () => {
      const res = await observerTus.create(10, { name: "o.txt", dataset: "night1" });
      expect(res.statusCode).toBe(403);
      expect((await tus.head(`/api/portals/${cast.slug}/uploads/${crypto.randomUUID()}`)).statusCode).toBe(
        404,
      );
    });

    it("fuzz: truncated and malformed bodies and headers never crash or leave a file", async () => {
      const db = h.database.db;
      const filesBefore = (await db.select({ id: dataFiles.id }).from(dataFiles)).length;
      let seed = 7;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      for (let k = 0; k < 25; k++) {
        const size = 1 + Math.floor(rand() * 5000);
        const c = await tus.create(size, { name: `fuzz/f${k}.fits`, dataset: "fuzz" });
        expect(c.statusCode).toBe(201);
        const loc = c.headers.location as string;
        const sent = Math.floor(rand() * (size - 1));
        const res = await tus.patch(
          loc,
          rand() < 0.2 ? size + 5 : 0,
          new Uint8Array(sent).map(() => rand() * 256),
          {
            ...(rand() < 0.3 ? { "upload-checksum": rand() < 0.5 ? "md5 AAAA" : "sha256 %%%" } : {}),
          },
        );
        expect([204, 400, 409]).toContain(res.statusCode);
        const hd = await tus.head(loc);
        expect(Number(hd.headers["upload-offset"])).toBeLessThan(size);
      }
      for (const bad of ["", "name", "name a,name b", "name ===", "k\u0001 dg==", "name dg==,, x"]) {
        const res = await tus.create(3, {}, { "upload-metadata": bad });
        expect(res.statusCode, bad).toBe(400);
      }
      for (const len of ["-1", "1.5", "abc", "99999999999999999999"]) {
        const res = await tus.create(0, { name: "l.txt", dataset: "fuzz" }, { "upload-length": len });
        expect(res.statusCode, len).toBe(400);
      }
      expect((await db.select({ id: dataFiles.id }).from(dataFiles)).length).toBe(filesBefore);
      const [ds] = await db
        .select()
        .from(datasets)
        .where(and(eq(datasets.orgId, cast.orgId), eq(datasets.name, "fuzz")));
      const cleaned = await cleanupUploads(
        { db, storage: h.storage },
        { now: new Date(Date.now() + 48 * 3600_000) },
      );
      expect(cleaned.expired).toBeGreaterThanOrEqual(25);
      expect(await db.select().from(uploads).where(eq(uploads.datasetId, ds!.id))).toEqual([]);
      const files = await db
        .select({ key: dataFiles.storageKey })
        .from(dataFiles)
        .where(eq(dataFiles.orgId, cast.orgId));
      expect((await blobKeys(h, cast.orgId)).sort()).toEqual(files.map((f) => f.key).sort());
    });
  });
}
