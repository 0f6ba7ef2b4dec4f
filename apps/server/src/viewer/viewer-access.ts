/**
 * Who may call each viewer route. Every route declares `config: { viewerAccess }`; a route
 * without it is refused at registration, and one onRequest hook enforces it before anything else
 * runs. Deny by default.
 *
 * - `page`: the token exchange. `?token=` that matches sets the cookie and redirects to the same
 *   URL without it; otherwise the cookie or a Bearer header is required.
 * - `token`: the cookie, `Authorization: Bearer <token>` or `?token=<token>`.
 * - `report`: the `:key` route parameter must be the report key of the directory the path is in.
 */
import type {} from "@fastify/cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import { ServerError } from "../errors.js";
import { reportKey, secretEquals, viewerCookieName } from "./viewer-token.js";

export type ViewerAccess = "page" | "token" | "report";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call a viewer route (see viewer/viewer-access.ts); required on the viewer app. */
    viewerAccess?: ViewerAccess;
  }
}

/** A viewer route was registered without `config.viewerAccess`. */
export class MissingViewerAccessError extends Error {
  override readonly name = "MissingViewerAccessError";
  readonly code = "MISSING_ROUTE_POLICY" as const;
  constructor(
    readonly method: string,
    readonly url: string,
  ) {
    super(`viewer route ${method} ${url} declares no config.viewerAccess`);
  }
}

const ACCESS = new Set<unknown>(["page", "token", "report"]);

function queryToken(request: FastifyRequest): string | undefined {
  const q = request.query as Record<string, unknown> | undefined;
  const t = q?.token;
  return typeof t === "string" ? t : undefined;
}

/** True when the request carries the token (cookie, Bearer or query). */
export function hasToken(request: FastifyRequest, token: string): boolean {
  const cookie = request.cookies[viewerCookieName(token)];
  if (cookie !== undefined && secretEquals(cookie, token)) return true;
  const auth = request.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m !== null && secretEquals(m[1]!, token)) return true;
  }
  const q = queryToken(request);
  return q !== undefined && secretEquals(q, token);
}

/** The URL of `request` without its `token` query parameter. */
function withoutToken(url: string): string {
  const parsed = new URL(url, "http://viewer.invalid");
  parsed.searchParams.delete("token");
  return parsed.pathname + parsed.search;
}

/** Directory part of a tree-relative path ("" at the root). */
export function parentDir(rel: string): string {
  const i = rel.lastIndexOf("/");
  return i < 0 ? "" : rel.slice(0, i);
}

/** Install the registration check and the enforcement hook. */
export function installViewerAccess(app: FastifyInstance, token: string): void {
  const cookieName = viewerCookieName(token);
  app.addHook("onRoute", (route: RouteOptions) => {
    const access = (route.config as { viewerAccess?: unknown } | undefined)?.viewerAccess;
    if (!ACCESS.has(access)) {
      const methods = Array.isArray(route.method) ? route.method.join(",") : route.method;
      throw new MissingViewerAccessError(methods, route.url);
    }
  });

  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.is404) return;
    const access = request.routeOptions.config.viewerAccess;
    if (access === "report") {
      const params = request.params as { key?: string; "*"?: string };
      const rel = params["*"] ?? "";
      // The key covers the report's directory and everything below it.
      let dir = parentDir(rel);
      for (;;) {
        if (params.key !== undefined && secretEquals(params.key, reportKey(token, dir))) return;
        if (dir === "") break;
        dir = parentDir(dir);
      }
      throw new ServerError("NOT_FOUND", "no such report file");
    }
    if (access === "page") {
      const q = queryToken(request);
      if (q !== undefined && secretEquals(q, token)) {
        reply.setCookie(cookieName, token, { httpOnly: true, sameSite: "strict", path: "/" });
        reply.header("cache-control", "no-store");
        return reply.redirect(withoutToken(request.url), 302);
      }
      if (hasToken(request, token)) return;
      reply.header("cache-control", "no-store");
      return reply
        .status(401)
        .type("text/html; charset=utf-8")
        .send(
          "<!doctype html><meta charset=utf-8><title>Meridian viewer</title>" +
            "<p style='font-family:sans-serif'>This Meridian viewer needs its token: open the URL " +
            "printed by <code>meridian view</code> (it ends in <code>?token=…</code>).</p>",
        );
    }
    if (access === "token") {
      if (hasToken(request, token)) return;
      throw new ServerError("UNAUTHENTICATED", "send the viewer token (cookie, Bearer header or ?token=)");
    }
    throw new ServerError("FORBIDDEN", "this route declares no access");
  });
}
