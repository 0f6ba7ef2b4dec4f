/**
 * Tiles of one image HDU in the browser: fetched from `/api/fits/tile` (at most 6 at a time, the
 * most recently wanted first), kept on the GPU and in memory (for the pixel readout), and evicted
 * least-recently-used beyond `limit`. Counts bytes received so the page can tell what a view cost.
 */
import type { GpuTile, TileRenderer } from "./tile-renderer.js";

export interface TileEntry {
  readonly gpu: GpuTile;
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
  readonly level: number;
  readonly col: number;
  readonly row: number;
  readonly plane: string;
}

export interface TileSource {
  readonly path: string;
  readonly hdu: number;
  readonly version: string;
  readonly tileSize: number;
}

const CONCURRENCY = 6;

export function tileKey(plane: string, level: number, col: number, row: number): string {
  return `${plane}|${level}|${col}|${row}`;
}

export class TileStore {
  private readonly tiles = new Map<string, TileEntry>();
  private readonly loading = new Set<string>();
  private queue: { key: string; plane: string; level: number; col: number; row: number }[] = [];
  private active = 0;
  private disposed = false;
  /** Bytes received (after HTTP decoding) and tiles loaded. */
  bytes = 0;
  loaded = 0;
  errors: string[] = [];

  constructor(
    private readonly renderer: TileRenderer,
    private readonly source: TileSource,
    private readonly onLoad: () => void,
    private readonly limit = 384,
  ) {}

  get(plane: string, level: number, col: number, row: number): TileEntry | undefined {
    const key = tileKey(plane, level, col, row);
    const t = this.tiles.get(key);
    if (t !== undefined) {
      this.tiles.delete(key);
      this.tiles.set(key, t);
    }
    return t;
  }

  has(plane: string, level: number, col: number, row: number): boolean {
    return this.tiles.has(tileKey(plane, level, col, row));
  }

  /** Tiles being fetched or waiting. */
  get pending(): number {
    return this.loading.size + this.queue.length;
  }

  /** Replace the wish list (first = most wanted); tiles already loading keep loading. */
  want(items: readonly { plane: string; level: number; col: number; row: number }[]): void {
    this.queue = items
      .map((i) => ({ ...i, key: tileKey(i.plane, i.level, i.col, i.row) }))
      .filter((i) => !this.tiles.has(i.key) && !this.loading.has(i.key));
    this.pump();
  }

  private pump(): void {
    while (this.active < CONCURRENCY && this.queue.length > 0 && !this.disposed) {
      const item = this.queue.shift()!;
      this.active++;
      this.loading.add(item.key);
      void this.fetchTile(item)
        .catch((err: unknown) => {
          this.errors.push((err as Error).message);
        })
        .finally(() => {
          this.active--;
          this.loading.delete(item.key);
          this.pump();
          if (!this.disposed) this.onLoad();
        });
    }
  }

  private async fetchTile(item: {
    key: string;
    plane: string;
    level: number;
    col: number;
    row: number;
  }): Promise<void> {
    const s = this.source;
    const q = new URLSearchParams({
      path: s.path,
      hdu: String(s.hdu),
      level: String(item.level),
      col: String(item.col),
      row: String(item.row),
      v: s.version,
    });
    if (item.plane !== "") q.set("plane", item.plane);
    const res = await fetch(`/api/fits/tile?${q}`, { credentials: "same-origin" });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { message?: string } | null;
      throw new Error(body?.message ?? `tile request failed: HTTP ${res.status}`);
    }
    const buffer = await res.arrayBuffer();
    if (this.disposed) return;
    const width = Number(res.headers.get("x-tile-width"));
    const height = Number(res.headers.get("x-tile-height"));
    if (!(width > 0 && height > 0) || buffer.byteLength !== width * height * 4)
      throw new Error(`tile of ${buffer.byteLength} bytes does not match ${width}×${height}`);
    this.bytes += buffer.byteLength;
    const data = new Float32Array(buffer);
    const f = 2 ** item.level;
    const x0 = item.col * s.tileSize * f;
    const y0 = item.row * s.tileSize * f;
    const gpu = this.renderer.upload(data, width, height, [x0, y0, x0 + width * f, y0 + height * f]);
    this.tiles.set(item.key, {
      gpu,
      data,
      width,
      height,
      level: item.level,
      col: item.col,
      row: item.row,
      plane: item.plane,
    });
    this.loaded++;
    while (this.tiles.size > this.limit) {
      const oldest = this.tiles.keys().next().value as string;
      const t = this.tiles.get(oldest)!;
      this.renderer.release(t.gpu);
      this.tiles.delete(oldest);
    }
  }

  /** The value under image pixel-edge point (u, v) from the finest loaded level, with that level. */
  valueAt(plane: string, u: number, v: number, levels: number): { value: number; level: number } | null {
    const s = this.source.tileSize;
    for (let level = 0; level < levels; level++) {
      const f = 2 ** level;
      const px = Math.floor(u / f);
      const py = Math.floor(v / f);
      const t = this.tiles.get(tileKey(plane, level, Math.floor(px / s), Math.floor(py / s)));
      if (t === undefined) continue;
      const x = px - t.col * s;
      const y = py - t.row * s;
      if (x < 0 || y < 0 || x >= t.width || y >= t.height) return null;
      return { value: t.data[y * t.width + x] as number, level };
    }
    return null;
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.tiles.values()) this.renderer.release(t.gpu);
    this.tiles.clear();
    this.queue = [];
  }
}
