/**
 * Routes of the interactive FITS viewer (all behind the viewer token): plane description with
 * statistics, float32 tiles of the lazy pyramid, single pixel values, catalogue positions.
 */
import { gzipSync } from "node:zlib";
import { Type } from "typebox";
import type { App } from "../http/app-type.js";
import { readCatalogue } from "./fits-catalog.js";
import { closeOpenFits, fitsImageInfo, fitsPixel, fitsProgress, fitsTile } from "./fits-image.js";
import { prunePyramids } from "./fits-pyramid.js";
import type { ViewerContext } from "./viewer-context.js";

const token = Type.Optional(Type.String());
const path = Type.String({ maxLength: 4096 });
const hdu = Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 }));
const plane = Type.Optional(Type.String({ maxLength: 200, pattern: "^[0-9]+(,[0-9]+)*$" }));

/** The HDU and plane a query names, leaving out what it does not (the defaults apply). */
function imageOf(q: { hdu?: number | undefined; plane?: string | undefined }): {
  hdu?: number;
  plane?: string;
} {
  return {
    ...(q.hdu === undefined ? {} : { hdu: q.hdu }),
    ...(q.plane === undefined ? {} : { plane: q.plane }),
  };
}

export function fitsImageRoutes(app: App, context: ViewerContext): void {
  const { root, cacheDir } = context;
  app.addHook("onClose", async () => closeOpenFits());
  // Old pyramids (of files since changed or long unopened) are removed in the background.
  app.addHook("onReady", async () => {
    void prunePyramids(cacheDir).catch((err: unknown) =>
      app.log.warn({ err }, "pruning the FITS pyramid cache failed"),
    );
  });

  app.get(
    "/api/fits/image",
    {
      config: { viewerAccess: "token" },
      schema: { querystring: Type.Object({ path, hdu, plane, token }) },
    },
    async (request, reply) => {
      const q = request.query;
      const p = await root.resolve(q.path);
      reply.header("cache-control", "private, no-cache");
      return fitsImageInfo(cacheDir, p.real, p.rel, imageOf(q));
    },
  );

  app.get(
    "/api/fits/tile",
    {
      config: { viewerAccess: "token" },
      schema: {
        querystring: Type.Object({
          path,
          hdu,
          plane,
          level: Type.Integer({ minimum: 0, maximum: 30 }),
          col: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
          row: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
          v: Type.Optional(Type.String({ maxLength: 40 })),
          token,
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const p = await root.resolve(q.path);
      const tile = await fitsTile(cacheDir, p.real, {
        ...imageOf(q),
        level: q.level,
        column: q.col,
        row: q.row,
      });
      let body = Buffer.from(tile.data.buffer, tile.data.byteOffset, tile.data.byteLength);
      // Float noise barely compresses, but blank (NaN) and integer-valued images do; keep gzip
      // only when it saves a quarter.
      if (/\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""))) {
        const zipped = gzipSync(body, { level: 1 });
        if (zipped.length < body.length * 0.75) {
          body = zipped;
          reply.header("content-encoding", "gzip");
        }
      }
      reply.header("x-tile-width", String(tile.width));
      reply.header("x-tile-height", String(tile.height));
      reply.header("x-content-type-options", "nosniff");
      // `v` names the file version, so a cached tile is never stale.
      reply.header("cache-control", q.v === undefined ? "private, no-cache" : "private, max-age=3600");
      return reply.type("application/octet-stream").send(body);
    },
  );

  app.get(
    "/api/fits/progress",
    {
      config: { viewerAccess: "token" },
      schema: { querystring: Type.Object({ path, hdu, plane, token }) },
    },
    async (request, reply) => {
      const q = request.query;
      const p = await root.resolve(q.path);
      reply.header("cache-control", "no-store");
      return fitsProgress(p.real, imageOf(q));
    },
  );

  app.get(
    "/api/fits/pixel",
    {
      config: { viewerAccess: "token" },
      schema: {
        querystring: Type.Object({
          path,
          hdu,
          plane,
          x: Type.Integer({ minimum: 1 }),
          y: Type.Integer({ minimum: 1 }),
          token,
        }),
      },
    },
    async (request) => {
      const q = request.query;
      const p = await root.resolve(q.path);
      return fitsPixel(p.real, {
        ...imageOf(q),
        x: q.x,
        y: q.y,
      });
    },
  );

  app.get(
    "/api/fits/catalog",
    {
      config: { viewerAccess: "token" },
      schema: {
        querystring: Type.Object({
          path,
          max: Type.Optional(Type.Integer({ minimum: 1, maximum: 200_000 })),
          token,
        }),
      },
    },
    async (request) => {
      const p = await root.resolve(request.query.path);
      return readCatalogue(p.real, p.rel, request.query.max ?? 50_000);
    },
  );
}
