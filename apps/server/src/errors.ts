/** Tagged errors of the server. The HTTP layer maps `status` and `code` to the `{code, message}` body. */

/** Every code the server may answer with. */
export type ServerErrorCode =
  | "BAD_REQUEST"
  | "VALIDATION_FAILED"
  | "MALFORMED_JSON"
  | "BODY_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "UNAUTHENTICATED"
  | "INVALID_CREDENTIALS"
  | "CSRF_TOKEN_INVALID"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "INTERNAL_ERROR"
  | "SERVICE_UNAVAILABLE";

/** Default HTTP status for each code. */
const STATUS: Record<ServerErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  CSRF_TOKEN_INVALID: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

/** An error a client may see: it carries a literal code and the HTTP status that goes with it. */
export class ServerError extends Error {
  override readonly name = "ServerError";
  readonly code: ServerErrorCode;
  readonly status: number;
  /** Seconds the client should wait before retrying (sent as Retry-After), for RATE_LIMITED. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ServerErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? STATUS[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** True when `err` is a {@link ServerError} (with the given code, when one is passed). */
export function isServerError(err: unknown, code?: ServerErrorCode): err is ServerError {
  return err instanceof ServerError && (code === undefined || err.code === code);
}

/** A configuration value is missing or malformed; `variable` names the environment variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "CONFIG_INVALID" as const;
  readonly variable: string;

  constructor(variable: string, message: string, options: { cause?: unknown } = {}) {
    super(`${variable}: ${message}`, { cause: options.cause });
    this.variable = variable;
  }
}

/** True when `err` is a {@link ConfigError}. */
export function isConfigError(err: unknown): err is ConfigError {
  return err instanceof ConfigError;
}
