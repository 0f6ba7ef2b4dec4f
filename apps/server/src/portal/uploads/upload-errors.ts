/** Upload failures with the HTTP status a tus client expects (tus 1.0.0 §3, checksum extension §4.4). */

/** Codes of {@link UploadError}. */
export type UploadErrorCode =
  | "BAD_REQUEST"
  | "FORBIDDEN"
  | "TUS_VERSION"
  | "NOT_FOUND"
  | "OFFSET_MISMATCH"
  | "CONFLICT"
  | "LOCKED"
  | "TOO_LARGE"
  | "QUOTA_EXCEEDED"
  | "CHECKSUM_MISMATCH"
  | "UNSUPPORTED_MEDIA_TYPE";

const STATUS: Record<UploadErrorCode, number> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  TUS_VERSION: 412,
  NOT_FOUND: 404,
  OFFSET_MISMATCH: 409,
  CONFLICT: 409,
  LOCKED: 423,
  TOO_LARGE: 413,
  QUOTA_EXCEEDED: 413,
  CHECKSUM_MISMATCH: 460,
  UNSUPPORTED_MEDIA_TYPE: 415,
};

/** An upload request that cannot be served; `status` is the HTTP status to answer with. */
export class UploadError extends Error {
  override readonly name = "UploadError";
  readonly status: number;
  constructor(
    readonly code: UploadErrorCode,
    message: string,
    options: { status?: number; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status ?? STATUS[code];
    this.details = options.details;
  }
  readonly details: Record<string, unknown> | undefined;
}

/** True when `err` is an {@link UploadError}. */
export function isUploadError(err: unknown): err is UploadError {
  return err instanceof UploadError;
}
