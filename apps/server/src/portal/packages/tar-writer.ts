/**
 * A streaming tar writer (POSIX.1-2001 ustar, with pax extended headers for long or non-ASCII
 * names and sizes of 8 GiB and more; IEEE Std 1003.1-2017, pax "ustar Interchange Format" and
 * "pax Extended Header"). Entries are written as they come; nothing is staged.
 */

const BLOCK = 512;
const encoder = new TextEncoder();

/** One file of an archive: its path inside the archive, size, and bytes (streamed later). */
export interface TarEntry {
  readonly path: string;
  readonly size: number;
  readonly mtime: Date;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, "0")}\0`;
}

function put(block: Uint8Array, at: number, text: string, width: number): void {
  const bytes = encoder.encode(text);
  block.set(bytes.subarray(0, width), at);
}

function headerBlock(name: string, size: number, mtime: number, type: "0" | "x"): Uint8Array {
  const b = new Uint8Array(BLOCK);
  put(b, 0, name, 100);
  put(b, 100, octal(0o644, 8), 8);
  put(b, 108, octal(0, 8), 8);
  put(b, 116, octal(0, 8), 8);
  put(b, 124, octal(size, 12), 12);
  put(b, 136, octal(mtime, 12), 12);
  b.fill(0x20, 148, 156); // checksum field counts as blanks while summing
  put(b, 156, type, 1);
  put(b, 257, "ustar\0", 6);
  put(b, 263, "00", 2);
  let sum = 0;
  for (const x of b) sum += x;
  put(b, 148, `${sum.toString(8).padStart(6, "0")}\0 `, 8);
  return b;
}

/** A pax record `"<len> key=value\n"`, where len counts the whole record. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = encoder.encode(body).length + 1;
  while (String(len).length + encoder.encode(body).length !== len) len++;
  return `${len}${body}`;
}

/** Bytes of padding after `size` bytes of data. */
export function tarPadding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

const MAX_USTAR_SIZE = 8 ** 11 - 1;

/** The header blocks of an entry (a pax header first when the path or the size needs one). */
export function tarHeader(entry: TarEntry): Uint8Array {
  const mtime = Math.floor(entry.mtime.getTime() / 1000);
  const pathBytes = encoder.encode(entry.path);
  const ascii = /^[\x20-\x7e]*$/.test(entry.path);
  const records: string[] = [];
  if (pathBytes.length > 100 || !ascii) records.push(paxRecord("path", entry.path));
  if (entry.size > MAX_USTAR_SIZE) records.push(paxRecord("size", String(entry.size)));
  const plainName = ascii && pathBytes.length <= 100 ? entry.path : `long-name-${mtime}`;
  const main = headerBlock(plainName, entry.size > MAX_USTAR_SIZE ? 0 : entry.size, mtime, "0");
  if (records.length === 0) return main;
  const pax = encoder.encode(records.join(""));
  const out = new Uint8Array(BLOCK + pax.length + tarPadding(pax.length) + BLOCK);
  out.set(headerBlock("PaxHeader", pax.length, mtime, "x"), 0);
  out.set(pax, BLOCK);
  out.set(main, BLOCK + pax.length + tarPadding(pax.length));
  return out;
}

/** The end of an archive: two zero blocks. */
export const TAR_END = new Uint8Array(2 * BLOCK);

/** Zero bytes to pad data of `size` bytes to a block. */
export function tarPad(size: number): Uint8Array {
  return new Uint8Array(tarPadding(size));
}

/** Exact byte length of an archive holding `entries` (known before any byte is sent). */
export function tarLength(entries: readonly TarEntry[]): number {
  let n = TAR_END.length;
  for (const e of entries) n += tarHeader(e).length + e.size + tarPadding(e.size);
  return n;
}
