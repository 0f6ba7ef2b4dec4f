// Fuzz the Zarr metadata and chunk reader: truncated, byte-flipped and semantically broken
// metadata (.zarray, .zattrs, .zmetadata, zarr.json) and chunks. Every read must either succeed
// or fail with a tagged ArrayError naming the array; nothing else may escape, nothing may hang.
import { describe, expect, it } from "vitest";
import { DataArray } from "./data-array.js";
import { Dataset } from "./dataset.js";
import { isArrayError } from "./errors.js";
import { MemoryStore } from "./memory-store.js";
import { NDArray } from "./ndarray.js";
import { readZarr } from "./zarr.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function base(format: 2 | 3): Promise<MemoryStore> {
  const s = new MemoryStore();
  const data = NDArray.from(
    Array.from({ length: 48 }, (_, i) => i * 0.5),
    { dtype: "float64", shape: [4, 12] },
  );
  const z = NDArray.from(
    Array.from({ length: 12 }, (_, i) => ({ re: i, im: -i })),
    { dtype: "complex64", shape: [12] },
  );
  await writeZarrFor(
    s,
    new Dataset(
      { v: new DataArray(data, ["y", "x"]), z: new DataArray(z, ["x"]) },
      { coords: { x: Array.from({ length: 12 }, (_, i) => i) } },
    ),
    format,
  );
  return s;
}

async function writeZarrFor(s: MemoryStore, ds: Dataset, format: 2 | 3): Promise<void> {
  const { writeZarr } = await import("./zarr.js");
  await writeZarr(s, ds, { format, chunks: { y: 3, x: 5 } });
}

async function expectTagged(s: MemoryStore, what: string): Promise<void> {
  try {
    await readZarr(s, { arrays: ["v", "z", "x"] });
  } catch (err) {
    if (!isArrayError(err))
      throw new Error(`${what}: untagged ${(err as Error)?.name}: ${(err as Error)?.message}`);
    expect(
      ["ZARR_METADATA", "ZARR_CHUNK", "DTYPE_UNSUPPORTED", "DIMENSION_MISMATCH", "INVALID_ARGUMENT"],
      `${what}: ${err.message}`,
    ).toContain(err.code);
    expect(err.array, what).toBeTruthy();
  }
}

const SEMANTIC: Record<string, unknown>[] = [
  { shape: [-1, 12] },
  { shape: [4] },
  { shape: "x" },
  { chunks: [0, 5] },
  { chunks: [3] },
  { chunks: [2 ** 20, 2 ** 20] },
  { dtype: "<U4" },
  { dtype: ">f8" },
  { dtype: 7 },
  { order: "Q" },
  { zarr_format: 9 },
  { compressor: { id: "nope" } },
  { compressor: { id: "zlib", level: "x" } },
  { filters: [{ id: "unknown" }] },
  { shape: [2 ** 40, 2 ** 40] },
  { data_type: "float128" },
  { chunk_grid: { name: "irregular" } },
  { chunk_key_encoding: { name: "weird" } },
  { codecs: [{ name: "bytes", configuration: { endian: "big" } }, { name: "nonexistent" }] },
  { codecs: "x" },
  { node_type: "group" },
];

describe("Zarr reader fuzz", () => {
  for (const format of [2, 3] as const) {
    it(`v${format}: truncated and byte-flipped metadata`, async () => {
      const r = rng(format * 7);
      const clean = await base(format);
      const metaKeys = [...clean.map.keys()].filter((k) =>
        /\.z(array|attrs|metadata|group)$|zarr\.json$/.test(k),
      );
      for (const key of metaKeys) {
        const bytes = clean.map.get(key) as Uint8Array;
        for (let t = 0; t < 12; t++) {
          const s = new MemoryStore();
          for (const [k, v] of clean.map) s.map.set(k, v);
          const cut = Math.floor(r() * bytes.length);
          if (t % 2 === 0) s.map.set(key, bytes.subarray(0, cut));
          else {
            const b = bytes.slice();
            for (let j = 0; j < 1 + Math.floor(r() * 4); j++)
              b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
            s.map.set(key, b);
          }
          await expectTagged(s, `${key} mutation ${t}`);
        }
      }
    });

    it(`v${format}: semantically broken metadata fields`, async () => {
      const clean = await base(format);
      const key = format === 2 ? "/v/.zarray" : "/v/zarr.json";
      const meta = JSON.parse(new TextDecoder().decode(clean.map.get(key))) as Record<string, unknown>;
      for (const patch of SEMANTIC) {
        const s = new MemoryStore();
        for (const [k, v] of clean.map) s.map.set(k, v);
        s.map.set(key, new TextEncoder().encode(JSON.stringify({ ...meta, ...patch })));
        s.map.delete("/.zmetadata");
        await expectTagged(s, JSON.stringify(patch));
      }
    });

    it(`v${format}: truncated, flipped and oversized chunks`, async () => {
      const r = rng(format * 13);
      const clean = await base(format);
      const chunkKeys = [...clean.map.keys()].filter(
        (k) => !/\.z(array|attrs|metadata|group)$|zarr\.json$/.test(k),
      );
      for (const key of chunkKeys) {
        const bytes = clean.map.get(key) as Uint8Array;
        for (let t = 0; t < 4; t++) {
          const s = new MemoryStore();
          for (const [k, v] of clean.map) s.map.set(k, v);
          if (t === 0) s.map.set(key, bytes.subarray(0, Math.floor(r() * bytes.length)));
          else if (t === 1)
            s.map.set(
              key,
              bytes.map((b) => (r() < 0.2 ? (b ^ 0xff) & 0xff : b)),
            );
          else if (t === 2) s.map.set(key, new Uint8Array(0));
          else {
            const big = new Uint8Array(bytes.length + 64);
            big.set(bytes);
            s.map.set(key, big);
          }
          await expectTagged(s, `${key} chunk mutation ${t}`);
        }
      }
    });
  }
});
