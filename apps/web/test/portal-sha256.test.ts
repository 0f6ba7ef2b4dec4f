/** The streamed SHA-256 against Node's crypto (OpenSSL), on lengths around every block boundary and on pieces of any size. */
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { Sha256, sha256OfBlob } from "../src/portal/sha256.js";

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

describe("Sha256", () => {
  test("lengths 0..300 in one piece", () => {
    for (let n = 0; n <= 300; n++) {
      const data = bytes(n, n);
      expect(new Sha256().update(data).hex()).toBe(createHash("sha256").update(data).digest("hex"));
    }
  });

  test("pieces of random sizes give the same digest", () => {
    const data = bytes(100_003, 7);
    const want = createHash("sha256").update(data).digest("hex");
    for (const step of [1, 3, 63, 64, 65, 1000, 65_536]) {
      const h = new Sha256();
      for (let i = 0; i < data.length; i += step) h.update(data.subarray(i, i + step));
      expect(h.hex()).toBe(want);
    }
  });

  test("a Blob above the Web Crypto limit, read as a stream, and one below", async () => {
    const data = bytes(17 * 1024 * 1024 + 1, 11);
    let last = 0;
    const hex = await sha256OfBlob(new Blob([data as Uint8Array<ArrayBuffer>]), (n) => {
      last = n;
    });
    expect(hex).toBe(createHash("sha256").update(data).digest("hex"));
    expect(last).toBe(data.length);
    const small = data.slice(0, 1000);
    expect(await sha256OfBlob(new Blob([small]))).toBe(createHash("sha256").update(small).digest("hex"));
  });
});
