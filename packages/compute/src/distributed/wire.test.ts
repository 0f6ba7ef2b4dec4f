import { mkdtempSync, readdirSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { allocateChunk, type Chunk } from "../chunk.js";
import { ComputeError } from "../errors.js";
import { decodeValue, encodeValue, removeScratch, scratchBytes } from "./wire.js";

const dir = mkdtempSync(join(tmpdir(), "wire-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scratch = { dir, inlineLimit: 64 };

function f32(values: number[]): Chunk<"float32"> {
  const c = allocateChunk("float32", [values.length]);
  c.data.set(values);
  return c;
}

async function decodeError(v: unknown): Promise<ComputeError> {
  try {
    await decodeValue(v, dir);
  } catch (e) {
    if (e instanceof ComputeError) return e;
    throw e;
  }
  throw new Error("decoded");
}

describe("wire encoding", () => {
  it("round-trips small chunks inline, large ones through scratch, and non-finite numbers", async () => {
    const small = f32([1, 2, 3]);
    const big = f32(Array.from({ length: 100 }, (_, i) => i / 3));
    const value = { small, big, stats: [Number.NaN, Number.POSITIVE_INFINITY, -0.5], label: "x" };
    const wire = JSON.parse(JSON.stringify(await encodeValue(value, scratch, "run1")));
    expect(wire.small.$chunk.b64).toBe(Buffer.from(small.data.buffer).toString("base64"));
    expect(wire.big.$chunk.file).toMatch(/^run1\/[0-9a-f-]{36}\.chunk$/);
    expect(scratchBytes(wire)).toBe(400);
    const back = (await decodeValue(wire, dir)) as typeof value;
    expect(Array.from(back.small.data)).toEqual([1, 2, 3]);
    expect(back.big.data).toEqual(big.data);
    expect(back.big.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(back.stats).toEqual([Number.NaN, Number.POSITIVE_INFINITY, -0.5]);
    expect(back.label).toBe("x");
    await removeScratch(wire, dir);
    expect(readdirSync(join(dir, "run1"))).toEqual([]);
  });

  it("rejects malformed descriptors with BACKEND errors saying what is wrong", async () => {
    const ok = { dtype: "float32", shape: [2], bytes: 8 };
    expect((await decodeError({ $chunk: { ...ok, dtype: "float16", b64: "" } })).message).toBe(
      'wire chunk has unknown dtype "float16"',
    );
    expect((await decodeError({ $chunk: { ...ok, shape: [-1], b64: "" } })).message).toBe(
      "wire chunk has a bad shape [-1]",
    );
    expect((await decodeError({ $chunk: { ...ok, bytes: 4, b64: "" } })).message).toBe(
      "wire chunk says 4 bytes but float32 [2] needs 8",
    );
    expect((await decodeError({ $chunk: { ...ok, b64: "AAAA" } })).message).toBe(
      "inline chunk holds 3 bytes, expected 8",
    );
    expect((await decodeError({ $chunk: { ...ok, file: "../../etc/passwd" } })).message).toBe(
      'wire chunk names no valid scratch file ("../../etc/passwd")',
    );
    const missing = "run2/00000000-0000-0000-0000-000000000000.chunk";
    const e = await decodeError({ $chunk: { ...ok, file: missing } });
    expect(e.code).toBe("BACKEND");
    expect(e.message).toBe(`scratch chunk ${join(dir, missing)} is missing`);
  });

  it("reports a truncated scratch file with the byte where it ends", async () => {
    const wire = (await encodeValue(f32(Array(40).fill(1)), scratch, "run3")) as { $chunk: { file: string } };
    truncateSync(join(dir, wire.$chunk.file), 100);
    expect((await decodeError(wire)).message).toBe(
      `scratch chunk ${join(dir, wire.$chunk.file)} is truncated at byte 100`,
    );
  });

  it("never crashes on random descriptors", async () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const atoms = [null, 0, -1, 1.5, "", "float32", "x/../y", [], [2, 2], {}, Number.NaN, "AAAA"];
    for (let i = 0; i < 300; i++) {
      const pick = () => atoms[Math.floor(rnd() * atoms.length)];
      const c: Record<string, unknown> = { dtype: pick(), shape: pick(), bytes: pick() };
      if (rnd() < 0.5) c.b64 = pick();
      else c.file = pick();
      try {
        await decodeValue({ $chunk: c }, dir);
      } catch (e) {
        expect(e).toBeInstanceOf(ComputeError);
      }
    }
  });
});
