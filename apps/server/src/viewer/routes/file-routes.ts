/** Raw files of the tree, and HTML reports (with their own files) for sandboxed iframes. */
import { open } from "node:fs/promises";
import { Type } from "typebox";
import type { App } from "../../http/app-type.js";
import { buildOverview } from "../overview.js";
import { pngThumbnail } from "../png-thumbnail.js";
import { FILE_CSP, REPORT_CSP, sendTreeFile } from "../send-file.js";
import { cachedDerivative } from "../thumbnail-cache.js";
import type { ViewerContext } from "../viewer-context.js";
import { reportUrl } from "./listing-routes.js";

export function fileRoutes(app: App, context: ViewerContext): void {
  const { root } = context;

  app.get(
    "/files/*",
    { config: { viewerAccess: "token" }, exposeHeadRoute: true },
    async (request, reply) => {
      const rel = (request.params as { "*": string })["*"];
      const p = await root.resolve(rel);
      return sendTreeFile(request, reply, p.real, p.rel, FILE_CSP);
    },
  );

  app.get(
    "/api/thumb",
    {
      config: { viewerAccess: "token" },
      schema: {
        querystring: Type.Object({
          path: Type.String({ maxLength: 4096 }),
          size: Type.Optional(Type.Integer({ minimum: 16, maximum: 1024 })),
          token: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const p = await root.resolve(request.query.path);
      const size = request.query.size ?? 320;
      if (p.rel.toLowerCase().endsWith(".png")) {
        const thumb = await cachedDerivative(context.cacheDir, "png-thumbnails", p.real, size, async () => {
          const fh = await open(p.real, "r");
          try {
            const length = (await fh.stat()).size;
            if (length > 64 * 1024 * 1024) return null;
            const bytes = new Uint8Array(length);
            await fh.read(bytes, 0, length, 0);
            return pngThumbnail(bytes, size);
          } finally {
            await fh.close();
          }
        });
        if (thumb !== null) {
          reply.header("cache-control", "private, no-cache");
          reply.header("x-content-type-options", "nosniff");
          reply.header("content-security-policy", FILE_CSP);
          return reply.type("image/png").send(Buffer.from(thumb.buffer, thumb.byteOffset, thumb.byteLength));
        }
      }
      // Small, interlaced or non-PNG images: the original.
      return sendTreeFile(request, reply, p.real, p.rel, FILE_CSP);
    },
  );

  app.get(
    "/report/:key/*",
    { config: { viewerAccess: "report" }, exposeHeadRoute: true },
    async (request, reply) => {
      const rel = (request.params as { "*": string })["*"];
      const p = await root.resolve(rel);
      return sendTreeFile(request, reply, p.real, p.rel, REPORT_CSP);
    },
  );

  app.get(
    "/api/overview",
    {
      config: { viewerAccess: "token" },
      schema: { querystring: Type.Object({ token: Type.Optional(Type.String()) }) },
    },
    async () => {
      const overview = await buildOverview(root);
      return {
        ...overview,
        sections: overview.sections.map((s) => ({
          ...s,
          items: s.items.map((i) =>
            i.kind === "html" ? { ...i, reportUrl: reportUrl(context, i.path) } : i,
          ),
        })),
      };
    },
  );
}
