/** Parsing of tus 1.0.0 request headers: Upload-Metadata, Upload-Checksum, Upload-Offset/Length. */
import { UploadError } from "./upload-errors.js";

/** The protocol version served (tus 1.0.0 §5.1). */
export const TUS_VERSION = "1.0.0";
/** Extensions served (tus 1.0.0 §4). */
export const TUS_EXTENSIONS = "creation,creation-with-upload,termination,checksum";
/** The content type of PATCH bodies (tus 1.0.0 §3.2). */
export const TUS_CONTENT_TYPE = "application/offset+octet-stream";

/** Upload-Metadata: comma-separated `key base64value` pairs, the value optional (tus §4.1.3). */
export function parseUploadMetadata(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (header === undefined || header.trim() === "") return out;
  for (const pair of header.split(",")) {
    const [key, value, extra] = pair.trim().split(" ");
    if (key === undefined || key === "" || extra !== undefined || !/^[\x21-\x7e]+$/.test(key)) {
      throw new UploadError("BAD_REQUEST", `Upload-Metadata: "${pair.trim()}" is not "key base64value"`);
    }
    if (key in out) throw new UploadError("BAD_REQUEST", `Upload-Metadata: key "${key}" given twice`);
    if (value === undefined || value === "") {
      out[key] = "";
      continue;
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) {
      throw new UploadError("BAD_REQUEST", `Upload-Metadata: the value of "${key}" is not base64`);
    }
    out[key] = Buffer.from(value, "base64").toString("utf8");
  }
  return out;
}

/** Upload-Checksum `sha256 <base64 digest>` → lower-case hex; other algorithms are refused (§4.4). */
export function parseUploadChecksum(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const [algorithm, digest, extra] = header.trim().split(" ");
  if (algorithm?.toLowerCase() !== "sha256" || digest === undefined || extra !== undefined) {
    throw new UploadError(
      "BAD_REQUEST",
      `Upload-Checksum: only "sha256 <base64 digest>" is supported, got "${header}"`,
    );
  }
  const bytes = Buffer.from(digest, "base64");
  if (bytes.length !== 32)
    throw new UploadError("BAD_REQUEST", "Upload-Checksum: a sha256 digest is 32 bytes");
  return bytes.toString("hex");
}

/** A non-negative integer header (Upload-Offset, Upload-Length). */
export function parseByteCount(name: string, header: string | undefined): number {
  if (header === undefined || !/^\d{1,16}$/.test(header.trim())) {
    throw new UploadError(
      "BAD_REQUEST",
      `${name} must be a non-negative integer, got ${header === undefined ? "nothing" : `"${header}"`}`,
    );
  }
  const n = Number(header.trim());
  if (!Number.isSafeInteger(n)) throw new UploadError("BAD_REQUEST", `${name} is too large`);
  return n;
}
