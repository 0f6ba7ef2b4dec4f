/**
 * A streaming zip writer for files whose sizes are known in advance (PKWARE APPNOTE 6.3.10): every
 * entry is stored (method 0: FITS data barely compresses and gzip/fz files are compressed already),
 * its CRC-32 computed while the bytes stream and written in a data descriptor after them (general
 * purpose flag bit 3, §4.3.9), names in UTF-8 (bit 11), and ZIP64 records (§4.3.14, §4.5.3)
 * wherever a size, an offset or the entry count passes the 32-bit fields. Lengths of every record
 * are known up front, so the archive's exact length is too.
 */
import { crc32 } from "@meridian/fits";

const encoder = new TextEncoder();
const MAX32 = 0xffffffff;

/** One entry: its name inside the archive and its size in bytes. */
export interface ZipEntry {
  readonly path: string;
  readonly size: number;
  readonly mtime: Date;
}

/** Where each entry sits, decided before any byte is written. */
export interface ZipPlan {
  readonly entries: readonly (ZipEntry & { offset: number; zip64: boolean; name: Uint8Array })[];
  readonly centralOffset: number;
  readonly length: number;
}

function dosTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getUTCFullYear());
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

const localLength = (name: Uint8Array, zip64: boolean) => 30 + name.length + (zip64 ? 20 : 0);
const descriptorLength = (zip64: boolean) => (zip64 ? 24 : 16);
function centralExtra(e: { size: number; offset: number }): number {
  const n = (e.size >= MAX32 ? 16 : 0) + (e.offset >= MAX32 ? 8 : 0);
  return n === 0 ? 0 : 4 + n;
}

/** Lay out an archive of `entries`. */
export function planZip(entries: readonly ZipEntry[]): ZipPlan {
  let at = 0;
  const placed = entries.map((e) => {
    const name = encoder.encode(e.path);
    const offset = at;
    const zip64 = e.size >= MAX32 || offset >= MAX32;
    at += localLength(name, zip64) + e.size + descriptorLength(zip64);
    return { ...e, offset, zip64, name };
  });
  const centralOffset = at;
  let central = 0;
  for (const e of placed) central += 46 + e.name.length + centralExtra(e);
  const needs64 = placed.length >= 0xffff || central >= MAX32 || centralOffset >= MAX32;
  const length = centralOffset + central + (needs64 ? 56 + 20 : 0) + 22;
  return { entries: placed, centralOffset, length };
}

/** The local file header of entry `i`. */
export function zipLocalHeader(plan: ZipPlan, i: number): Uint8Array {
  const e = plan.entries[i]!;
  const out = new Uint8Array(localLength(e.name, e.zip64));
  const v = new DataView(out.buffer);
  const { time, date } = dosTime(e.mtime);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, e.zip64 ? 45 : 20, true);
  v.setUint16(6, 0x0808, true);
  v.setUint16(8, 0, true);
  v.setUint16(10, time, true);
  v.setUint16(12, date, true);
  // CRC and sizes follow the data (bit 3); a ZIP64 local header says 0xFFFFFFFF and carries zeros.
  v.setUint32(14, 0, true);
  v.setUint32(18, e.zip64 ? MAX32 : 0, true);
  v.setUint32(22, e.zip64 ? MAX32 : 0, true);
  v.setUint16(26, e.name.length, true);
  v.setUint16(28, e.zip64 ? 20 : 0, true);
  out.set(e.name, 30);
  if (e.zip64) {
    const x = 30 + e.name.length;
    v.setUint16(x, 0x0001, true);
    v.setUint16(x + 2, 16, true);
  }
  return out;
}

/** The data descriptor after entry `i`'s bytes. */
export function zipDescriptor(plan: ZipPlan, i: number, crc: number): Uint8Array {
  const e = plan.entries[i]!;
  const out = new Uint8Array(descriptorLength(e.zip64));
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x08074b50, true);
  v.setUint32(4, crc, true);
  if (e.zip64) {
    v.setBigUint64(8, BigInt(e.size), true);
    v.setBigUint64(16, BigInt(e.size), true);
  } else {
    v.setUint32(8, e.size, true);
    v.setUint32(12, e.size, true);
  }
  return out;
}

/** The central directory and end records, given every entry's CRC. */
export function zipCentral(plan: ZipPlan, crcs: readonly number[]): Uint8Array {
  const n = plan.entries.length;
  const parts: Uint8Array[] = [];
  let central = 0;
  plan.entries.forEach((e, i) => {
    const extra = centralExtra(e);
    const h = new Uint8Array(46 + e.name.length + extra);
    const v = new DataView(h.buffer);
    const { time, date } = dosTime(e.mtime);
    v.setUint32(0, 0x02014b50, true);
    v.setUint16(4, (3 << 8) | 45, true); // made by: Unix, 4.5
    v.setUint16(6, e.zip64 ? 45 : 20, true);
    v.setUint16(8, 0x0808, true);
    v.setUint16(10, 0, true);
    v.setUint16(12, time, true);
    v.setUint16(14, date, true);
    v.setUint32(16, crcs[i] ?? 0, true);
    v.setUint32(20, Math.min(e.size, MAX32), true);
    v.setUint32(24, Math.min(e.size, MAX32), true);
    v.setUint16(28, e.name.length, true);
    v.setUint16(30, extra, true);
    v.setUint32(38, (0o100644 << 16) >>> 0, true);
    v.setUint32(42, Math.min(e.offset, MAX32), true);
    h.set(e.name, 46);
    if (extra > 0) {
      let x = 46 + e.name.length;
      v.setUint16(x, 0x0001, true);
      v.setUint16(x + 2, extra - 4, true);
      x += 4;
      if (e.size >= MAX32) {
        v.setBigUint64(x, BigInt(e.size), true);
        v.setBigUint64(x + 8, BigInt(e.size), true);
        x += 16;
      }
      if (e.offset >= MAX32) v.setBigUint64(x, BigInt(e.offset), true);
    }
    parts.push(h);
    central += h.length;
  });
  const needs64 = n >= 0xffff || central >= MAX32 || plan.centralOffset >= MAX32;
  if (needs64) {
    const r = new Uint8Array(56 + 20);
    const v = new DataView(r.buffer);
    v.setUint32(0, 0x06064b50, true);
    v.setBigUint64(4, 44n, true);
    v.setUint16(12, (3 << 8) | 45, true);
    v.setUint16(14, 45, true);
    v.setBigUint64(24, BigInt(n), true);
    v.setBigUint64(32, BigInt(n), true);
    v.setBigUint64(40, BigInt(central), true);
    v.setBigUint64(48, BigInt(plan.centralOffset), true);
    v.setUint32(56, 0x07064b50, true);
    v.setBigUint64(64, BigInt(plan.centralOffset + central), true);
    v.setUint32(72, 1, true);
    parts.push(r);
  }
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, Math.min(n, 0xffff), true);
  v.setUint16(10, Math.min(n, 0xffff), true);
  v.setUint32(12, Math.min(central, MAX32), true);
  v.setUint32(16, Math.min(plan.centralOffset, MAX32), true);
  parts.push(end);
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Running CRC-32 (ISO 3309) of streamed bytes. */
export class Crc32 {
  #crc = 0xffffffff;
  update(bytes: Uint8Array): void {
    this.#crc = crc32(bytes, this.#crc);
  }
  digest(): number {
    return (this.#crc ^ 0xffffffff) >>> 0;
  }
}
