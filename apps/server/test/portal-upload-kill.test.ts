/**
 * Kill tests: a client process streaming a PATCH is SIGKILLed mid-stream. Nothing becomes visible,
 * the bytes that arrived are kept, the upload resumes from the server's offset and completes with
 * the right sha256; an abandoned killed upload is removed by cleanup with no orphan blob or temp file.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataFiles, uploads } from "../src/db/portal-schema.js";
import { cleanupUploads } from "../src/portal/uploads/upload-store.js";
import { TEMP_DIR_NAME } from "../src/storage/storage-key.js";
import { databaseTargets } from "./databases.js";
import { apiKeyOf, portalCast } from "./portal-harness.js";
import { type StorageHarness, sha256Hex, storageHarness, tusClient } from "./portal-upload-harness.js";

const targets = await databaseTargets();
const SIZE = 8 * 1024 * 1024;
const SENT_BEFORE_KILL = 3 * 1024 * 1024;

// The client: PATCH the file's bytes, stop after `sent` bytes and wait to be killed.
const CLIENT = `
const http = require("node:http");
const fs = require("node:fs");
const [url, key, file, sent] = process.argv.slice(1);
const req = http.request(url, { method: "PATCH", headers: {
  authorization: "Bearer " + key, "tus-resumable": "1.0.0", "upload-offset": "0",
  "content-type": "application/offset+octet-stream", "content-length": String(fs.statSync(file).size) } });
req.on("error", () => {});
const bytes = fs.readFileSync(file).subarray(0, Number(sent));
req.write(bytes, () => { console.log("sent"); });
setInterval(() => {}, 1000);
`;

async function killMidStream(url: string, apiKey: string, file: string): Promise<void> {
  const child = spawn(process.execPath, ["-e", CLIENT, url, apiKey, file, String(SENT_BEFORE_KILL)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      if (d.toString().includes("sent")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`client exited early (${code})`)));
  });
  await new Promise((r) => setTimeout(r, 200));
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}

async function waitForOffset(tus: ReturnType<typeof tusClient>, loc: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const offset = Number((await tus.head(loc)).headers["upload-offset"]);
    if (offset > 0) return offset;
    await new Promise((r) => setTimeout(r, 50));
  }
  return 0;
}

for (const target of targets) {
  describe.skipIf(!target.available)(`killed uploads on ${target.name}`, () => {
    let h: StorageHarness;
    let base: string;
    let apiKey: string;
    let slug: string;
    let orgId: string;
    let file: string;
    let bytes: Uint8Array;
    beforeAll(async () => {
      h = await storageHarness(target);
      const cast = await portalCast(h, `kill-${target.name}`);
      slug = cast.slug;
      orgId = cast.orgId;
      apiKey = (await apiKeyOf(h, cast.member, ["upload"])).apiKey;
      base = await h.app.listen({ port: 0, host: "127.0.0.1" });
      bytes = new Uint8Array(randomBytes(SIZE));
      file = join(h.config.home, "big.bin");
      await writeFile(file, bytes);
    });
    afterAll(async () => {
      await h?.close();
    });

    it("a client killed mid-stream leaves no file; the resume completes with the right sha256", async () => {
      const tus = tusClient(h, apiKey, slug);
      const c = await tus.create(SIZE, { name: "big/killed.bin", dataset: "kill", sha256: sha256Hex(bytes) });
      const loc = c.headers.location as string;
      const id = c.json().id as string;
      await killMidStream(`${base}${loc}`, apiKey, file);
      const offset = await waitForOffset(tus, loc);
      expect(offset).toBeGreaterThan(0);
      expect(offset).toBeLessThanOrEqual(SENT_BEFORE_KILL);
      expect(await h.database.db.select().from(dataFiles).where(eq(dataFiles.id, id))).toEqual([]);
      const done = await tus.patch(loc, offset, bytes.subarray(offset));
      expect(done.statusCode).toBe(204);
      expect(done.headers["meridian-file-sha256"]).toBe(sha256Hex(bytes));
      const [row] = await h.database.db.select().from(dataFiles).where(eq(dataFiles.id, id));
      expect(row?.sha256).toBe(sha256Hex(bytes));
      expect(row?.size).toBe(SIZE);
    });

    it("a killed upload that is never resumed is removed by cleanup with no orphan blob", async () => {
      const tus = tusClient(h, apiKey, slug);
      const c = await tus.create(SIZE, { name: "big/abandoned.bin", dataset: "kill" });
      const loc = c.headers.location as string;
      const id = c.json().id as string;
      await killMidStream(`${base}${loc}`, apiKey, file);
      expect(await waitForOffset(tus, loc)).toBeGreaterThan(0);
      const keys = async () => {
        const out: string[] = [];
        for await (const o of h.storage.list(`uploads/${orgId}/${id}.`)) out.push(o.key);
        return out;
      };
      expect((await keys()).length).toBeGreaterThan(0);
      const result = await cleanupUploads(
        { db: h.database.db, storage: h.storage },
        { now: new Date(Date.now() + 48 * 3600_000) },
      );
      expect(result.expired).toBe(1);
      expect(await keys()).toEqual([]);
      expect(await h.database.db.select().from(uploads).where(eq(uploads.id, id))).toEqual([]);
      expect(await readdir(join(h.storageDir, TEMP_DIR_NAME)).catch(() => [])).toEqual([]);
      expect((await tus.head(loc)).statusCode).toBe(404);
    });
  });
}
