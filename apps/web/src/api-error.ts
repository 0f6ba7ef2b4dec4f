/** The error every failed API call turns into, carrying the server's `{code, message}`. */

/** Codes the client itself produces when no server answer could be read. */
export type ClientErrorCode = "NETWORK_ERROR" | "BAD_RESPONSE";

/** A failed API call: `status` is the HTTP status (0 when the server could not be reached). */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly code: string;
  readonly status: number;
  /** From the Retry-After header (rate limits), seconds; null when absent. */
  readonly retryAfterSeconds: number | null;

  constructor(
    code: string,
    message: string,
    status: number,
    options?: { cause?: unknown; retryAfterSeconds?: number | null },
  ) {
    super(message, options);
    this.code = code;
    this.status = status;
    this.retryAfterSeconds = options?.retryAfterSeconds ?? null;
  }
}

/** True when `err` is an {@link ApiError}, optionally with the given code. */
export function isApiError(err: unknown, code?: string): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}

/** A sentence for the user about any thrown value (server messages start lower-case). */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.charAt(0).toUpperCase() + text.slice(1);
}
