/**
 * Checksum and structure verification of an opened FITS file (what `fitsverify` reports most
 * often): CHECKSUM/DATASUM (FITS 4.0 §4.4.2.7), mandatory keyword order (§4.4.1), fill bytes
 * after END and after the data (§3.3.2, §4.4), bytes after the last HDU.
 */
import { readExactly } from "./byte-source.js";
import { OnesComplementSum } from "./checksum.js";
import type { FitsFile } from "./fits-file.js";
import { type HduInfo, paddedLength } from "./hdu-layout.js";
import { CARD_SIZE } from "./header.js";

/** Outcome of one checksum keyword. */
export type SumStatus = "ok" | "bad" | "missing";

/** Verification of one HDU. */
export interface HduVerification {
  index: number;
  name: string;
  /** CHECKSUM: the whole HDU sums to −0. */
  checksum: SumStatus;
  /** DATASUM: the data sum equals the recorded value. */
  datasum: SumStatus;
  /** Data sum computed (unsigned 32-bit, decimal as DATASUM writes it). */
  computedDatasum: string;
  /** Problems found, each a sentence naming the byte offset. */
  errors: string[];
  warnings: string[];
}

/** Verification of a file. */
export interface FileVerification {
  ok: boolean;
  hdus: HduVerification[];
  /** Problems outside any HDU. */
  errors: string[];
}

const CHUNK = 8 * 1024 * 1024;

const MANDATORY_PRIMARY = ["SIMPLE", "BITPIX", "NAXIS"];
const MANDATORY_EXTENSION = ["XTENSION", "BITPIX", "NAXIS"];

/** Verify checksums and structure of every HDU. Reads each HDU once, in chunks. */
export async function verifyFits(file: FitsFile): Promise<FileVerification> {
  const hdus: HduVerification[] = [];
  for (const hdu of file.hdus) hdus.push(await verifyHdu(file, hdu));
  const errors: string[] = [];
  if (file.trailingBytes > 0) {
    errors.push(
      `${file.trailingBytes} bytes after the last HDU at byte ${file.source.size - file.trailingBytes} are not a FITS extension`,
    );
  }
  return { ok: errors.length === 0 && hdus.every((h) => h.errors.length === 0), hdus, errors };
}

async function verifyHdu(file: FitsFile, hdu: HduInfo): Promise<HduVerification> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const source = file.source;
  const headerBytes = await readExactly(source, hdu.headerOffset, hdu.headerLength, hdu.index);
  const sum = new OnesComplementSum().update(headerBytes);
  // Structure: mandatory keywords in order.
  const keys = hdu.header.cards.map((c) => c.key);
  const mandatory = hdu.index === 0 ? MANDATORY_PRIMARY : MANDATORY_EXTENSION;
  const axes = hdu.axes.map((_, i) => `NAXIS${i + 1}`);
  const expected = [...mandatory, ...axes];
  if (hdu.index > 0) expected.push("PCOUNT", "GCOUNT");
  expected.forEach((k, i) => {
    if (keys[i] !== k) {
      errors.push(
        `card ${i + 1} is ${keys[i] ?? "missing"} but ${k} is required there (byte ${hdu.headerOffset + i * CARD_SIZE})`,
      );
    }
  });
  // Fill after END must be blanks.
  let endCard = 0;
  for (let c = 0; c < headerBytes.length / CARD_SIZE; c++) {
    if (
      headerBytes[c * CARD_SIZE] === 0x45 &&
      String.fromCharCode(...headerBytes.subarray(c * CARD_SIZE, c * CARD_SIZE + 80)).trimEnd() === "END"
    ) {
      endCard = c;
      break;
    }
  }
  for (let p = (endCard + 1) * CARD_SIZE; p < headerBytes.length; p++) {
    if (headerBytes[p] !== 0x20) {
      errors.push(`header fill after END is not blank at byte ${hdu.headerOffset + p}`);
      break;
    }
  }
  // Data, in chunks; the fill (zeros, or blanks for ASCII tables) is part of the sum.
  const data = new OnesComplementSum();
  const padded = Math.min(paddedLength(hdu.dataLength), source.size - hdu.dataOffset);
  if (padded < paddedLength(hdu.dataLength)) {
    warnings.push(`the last data block is not padded to 2880 bytes (ends at byte ${source.size})`);
  }
  const fill = hdu.kind === "table" ? 0x20 : 0x00;
  let fillBad = false;
  for (let p = 0; p < padded; p += CHUNK) {
    const n = Math.min(CHUNK, padded - p);
    const bytes = await readExactly(source, hdu.dataOffset + p, n, hdu.index);
    data.update(bytes);
    if (!fillBad && p + n > hdu.dataLength) {
      for (let q = Math.max(0, hdu.dataLength - p); q < n; q++) {
        if (bytes[q] !== fill) {
          fillBad = true;
          warnings.push(
            `data fill is not ${fill === 0 ? "zero" : "blank"} at byte ${hdu.dataOffset + p + q}`,
          );
          break;
        }
      }
    }
  }
  const dataSum = data.value();
  const total = sum.update(uint32Bytes(dataSum)).value();
  const computedDatasum = String(dataSum);
  let datasum: SumStatus = "missing";
  const recorded = hdu.header.getString("DATASUM");
  if (recorded !== undefined) {
    datasum = Number(recorded.trim()) === dataSum ? "ok" : "bad";
    if (datasum === "bad") errors.push(`DATASUM is '${recorded}' but the data sum to ${computedDatasum}`);
  }
  let checksum: SumStatus = "missing";
  if (hdu.header.has("CHECKSUM")) {
    checksum = total === 0xffffffff ? "ok" : "bad";
    if (checksum === "bad") errors.push(`CHECKSUM does not match: the HDU sums to ${total}, not -0`);
  }
  return { index: hdu.index, name: hdu.name, checksum, datasum, computedDatasum, errors, warnings };
}

/** A 32-bit value as 4 big-endian bytes, so a data sum can be folded into a header sum. */
function uint32Bytes(v: number): Uint8Array {
  return new Uint8Array([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
}
