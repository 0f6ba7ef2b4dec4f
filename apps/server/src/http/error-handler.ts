/**
 * The one error handler: every error leaves as `{code, message}` with a 4xx or 5xx status.
 * Client mistakes keep Fastify's 4xx status under our codes; anything unexpected is logged and
 * answered with a bare 500 (no stack trace, no internal message).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isServerError, type ServerErrorCode } from "../errors.js";

/** The error body every failing request gets. */
export interface ErrorBody {
  readonly code: ServerErrorCode;
  readonly message: string;
}

const FASTIFY_CODES: Readonly<Record<string, ServerErrorCode>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "MALFORMED_JSON",
  FST_ERR_CTP_EMPTY_JSON_BODY: "MALFORMED_JSON",
  FST_ERR_CTP_BODY_TOO_LARGE: "BODY_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "BAD_REQUEST",
  FST_ERR_BAD_URL: "BAD_REQUEST",
  FST_ERR_NOT_FOUND: "NOT_FOUND",
};

const STATUS_CODES: Readonly<Record<number, ServerErrorCode>> = {
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "BODY_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
};

/** Translate any thrown value into a status and body. */
export function toErrorResponse(err: unknown): {
  status: number;
  body: ErrorBody;
  retryAfterSeconds?: number;
} {
  if (isServerError(err)) {
    return {
      status: err.status,
      body: { code: err.code, message: err.message },
      ...(err.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: err.retryAfterSeconds }),
    };
  }
  const e = (err ?? {}) as Partial<FastifyError> & { status?: number };
  if (e.validation !== undefined) {
    return { status: 400, body: { code: "VALIDATION_FAILED", message: e.message ?? "invalid request" } };
  }
  const status = e.statusCode ?? e.status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    if (err instanceof SyntaxError)
      return { status: 400, body: { code: "MALFORMED_JSON", message: `malformed JSON: ${err.message}` } };
    const code =
      (e.code !== undefined ? FASTIFY_CODES[e.code] : undefined) ?? STATUS_CODES[status] ?? "BAD_REQUEST";
    return { status, body: { code, message: e.message ?? "bad request" } };
  }
  if (status === 503)
    return { status, body: { code: "SERVICE_UNAVAILABLE", message: "the server is shutting down" } };
  return { status: 500, body: { code: "INTERNAL_ERROR", message: "internal server error" } };
}

function send(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body, retryAfterSeconds } = toErrorResponse(err);
  if (status >= 500) request.log.error({ err }, "request failed");
  else request.log.info({ code: body.code, status }, body.message);
  if (retryAfterSeconds !== undefined) reply.header("retry-after", String(retryAfterSeconds));
  return reply.status(status).type("application/json; charset=utf-8").send(body);
}

/** Install the error handler and the handler of errors Fastify raises before routing (bad URLs). */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => send(err, request, reply));
}

/** For Fastify's `frameworkErrors` option: errors met before a route is chosen. */
export function frameworkErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  send(err, request, reply);
}
