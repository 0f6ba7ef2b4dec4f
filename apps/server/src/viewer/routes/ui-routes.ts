/**
 * The viewer's web UI: `viewer.html` for every page path (the token exchange happens here) and
 * the built assets. When the web app is not built, a page says how to build it.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { ServerError } from "../../errors.js";
import type { App } from "../../http/app-type.js";
import type { ViewerContext } from "../viewer-context.js";

const NOT_BUILT =
  "<!doctype html><meta charset=utf-8><title>Meridian viewer</title><p style='font-family:sans-serif'>" +
  "The viewer's web UI is not built: run <code>npm run build</code> at the repository root. " +
  "The API answers under <code>/api/</code>.</p>";

/** Content-Security-Policy of the viewer UI itself. */
const UI_CSP =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
  "frame-src 'self'; object-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function uiRoutes(app: App, context: ViewerContext): void {
  const assets = resolve(context.webDir);
  const pagePath = join(assets, "viewer.html");
  const page = () => (existsSync(pagePath) ? readFileSync(pagePath, "utf8") : NOT_BUILT);

  for (const url of ["/", "/browse", "/browse/*", "/view/*"]) {
    app.get(url, { config: { viewerAccess: "page" } }, async (_request, reply) => {
      reply.header("cache-control", "no-cache");
      reply.header("content-security-policy", UI_CSP);
      reply.header("x-content-type-options", "nosniff");
      reply.header("referrer-policy", "no-referrer");
      return reply.type("text/html; charset=utf-8").send(page());
    });
  }

  const sendAsset = async (file: string, reply: import("fastify").FastifyReply) => {
    const full = resolve(assets, file);
    if (!full.startsWith(assets + sep) || !existsSync(full))
      throw new ServerError("NOT_FOUND", `no asset ${file}`);
    const type = full.endsWith(".js")
      ? "text/javascript; charset=utf-8"
      : full.endsWith(".css")
        ? "text/css; charset=utf-8"
        : full.endsWith(".svg")
          ? "image/svg+xml"
          : full.endsWith(".map")
            ? "application/json"
            : "application/octet-stream";
    reply.header("cache-control", "private, max-age=31536000, immutable");
    reply.header("x-content-type-options", "nosniff");
    return reply.type(type).send(readFileSync(full));
  };

  app.get("/assets/*", { config: { viewerAccess: "token" } }, async (request, reply) => {
    const rel = (request.params as { "*": string })["*"];
    if (rel.includes("..") || rel.includes("\0")) throw new ServerError("NOT_FOUND", "no such asset");
    return sendAsset(join("assets", rel), reply);
  });
  app.get("/favicon.svg", { config: { viewerAccess: "token" } }, async (_request, reply) =>
    sendAsset("favicon.svg", reply),
  );
}
