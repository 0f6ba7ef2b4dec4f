/**
 * Lines of a text file of any size without reading it all: the head reads forward from a byte
 * offset, the tail reads backward from the end in chunks until it has seen enough newlines.
 * Bytes read are bounded by the lines asked for (and a byte budget for absurdly long lines).
 */
import { type FileHandle, open } from "node:fs/promises";
import { lineNumberAt } from "./line-index.js";

const CHUNK = 64 * 1024;
/** Lines longer than this are cut for display (the rest is still skipped correctly). */
export const MAX_LINE_CHARS = 16 * 1024;
/** Never read more than this for one request, whatever the line lengths. */
const BYTE_BUDGET = 8 * 1024 * 1024;
/** Count the lines before a tail only in files up to this size (so a tail of a big file stays fast). */
const COUNT_LINES_UP_TO = 8 * 1024 * 1024;

/** A run of complete lines. */
export interface LineRun {
  readonly lines: string[];
  /** Byte offset of the first line's first byte. */
  readonly startOffset: number;
  /** Byte offset just after the last complete line's newline. */
  readonly endOffset: number;
  /** 1-based number of the first line, or null when unknown (big files, until their line index is built). */
  readonly firstLine: number | null;
  /** Text after the last newline at the end of the file (a line still being written), if any. */
  readonly partial: string;
  /** File size when read. */
  readonly size: number;
  /** Bytes actually read from disk. */
  readonly bytesRead: number;
}

const decoder = new TextDecoder("utf-8");

function decodeLine(bytes: Uint8Array): string {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0d) end--;
  const cut = end > MAX_LINE_CHARS * 4;
  const text = decoder.decode(bytes.subarray(0, cut ? MAX_LINE_CHARS * 4 : end));
  return cut || text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)} …[line cut]` : text;
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/** Count newlines in [0, end) of a file. */
async function countNewlines(fh: FileHandle, end: number): Promise<number> {
  let count = 0;
  const buf = new Uint8Array(Math.max(1, Math.min(1024 * 1024, end)));
  for (let pos = 0; pos < end; ) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
    if (bytesRead === 0) break;
    let i = buf.indexOf(10, 0);
    while (i >= 0 && i < bytesRead) {
      count++;
      i = buf.indexOf(10, i + 1);
    }
    pos += bytesRead;
  }
  return count;
}

/**
 * Up to `maxLines` complete lines starting at byte `start` (which should be a line start).
 * `firstLine` is passed through when the caller knows it.
 */
export async function readLinesForward(
  path: string,
  start: number,
  maxLines: number,
  firstLine: number | null = start === 0 ? 1 : null,
): Promise<LineRun> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    const lines: string[] = [];
    let pos = Math.min(start, size);
    let carry: Uint8Array = new Uint8Array(0);
    let bytesRead = 0;
    let lineStart = pos;
    let endOffset = pos;
    while (lines.length < maxLines && pos < size && bytesRead < BYTE_BUDGET) {
      const chunk = await readAt(fh, pos, Math.min(CHUNK, size - pos));
      if (chunk.length === 0) break;
      bytesRead += chunk.length;
      pos += chunk.length;
      const data = carry.length === 0 ? chunk : concat(carry, chunk);
      let from = 0;
      for (let nl = data.indexOf(10); nl >= 0 && lines.length < maxLines; nl = data.indexOf(10, from)) {
        lines.push(decodeLine(data.subarray(from, nl)));
        lineStart += nl + 1 - from;
        from = nl + 1;
      }
      endOffset = lineStart;
      carry = data.subarray(from);
      if (lines.length >= maxLines) break;
    }
    const partial = lines.length < maxLines && pos >= size && carry.length > 0 ? decodeLine(carry) : "";
    return { lines, startOffset: Math.min(start, size), endOffset, firstLine, partial, size, bytesRead };
  } finally {
    await fh.close();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * The last `maxLines` complete lines before byte `end` (default: end of file), reading backward
 * in 64 KiB chunks. A trailing line without newline at the end of the file comes as `partial`.
 */
export async function readLinesBackward(
  path: string,
  maxLines: number,
  end?: number,
  /** Number big files through their line index (starting its build); false: leave them unnumbered. */
  useLineIndex = true,
): Promise<LineRun> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    const stop = Math.min(end ?? size, size);
    let pos = stop;
    let bytesRead = 0;
    const chunks: Uint8Array[] = [];
    // tailEnd: just after the last newline before `stop`; newlines: those before tailEnd.
    let tailEnd = -1;
    let newlines = 0;
    while (pos > 0 && bytesRead < BYTE_BUDGET && newlines <= maxLines) {
      const len = Math.min(CHUNK, pos);
      pos -= len;
      const chunk = await readAt(fh, pos, len);
      bytesRead += chunk.length;
      chunks.unshift(chunk);
      for (let i = chunk.length - 1; i >= 0 && newlines <= maxLines; i--) {
        if (chunk[i] !== 10) continue;
        if (tailEnd < 0) tailEnd = pos + i + 1;
        else newlines++;
      }
    }
    const all = chunks.length === 1 ? chunks[0]! : concatAll(chunks);
    const atEof = stop === size;
    if (tailEnd < 0) {
      // No newline at all before `stop`.
      const partial = atEof && pos === 0 && all.length > 0 ? decodeLine(all) : "";
      return { lines: [], startOffset: stop, endOffset: stop, firstLine: null, partial, size, bytesRead };
    }
    const body = all.subarray(0, tailEnd - pos);
    const segments: Uint8Array[] = [];
    let from = 0;
    for (let nl = body.indexOf(10); nl >= 0; nl = body.indexOf(10, from)) {
      segments.push(body.subarray(from, nl));
      from = nl + 1;
    }
    // Unless we reached the start of the file, the first segment began before `pos`: incomplete.
    let firstIndex = pos > 0 ? 1 : 0;
    firstIndex = Math.max(firstIndex, segments.length - maxLines);
    let startOffset = pos;
    for (let i = 0; i < firstIndex; i++) startOffset += segments[i]!.length + 1;
    const lines = segments.slice(firstIndex).map(decodeLine);
    let firstLine: number | null = null;
    if (lines.length > 0) {
      if (startOffset === 0) firstLine = 1;
      else if (startOffset <= COUNT_LINES_UP_TO) {
        firstLine = (await countNewlines(fh, startOffset)) + 1;
        bytesRead += startOffset;
      } else if (useLineIndex) {
        const found = await lineNumberAt(path, startOffset);
        firstLine = found.line;
        bytesRead += found.bytesRead;
      }
    }
    const partialBytes = all.subarray(tailEnd - pos);
    return {
      lines,
      startOffset: lines.length > 0 ? startOffset : tailEnd,
      endOffset: tailEnd,
      firstLine,
      partial: atEof && partialBytes.length > 0 ? decodeLine(partialBytes) : "",
      size,
      bytesRead,
    };
  } finally {
    await fh.close();
  }
}

function concatAll(chunks: Uint8Array[]): Uint8Array {
  const n = chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
