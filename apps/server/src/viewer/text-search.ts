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

function countNewlinesIn(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Flags for the user's regex: `u` only when the query needs it (V8 is faster without). */
function scanFlags(source: string, caseSensitive: boolean): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: testing for any non-ASCII character.
  const unicode = /[^\x00-\x7f]|\\[pPu]/.test(source) ? "u" : "";
  return `${caseSensitive ? "" : "i"}${unicode}gm`;
}

/**
 * Search `path` line by line. Each 1 MiB chunk (cut at its last newline) is decoded once and the
 * regex runs over the whole chunk with the `m` flag, so `^` and `$` still mean line start and end;
 * line numbers and byte offsets are worked out only for the hits that are returned.
 */
export async function searchFile(
  path: string,
  query: string,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const lineRe = compileQuery(query, options);
  const re = new RegExp(lineRe.source, scanFlags(lineRe.source, options.caseSensitive ?? false));
  const maxResults = options.maxResults ?? 500;
  const deadline = Date.now() + (options.timeBudgetMs ?? 20_000);
  const fh = await open(path, "r");
  const hits: SearchHit[] = [];
  let matches = 0;
  /** Line number of the first line of the current chunk. */
  let chunkLine = 1;
  /** Byte offset of the current chunk. */
  let chunkOffset = 0;
  let complete = true;
  try {
    const buf = new Uint8Array(1024 * 1024);
    let carry = new Uint8Array(0);
    let pos = 0;
    for (;;) {
      if (Date.now() > deadline || options.signal?.aborted) {
        complete = false;
        break;
      }
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      pos += bytesRead;
      const eof = bytesRead === 0;
      let data: Uint8Array;
      if (carry.length === 0) data = buf.subarray(0, bytesRead);
      else {
        data = new Uint8Array(carry.length + bytesRead);
        data.set(carry, 0);
        data.set(buf.subarray(0, bytesRead), carry.length);
      }
      // Whole lines only; the rest waits for the next read (or is the last line at EOF).
      const cut = eof ? data.length : data.lastIndexOf(10) + 1;
      if (cut === 0 && !eof) {
        carry = data.slice();
        continue;
      }
      const bytes = data.subarray(0, cut);
      const text = decoder.decode(bytes);
      re.lastIndex = 0;
      let line = chunkLine;
      // Characters of `text` already counted into `line` and `bytesBefore`.
      let counted = 0;
      let bytesBefore = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const lineStart = text.lastIndexOf("\n", m.index - 1) + 1;
        let lineEnd = text.indexOf("\n", m.index);
        if (lineEnd < 0) lineEnd = text.length;
        matches++;
        if (hits.length < maxResults) {
          line += countNewlinesIn(text, counted, lineStart);
          bytesBefore += Buffer.byteLength(text.slice(counted, lineStart));
          counted = lineStart;
          const lineText = text.slice(lineStart, lineEnd).replace(/\r$/, "");
          hits.push({
            line,
            offset: chunkOffset + bytesBefore,
            text: lineText.length > MAX_LINE_CHARS ? lineText.slice(0, MAX_LINE_CHARS) : lineText,
          });
        }
        // One count per matching line.
        re.lastIndex = lineEnd + 1;
        if (lineEnd >= text.length) break;
      }
      // String indexOf is the fastest way to count lines in V8 (faster than scanning the bytes).
      const newlines = countNewlinesIn(text, 0, text.length);
      chunkLine += newlines;
      chunkOffset += cut;
      if (eof) break;
      carry = data.slice(cut);
    }
  } finally {
    await fh.close();
  }
  return { matches, hits, complete, bytesScanned: chunkOffset };
}
