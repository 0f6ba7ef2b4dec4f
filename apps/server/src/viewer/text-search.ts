/**
 * Regex search through a text file of any size, streamed in 1 MiB chunks: counts every matching
 * line and keeps the first `maxResults` (line number, byte offset, text) so the client can jump.
 * A time budget stops runaway searches; the answer then says `complete: false`.
 */
import { open } from "node:fs/promises";
import { ServerError } from "../errors.js";
import { MAX_LINE_CHARS } from "./text-lines.js";

export interface SearchHit {
  /** 1-based line number. */
  readonly line: number;
  /** Byte offset of the line's start. */
  readonly offset: number;
  readonly text: string;
}

export interface SearchResult {
  readonly matches: number;
  readonly hits: SearchHit[];
  readonly complete: boolean;
  readonly bytesScanned: number;
}

export interface SearchOptions {
  readonly regex?: boolean;
  readonly caseSensitive?: boolean;
  readonly maxResults?: number;
  readonly timeBudgetMs?: number;
  readonly signal?: AbortSignal;
}

/** Compile the user's query; a malformed regex is a BAD_REQUEST naming the problem. */
export function compileQuery(query: string, options: SearchOptions): RegExp {
  if (query === "") throw new ServerError("BAD_REQUEST", "empty search");
  if (query.length > 1000) throw new ServerError("BAD_REQUEST", "search longer than 1000 characters");
  const source = options.regex ? query : query.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
  try {
    return new RegExp(source, options.caseSensitive ? "u" : "iu");
  } catch (err) {
    throw new ServerError("BAD_REQUEST", `invalid regular expression: ${(err as Error).message}`);
  }
}

const decoder = new TextDecoder("utf-8");

export async function searchFile(
  path: string,
  query: string,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const re = compileQuery(query, options);
  const maxResults = options.maxResults ?? 500;
  const deadline = Date.now() + (options.timeBudgetMs ?? 20_000);
  const fh = await open(path, "r");
  const hits: SearchHit[] = [];
  let matches = 0;
  let line = 1;
  let lineOffset = 0;
  let pos = 0;
  let complete = true;
  try {
    const buf = new Uint8Array(1024 * 1024);
    let carry = new Uint8Array(0);
    for (;;) {
      if (Date.now() > deadline || options.signal?.aborted) {
        complete = false;
        break;
      }
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      const eof = bytesRead === 0;
      let data: Uint8Array;
      if (eof) data = carry;
      else if (carry.length === 0) data = buf.subarray(0, bytesRead);
      else {
        data = new Uint8Array(carry.length + bytesRead);
        data.set(carry, 0);
        data.set(buf.subarray(0, bytesRead), carry.length);
      }
      pos += bytesRead;
      let from = 0;
      for (;;) {
        let nl = data.indexOf(10, from);
        if (nl < 0) {
          if (!eof || from >= data.length) break;
          nl = data.length;
        }
        const text = decoder.decode(data.subarray(from, nl));
        if (re.test(text)) {
          matches++;
          if (hits.length < maxResults) {
            hits.push({
              line,
              offset: lineOffset,
              text: text.length > MAX_LINE_CHARS ? text.slice(0, MAX_LINE_CHARS) : text,
            });
          }
        }
        line++;
        lineOffset += nl + 1 - from;
        from = nl + 1;
      }
      if (eof) break;
      carry = data.slice(from);
    }
  } finally {
    await fh.close();
  }
  return { matches, hits, complete, bytesScanned: pos };
}
