import { describe, expect, it } from "vitest";
import {
  allocateChunk,
  BufferPool,
  chunkFromBuffer,
  chunksIn,
  dtypeBytes,
  isChunk,
  shapeSize,
  sharedBuffers,
  valueBytes,
} from "./chunk.js";
import { ComputeError } from "./errors.js";

describe("chunks", () => {
  it("allocates zeroed shared chunks of every dtype with the right element size", () => {
    const sizes = {
      bool: 1,
      int8: 1,
      int64: 8,
      uint64: 8,
      float32: 4,
      complex64: 8,
      complex128: 16,
    } as const;
    for (const [d, b] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      const c = allocateChunk(d, [3, 2]);
      expect(dtypeBytes(d)).toBe(b);
      expect(c.data.byteLength).toBe(6 * b);
      expect(c.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Array.from(c.data as ArrayLike<number | bigint>).every((v) => v === 0 || v === 0n)).toBe(true);
    }
    expect(shapeSize([])).toBe(1);
    expect(() => shapeSize([2, -1])).toThrow(ComputeError);
    expect(() => allocateChunk("float16" as "float32", [1])).toThrow('unknown dtype "float16"');
  });

  it("views a buffer without copying", () => {
    const sab = new SharedArrayBuffer(32);
    const c = chunkFromBuffer("float32", [2, 2], sab, 8);
    c.data[0] = 5;
    expect(new Float32Array(sab)[2]).toBe(5);
    expect(isChunk(c)).toBe(true);
    expect(isChunk({ dtype: "float32", shape: [1], data: [1] })).toBe(false);
  });

  it("finds chunks in arrays and plain objects for memory accounting and recycling", () => {
    const a = allocateChunk("float64", [4]);
    const b = allocateChunk("uint8", [10]);
    const v = { data: a, extra: [b, { deep: a }], note: "x", n: 3 };
    expect(chunksIn(v)).toEqual([a, b, a]);
    expect(valueBytes(v)).toBe(32 + 10 + 32);
    expect(sharedBuffers([a, null])).toEqual([a.data.buffer]);
    expect(valueBytes(null)).toBe(0);
  });

  it("recycles buffers by exact size within its capacity", () => {
    const pool = new BufferPool(100);
    const b = new SharedArrayBuffer(64);
    pool.give(b);
    pool.give(new SharedArrayBuffer(64)); // over capacity: dropped
    const c = pool.allocate("float32", [16]);
    expect(c.data.buffer).toBe(b);
    expect(pool.allocate("float32", [16]).data.buffer).not.toBe(b); // none left: a new one
    expect(pool.take(64)).toBeUndefined();
  });
});
