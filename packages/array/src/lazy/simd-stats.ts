/**
 * Shifted sum and sum of squares of float32 values in float64, with WebAssembly SIMD: each step
 * loads eight float32 values, widens them to four float64 pairs and adds them into four
 * independent pairs of accumulators (sixteen partial sums, so no long dependency chain). The
 * hot loop of whole-array mean/std/var of float32 sources: about five times faster than the
 * JavaScript loop, which leaves reading the file as the main cost.
 *
 * The module is assembled here byte by byte (a few dozen instructions; no toolchain needed) and
 * owns one memory: `input()` is where the caller reads a piece of up to {@link SIMD_PIECE_BYTES}
 * bytes, `sums(n, k)` returns [Σ(x−k), Σ(x−k)²] over its first n values (n a multiple of 8).
 * NaN propagates, so a NaN result means "the piece holds NaN (or ±∞)": the caller then uses the
 * NaN-skipping scalar loop for that piece, which keeps the results identical in meaning.
 */

/** Bytes of input one call takes at most (256 KiB: the piece and its use stay in L2 cache). */
export const SIMD_PIECE_BYTES = 1 << 18;

const DATA = 16; // input starts here; [0, 16) holds the two float64 results

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const simd = (op: number) => [0xfd, ...uleb(op)];
const F64X2_ADD = simd(0xf0);
const F64X2_SUB = simd(0xf1);
const F64X2_MUL = simd(0xf2);
const PROMOTE_LOW = simd(0x5f);

// locals: 0 p (byte address), 1 end (byte address), 2 k; 3 kk (k splatted), 4..11 accumulators,
// 12 the loaded vector, 13 the shifted pair
function accumulate(vec: number, s1: number, s2: number, high: boolean): number[] {
  const widen = high
    ? [...get(vec), ...get(vec), ...simd(0x0d), 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]
    : get(vec);
  return [
    ...widen,
    ...PROMOTE_LOW,
    ...get(3),
    ...F64X2_SUB,
    ...set(13),
    ...get(s1),
    ...get(13),
    ...F64X2_ADD,
    ...set(s1),
    ...get(s2),
    ...get(13),
    ...get(13),
    ...F64X2_MUL,
    ...F64X2_ADD,
    ...set(s2),
  ];
}

function load(offset: number): number[] {
  // v128.load, alignment 2^2 (float32), offset
  return [...get(0), ...simd(0x00), 2, ...uleb(offset), ...set(12)];
}

function store(a: number, b: number, c: number, d: number, at: number): number[] {
  // f64.store at `at` of lane0 + lane1 of ((a + b) + (c + d))
  return [
    0x41,
    ...uleb(at), // i32.const (at < 64: same bytes as signed LEB)
    ...get(a),
    ...get(b),
    ...F64X2_ADD,
    ...get(c),
    ...get(d),
    ...F64X2_ADD,
    ...F64X2_ADD,
    0x22,
    12, // local.tee 12
    ...simd(0x21),
    0, // f64x2.extract_lane 0
    ...get(12),
    ...simd(0x21),
    1,
    0xa0, // f64.add
    0x39,
    3,
    0, // f64.store align 8 offset 0
  ];
}

function moduleBytes(): Uint8Array {
  const body = [
    1,
    11,
    0x7b, // 11 locals of type v128 (3..13)
    ...get(2),
    ...simd(0x14),
    ...set(3), // kk = f64x2.splat(k)
    0x02,
    0x40, // block
    0x03,
    0x40, // loop
    ...get(0),
    ...get(1),
    0x4f, // i32.ge_u
    0x0d,
    1, // br_if 1 (out of the block)
    ...load(0),
    ...accumulate(12, 4, 5, false),
    ...accumulate(12, 6, 7, true),
    ...load(16),
    ...accumulate(12, 8, 9, false),
    ...accumulate(12, 10, 11, true),
    ...get(0),
    0x41,
    ...uleb(32),
    0x6a, // i32.add
    ...set(0),
    0x0c,
    0, // br 0 (loop)
    0x0b,
    0x0b, // end loop, end block
    ...store(4, 6, 8, 10, 0),
    ...store(5, 7, 9, 11, 8),
    0x0b,
  ];
  const pages = Math.ceil((DATA + SIMD_PIECE_BYTES) / 65536);
  const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7c, 0]), // (i32, i32, f64) -> ()
    ...section(3, [1, 0]),
    ...section(5, [1, 0, ...uleb(pages)]),
    ...section(7, [2, ...name("mem"), 2, 0, ...name("sums"), 0, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

/** One instance per thread (created on first use); null where WebAssembly SIMD is missing. */
export interface SimdSums {
  /** The input area: read up to {@link SIMD_PIECE_BYTES} bytes of float32 values here. */
  input(bytes: number): Uint8Array;
  /** Float32 view of the input area. */
  values(n: number): Float32Array;
  /** [Σ(x−k), Σ(x−k)²] over the first `n` input values; `n` must be a multiple of 8. */
  sums(n: number, k: number): [number, number];
}

let instance: SimdSums | null | undefined;

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

export function simdSums(): SimdSums | null {
  if (instance !== undefined) return instance;
  instance = null;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    const bytes = moduleBytes();
    if (!wasm?.validate(bytes)) return null;
    const inst = new wasm.Instance(new wasm.Module(bytes), {});
    const mem = inst.exports.mem as { buffer: ArrayBuffer };
    const fn = inst.exports.sums as (p: number, end: number, k: number) => void;
    const out = new Float64Array(mem.buffer, 0, 2);
    instance = {
      input: (n) => new Uint8Array(mem.buffer, DATA, n),
      values: (n) => new Float32Array(mem.buffer, DATA, n),
      sums(n, k) {
        fn(DATA, DATA + 4 * n, k);
        return [out[0] as number, out[1] as number];
      },
    };
  } catch {
    instance = null;
  }
  return instance;
}
