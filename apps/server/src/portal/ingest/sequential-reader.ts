/**
 * Forward-only byte readers for header extraction: one over a stream (gzip must be read in order;
 * skipped data is read and dropped), one over ranged reads of a stored object (skipped data is never
 * fetched). Both return short reads only at the end of the bytes.
 */
import type { Readable } from "node:stream";
import { collectBytes } from "./concat-bytes.js";

/** Reads bytes in order; `skip` moves forward without returning them. */
export interface SequentialReader {
  /** Up to `length` bytes; fewer only at the end. */
  read(length: number): Promise<Uint8Array>;
  /** Move forward `length` bytes; returns how many were actually skipped (fewer at the end). */
  skip(length: number): Promise<number>;
  /** Bytes consumed so far (read or skipped). */
  readonly position: number;
  /** Stop reading and release the underlying stream. */
  close(): void;
}

/** A reader over an async iterable of chunks (a `Readable`, a gunzip stream…). */
export class StreamReader implements SequentialReader {
  #iterator: AsyncIterator<Uint8Array>;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #done = false;
  #position = 0;
  readonly #stream: Readable | undefined;

  constructor(source: AsyncIterable<Uint8Array>, stream?: Readable) {
    this.#iterator = source[Symbol.asyncIterator]();
    this.#stream = stream;
  }

  get position(): number {
    return this.#position;
  }

  async #fill(length: number): Promise<void> {
    while (this.#buffered < length && !this.#done) {
      const next = await this.#iterator.next();
      if (next.done === true) {
        this.#done = true;
        break;
      }
      const chunk = next.value;
      if (chunk.length > 0) {
        this.#chunks.push(chunk);
        this.#buffered += chunk.length;
      }
    }
  }

  #take(length: number): Uint8Array {
    const n = Math.min(length, this.#buffered);
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.#chunks[0] as Uint8Array;
      const want = n - filled;
      if (head.length <= want) {
        out.set(head, filled);
        filled += head.length;
        this.#chunks.shift();
      } else {
        out.set(head.subarray(0, want), filled);
        this.#chunks[0] = head.subarray(want);
        filled += want;
      }
    }
    this.#buffered -= n;
    this.#position += n;
    return out;
  }

  async read(length: number): Promise<Uint8Array> {
    await this.#fill(length);
    return this.#take(length);
  }

  async skip(length: number): Promise<number> {
    let left = length;
    while (left > 0) {
      if (this.#buffered === 0) {
        await this.#fill(1);
        if (this.#buffered === 0) break;
      }
      const head = this.#chunks[0] as Uint8Array;
      if (head.length <= left) {
        this.#chunks.shift();
        this.#buffered -= head.length;
        left -= head.length;
      } else {
        this.#chunks[0] = head.subarray(left);
        this.#buffered -= left;
        left = 0;
      }
    }
    this.#position += length - left;
    return length - left;
  }

  close(): void {
    this.#stream?.destroy();
    void this.#iterator.return?.();
  }
}

/** Fetches `[start, end]` (inclusive) of an object; used by {@link RangeReader}. */
export type RangeFetch = (start: number, end: number) => Promise<AsyncIterable<Uint8Array>>;

/**
 * A reader over ranged reads of an object of known `size`: reads are fetched in windows of at
 * least `window` bytes; skips cost nothing.
 */
export class RangeReader implements SequentialReader {
  #position = 0;
  #buffer: Uint8Array = new Uint8Array(0);
  #bufferStart = 0;

  constructor(
    private readonly fetch: RangeFetch,
    readonly size: number,
    private readonly window = 64 * 1024,
  ) {}

  get position(): number {
    return this.#position;
  }

  async read(length: number): Promise<Uint8Array> {
    const want = Math.max(0, Math.min(length, this.size - this.#position));
    const bufEnd = this.#bufferStart + this.#buffer.length;
    if (this.#position < this.#bufferStart || this.#position + want > bufEnd) {
      const end = Math.min(this.size, this.#position + Math.max(want, this.window)) - 1;
      this.#buffer =
        end >= this.#position ? await collectBytes(await this.fetch(this.#position, end)) : new Uint8Array(0);
      this.#bufferStart = this.#position;
    }
    const from = this.#position - this.#bufferStart;
    const out = this.#buffer.slice(from, from + want);
    this.#position += out.length;
    return out;
  }

  async skip(length: number): Promise<number> {
    const n = Math.max(0, Math.min(length, this.size - this.#position));
    this.#position += n;
    return n;
  }

  close(): void {}
}
