/**
 * What a CASA table directory holds, read from its `table.dat` without casacore: the row count
 * and each column's name, value type, scalar/array kind and comment (casacore Note 260: the
 * table file is an AipsIO stream, big-endian, starting with the `Table` object). Column
 * descriptions are found by their AipsIO type names (`ScalarColumnDesc<T>`, `ArrayColumnDesc<T>`),
 * each followed by a version, the column name and its comment.
 *
 * The row count in `table.dat` is only the one of the last time casacore rewrote that file; rows
 * added or removed since (e.g. a Measurement Set sub-table filled after the MS was created) are
 * recorded in the synchronisation data of `table.lock`, which casacore reads first when it opens a
 * table and which overrides `table.dat` (PlainTable's constructor passes the lock's count to the
 * column set; table.dat's count is used only when the lock file holds no sync data). Layout of
 * `table.lock` (casacore LockFile): 65 big-endian 32-bit words of lock-request ids, a 32-bit length,
 * then an AipsIO `sync` object: version 1 stores the row count as 32 bits, version 2 as 64 bits,
 * followed by the column count and change counters. (casacore then lets a data manager raise the
 * count on open; of the storage managers only the old StManAipsIO does, from its own file, and
 * no fixture uses it, so it is not read here.)
 */
import { open, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ServerError } from "../errors.js";

export interface CasaColumn {
  readonly name: string;
  /** casacore value type as written in the column description (double, Int, String, Complex, …). */
  readonly type: string;
  readonly kind: "scalar" | "array";
  readonly comment: string;
}

export interface CasaTableInfo {
  readonly rows: number;
  /** `Type` from table.info (e.g. "Measurement Set"), or null. */
  readonly tableType: string | null;
  readonly columns: CasaColumn[];
  /** Sub-tables: entries of the directory that are tables themselves. */
  readonly subtables: string[];
}

const AIPSIO_MAGIC = 0xbebebebe;
const MAX_TABLE_DAT = 16 * 1024 * 1024;
/** Bytes of lock-request ids before the sync data in table.lock: (1 + 2 * 32) 32-bit words. */
const LOCK_REQUEST_BYTES = (1 + 2 * 32) * 4;
/** casacore reads at most this much of table.lock in one go; the sync data is far smaller. */
const MAX_LOCK_READ = 64 * 1024;

function badTable(message: string): ServerError {
  return new ServerError("BAD_REQUEST", `not a readable CASA table: ${message}`);
}

class Reader {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u32(): number {
    if (this.pos + 4 > this.bytes.length) throw badTable(`truncated at byte ${this.pos}`);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  u64(): number {
    const hi = this.u32();
    const lo = this.u32();
    return hi * 2 ** 32 + lo;
  }
  str(): string {
    const n = this.u32();
    if (n > 1 << 20 || this.pos + n > this.bytes.length)
      throw badTable(`bad string length ${n} at byte ${this.pos - 4}`);
    const s = new TextDecoder("latin1").decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
}

const COLUMN_DESC = /^(Scalar|Array)ColumnDesc<\s*([A-Za-z0-9_]+)/;

/** Parse the bytes of a `table.dat`. */
export function parseTableDat(bytes: Uint8Array): { rows: number; columns: CasaColumn[] } {
  const r = new Reader(bytes);
  if (r.u32() !== AIPSIO_MAGIC) throw badTable("table.dat does not start with the AipsIO magic number");
  r.u32(); // object length
  if (r.str() !== "Table") throw badTable('table.dat does not hold a "Table" object');
  const version = r.u32();
  // Table versions above 2 store the row count as 64 bits.
  const rows = version > 2 ? r.u64() : r.u32();
  const columns: CasaColumn[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = r.pos; i + 4 < bytes.length; i++) {
    const n = view.getUint32(i);
    if (n < 17 || n > 64 || i + 4 + n > bytes.length) continue;
    // Cheap first-letter check before decoding: 'S' or 'A'.
    const first = bytes[i + 4];
    if (first !== 0x53 && first !== 0x41) continue;
    const text = new TextDecoder("latin1").decode(bytes.subarray(i + 4, i + 4 + n));
    const m = COLUMN_DESC.exec(text);
    if (m === null) continue;
    const at = new Reader(bytes, i + 4 + n);
    at.u32(); // ColumnDesc version
    const name = at.str();
    const comment = at.str();
    columns.push({ name, type: m[2]!, kind: m[1] === "Scalar" ? "scalar" : "array", comment });
    i = at.pos - 1;
  }
  return { rows, columns };
}

/**
 * The row count in the sync data of a `table.lock`, or null when the file holds none (a lock file
 * that casacore created but never released with data in it). Damaged sync data raises the tagged
 * error.
 */
export function parseLockSync(bytes: Uint8Array): number | null {
  if (bytes.length < LOCK_REQUEST_BYTES + 4) return null;
  const r = new Reader(bytes, LOCK_REQUEST_BYTES);
  const length = r.u32();
  if (length === 0) return null;
  if (r.pos + length > bytes.length)
    throw badTable(`table.lock sync data of ${length} bytes at byte ${r.pos} runs past the end of the file`);
  const sync = new Reader(bytes.subarray(0, r.pos + length), r.pos);
  if (sync.u32() !== AIPSIO_MAGIC)
    throw badTable(`table.lock sync data at byte ${r.pos} does not start with the AipsIO magic number`);
  sync.u32(); // object length
  if (sync.str() !== "sync") throw badTable(`table.lock holds no "sync" object at byte ${r.pos + 8}`);
  const version = sync.u32();
  if (version < 1 || version > 2)
    throw badTable(`table.lock sync data version ${version} at byte ${sync.pos - 4} is not 1 or 2`);
  return version === 2 ? sync.u64() : sync.u32();
}

async function readLockRows(dirReal: string): Promise<number | null> {
  const fh = await open(join(dirReal, "table.lock"), "r").catch(() => null);
  if (fh === null) return null;
  try {
    const size = Math.min((await fh.stat()).size, MAX_LOCK_READ);
    const bytes = new Uint8Array(size);
    const { bytesRead } = await fh.read(bytes, 0, size, 0);
    return parseLockSync(bytes.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/** Read the table in the directory `dirReal`. */
export async function readCasaTable(dirReal: string): Promise<CasaTableInfo> {
  const fh = await open(join(dirReal, "table.dat"), "r").catch(() => null);
  if (fh === null) throw badTable("no table.dat");
  let bytes: Uint8Array;
  try {
    const size = (await fh.stat()).size;
    if (size > MAX_TABLE_DAT) throw badTable(`table.dat is ${size} bytes`);
    bytes = new Uint8Array(size);
    await fh.read(bytes, 0, size, 0);
  } finally {
    await fh.close();
  }
  const parsed = parseTableDat(bytes);
  const { columns } = parsed;
  // casacore's own rule: the lock file's count wins; table.dat's only when there is none.
  const rows = (await readLockRows(dirReal)) ?? parsed.rows;
  const info = await readFile(join(dirReal, "table.info"), "latin1").catch(() => "");
  const type = /^Type[ \t]*=[ \t]*(.*)$/m.exec(info)?.[1]?.trim() ?? null;
  const subtables: string[] = [];
  for (const d of await readdir(dirReal, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const inner = await readdir(join(dirReal, d.name)).catch(() => [] as string[]);
    if (inner.includes("table.dat")) subtables.push(d.name);
  }
  subtables.sort();
  return { rows, tableType: type === "" ? null : type, columns, subtables };
}
