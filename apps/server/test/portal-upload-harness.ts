/** An app with file storage on each test database (PGlite, PostgreSQL), a portal cast, and a tus client over inject(). */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LightMyRequestResponse } from "fastify";
import { loadConfig } from "../src/config.js";
import type { OpenDatabase } from "../src/db/open-database.js";
import { buildApp } from "../src/http/app.js";
import { LocalStorage } from "../src/storage/local-storage.js";
import type { DatabaseTarget } from "./databases.js";
import type { Harness } from "./harness.js";

/** A harness with storage. */
export interface StorageHarness extends Harness {
  readonly storage: LocalStorage;
  readonly storageDir: string;
}

/** Build an app with a LocalStorage on `target`'s database. */
export async function storageHarness(
  target: DatabaseTarget,
  env: Record<string, string> = {},
): Promise<StorageHarness> {
  const home = await mkdtemp(join(tmpdir(), "meridian-upload-test-"));
  const config = loadConfig({
    MERIDIAN_HOME: home,
    LOG_LEVEL: "silent",
    MERIDIAN_WEB_DIR: join(home, "no-web"),
    ...env,
  });
  const database: OpenDatabase = await target.open();
  const storageDir = join(home, "storage");
  const storage = new LocalStorage(storageDir);
  const app = await buildApp({ config, database, storage });
  await app.ready();
  return {
    app,
    database,
    config,
    storage,
    storageDir,
    async close() {
      await app.close();
      await database.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Upload-Metadata from a record. */
export function tusMetadata(md: Record<string, string>): string {
  return Object.entries(md)
    .map(([k, v]) => `${k} ${Buffer.from(v, "utf8").toString("base64")}`)
    .join(",");
}

export const sha256Hex = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

/** tus requests as an API-key holder. */
export function tusClient(h: Harness, apiKey: string, slug: string) {
  const auth = { authorization: `Bearer ${apiKey}` };
  const base = `/api/portals/${slug}/uploads`;
  return {
    create(
      size: number,
      md: Record<string, string>,
      extra: Record<string, string> = {},
    ): Promise<LightMyRequestResponse> {
      return h.app.inject({
        method: "POST",
        url: base,
        headers: {
          ...auth,
          "tus-resumable": "1.0.0",
          "upload-length": String(size),
          "upload-metadata": tusMetadata(md),
          ...extra,
        },
      });
    },
    patch(
      location: string,
      offset: number,
      body: Uint8Array,
      extra: Record<string, string> = {},
    ): Promise<LightMyRequestResponse> {
      return h.app.inject({
        method: "PATCH",
        url: location,
        headers: {
          ...auth,
          "tus-resumable": "1.0.0",
          "upload-offset": String(offset),
          "content-type": "application/offset+octet-stream",
          ...extra,
        },
        payload: Buffer.from(body),
      });
    },
    head(location: string): Promise<LightMyRequestResponse> {
      return h.app.inject({ method: "HEAD", url: location, headers: { ...auth, "tus-resumable": "1.0.0" } });
    },
    remove(location: string): Promise<LightMyRequestResponse> {
      return h.app.inject({
        method: "DELETE",
        url: location,
        headers: { ...auth, "tus-resumable": "1.0.0" },
      });
    },
    /** Create and send in one PATCH; returns the final PATCH response. */
    async upload(
      name: string,
      bytes: Uint8Array,
      md: Record<string, string> = {},
    ): Promise<LightMyRequestResponse> {
      const c = await this.create(bytes.length, { name, dataset: "night1", ...md });
      if (c.statusCode !== 201) return c;
      return this.patch(c.headers.location as string, 0, bytes);
    },
  };
}
