/**
 * The built web app (apps/web/dist) at `/`: files as they are, and index.html for every other
 * non-API path so that client-side routes survive a reload. Skipped when the build is absent.
 */
import { existsSync, statSync } from "node:fs";
import { resolve, sep } from "node:path";
import fastifyStatic from "@fastify/static";
import { ServerError } from "../../errors.js";
import type { App } from "../app-type.js";
import { PUBLIC } from "../policy.js";

/** True when `dir` holds a built web app. */
export function hasWebApp(dir: string): boolean {
  return existsSync(resolve(dir, "index.html"));
}

export async function webAppRoutes(app: App, webDir: string): Promise<void> {
  if (!hasWebApp(webDir)) return;
  const root = resolve(webDir);
  await app.register(fastifyStatic, { root, serve: false });
  app.get("/*", { config: { policy: PUBLIC }, schema: { hide: true } }, async (request, reply) => {
    const path = decodeURIComponent(request.url.split("?")[0] ?? "/");
    if (path === "/api" || path.startsWith("/api/")) {
      throw new ServerError("NOT_FOUND", `no route ${request.method} ${path}`);
    }
    const file = resolve(root, `.${path}`);
    if (file.startsWith(root + sep) && isFile(file)) {
      // Vite puts content hashes in asset names, so those can be cached for good.
      const immutable = path.startsWith("/assets/");
      return reply.sendFile(file.slice(root.length + 1), root, {
        immutable,
        maxAge: immutable ? 365 * 24 * 3600 * 1000 : 0,
      });
    }
    reply.header("cache-control", "no-cache");
    return reply.sendFile("index.html", root, { cacheControl: false });
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
