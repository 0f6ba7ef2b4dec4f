/**
 * Send a file from the tree: ETag/304, single byte ranges (PDF viewers and video seek with them),
 * `nosniff`, and a Content-Security-Policy that matches how the file may be shown.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ServerError } from "../errors.js";
import { contentTypeOf } from "./file-kind.js";

/** Files shown directly (images, PDF, text): no scripts, nothing loaded from elsewhere. */
export const FILE_CSP =
  "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; media-src 'self'";
/**
 * HTML reports, always inside `<iframe sandbox="allow-scripts">`: scripts may run (plots need
 * them) but in an opaque origin, without the viewer's cookie, loading only from the report's own
 * directory key, with no forms and no network beyond it.
 */
export const REPORT_CSP =
  "sandbox allow-scripts allow-popups; default-src 'self' data: blob: 'unsafe-inline' 'unsafe-eval'; " +
  "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'";

export async function sendTreeFile(
  request: FastifyRequest,
  reply: FastifyReply,
  real: string,
  name: string,
  csp: string,
): Promise<FastifyReply> {
  const info = await stat(real);
  if (!info.isFile()) throw new ServerError("NOT_FOUND", `not a file: ${name}`);
  const etag = `"${info.size.toString(36)}-${Math.round(info.mtimeMs).toString(36)}"`;
  const type = contentTypeOf(name);
  reply.header("etag", etag);
  reply.header("last-modified", info.mtime.toUTCString());
  reply.header("cache-control", "private, no-cache");
  reply.header("x-content-type-options", "nosniff");
  reply.header("accept-ranges", "bytes");
  // PDF viewers do not run inside a sandboxed document; PDFs get no CSP sandbox.
  if (!type.startsWith("application/pdf")) reply.header("content-security-policy", csp);
  reply.type(type);
  if (request.headers["if-none-match"] === etag) return reply.status(304).send();

  let start = 0;
  let end = info.size - 1;
  const range = request.headers.range;
  if (range !== undefined && info.size > 0) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (m !== null && (m[1] !== "" || m[2] !== "")) {
      if (m[1] === "") {
        start = Math.max(0, info.size - Number(m[2]));
      } else {
        start = Number(m[1]);
        if (m[2] !== "") end = Math.min(end, Number(m[2]));
      }
      if (start > end || start >= info.size) {
        reply.header("content-range", `bytes */${info.size}`);
        return reply.status(416).send();
      }
      reply.status(206);
      reply.header("content-range", `bytes ${start}-${end}/${info.size}`);
    }
  }
  reply.header("content-length", String(info.size === 0 ? 0 : end - start + 1));
  if (request.method === "HEAD" || info.size === 0) return reply.send();
  return reply.send(createReadStream(real, { start, end }));
}
