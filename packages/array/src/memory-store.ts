/** An in-memory Zarr store: a Map from keys ("/v/.zarray", "/v/0.0") to bytes. */
import type { AbsolutePath, AsyncMutable } from "@zarrita/storage";

export class MemoryStore implements AsyncMutable {
  readonly map = new Map<string, Uint8Array>();
  async get(key: AbsolutePath): Promise<Uint8Array | undefined> {
    return this.map.get(key);
  }
  async set(key: AbsolutePath, value: Uint8Array): Promise<void> {
    this.map.set(key, value);
  }
  async delete(key: AbsolutePath): Promise<boolean> {
    return this.map.delete(key);
  }
}
