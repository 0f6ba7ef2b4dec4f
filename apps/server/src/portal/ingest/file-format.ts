/**
 * What kind of file was uploaded, from its first bytes (magic numbers) and its name: FITS, gzipped
 * FITS, tile-compressed FITS (.fz), or a companion file (PNG, JPEG, PDF, JSON, CSV, text, other).
 */

/** Formats stored in data_files.format. */
export type FileFormat =
  | "fits"
  | "fits.gz"
  | "fz"
  | "png"
  | "jpeg"
  | "text"
  | "json"
  | "csv"
  | "pdf"
  | "other";

const FITS_NAME = /\.(fits?|fts|fz|fits?\.gz|fts\.gz)$/i;

/** True when the name says FITS (`.fits`, `.fit`, `.fts`, `.fz`, with or without `.gz`). */
export function namedLikeFits(name: string): boolean {
  return FITS_NAME.test(name);
}

/** True for gzip data (RFC 1952 §2.3.1). */
export function isGzipMagic(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return bytes.every((b, i) => head[i] === b);
}

/** True when the bytes decode as UTF-8 text without control characters other than tab/newlines. */
function isText(head: Uint8Array): boolean {
  if (head.length === 0) return true;
  let text: string;
  try {
    // A multi-byte character cut at the end of the sample is not an error.
    text = new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, trimPartialUtf8(head)));
  } catch {
    return false;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f) return false;
  }
  return true;
}

function trimPartialUtf8(b: Uint8Array): number {
  let n = b.length;
  for (let k = 1; k <= 3 && n - k >= 0; k++) {
    const c = b[n - k] as number;
    if ((c & 0xc0) === 0x80) continue;
    if ((c & 0xc0) === 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      if (k < need) n -= k;
    }
    break;
  }
  return n;
}

/** The format of a file that is not FITS, from its first bytes and its name. */
export function companionFormat(name: string, head: Uint8Array): FileFormat {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "pdf";
  if (isText(head)) {
    const lower = name.toLowerCase();
    if (lower.endsWith(".json")) return "json";
    if (lower.endsWith(".csv")) return "csv";
    return "text";
  }
  return "other";
}
