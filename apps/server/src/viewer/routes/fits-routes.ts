/** FITS: HDU list with headers, cached PNG previews (zscale, stretch, colormap), table pages; CASA table summaries. */
import { Type } from "typebox";
import type { App } from "../../http/app-type.js";
import { readCasaTable } from "../casa-table.js";
import { fitsPreview, fitsSummary } from "../fits-preview.js";
import { readFitsTablePage } from "../fits-table.js";
import type { ViewerContext } from "../viewer-context.js";

const token = Type.Optional(Type.String());
const path = Type.String({ maxLength: 4096 });

export function fitsRoutes(app: App, context: ViewerContext): void {
  const { root } = context;

  app.get(
    "/api/fits/info",
    { config: { viewerAccess: "token" }, schema: { querystring: Type.Object({ path, token }) } },
    async (request) => {
      const p = await root.resolve(request.query.path);
      return { path: p.rel, hdus: await fitsSummary(p.real) };
    },
  );

  app.get(
    "/api/fits/preview",
    {
      config: { viewerAccess: "token" },
      schema: {
        querystring: Type.Object({
          path,
          hdu: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
          size: Type.Optional(Type.Integer({ minimum: 16, maximum: 4096 })),
          stretch: Type.Optional(Type.String({ maxLength: 40 })),
          cmap: Type.Optional(Type.String({ maxLength: 40 })),
          interval: Type.Optional(Type.String({ maxLength: 80 })),
          token,
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const p = await root.resolve(q.path);
      const png = await fitsPreview(p.real, context.cacheDir, {
        ...(q.hdu === undefined ? {} : { hdu: q.hdu }),
        size: q.size ?? 256,
        stretch: q.stretch ?? "linear",
        cmap: q.cmap ?? "grey",
        ...(q.interval === undefined ? {} : { interval: q.interval }),
      });
      reply.header("cache-control", "private, no-cache");
      reply.header("x-content-type-options", "nosniff");
      return reply.type("image/png").send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    },
  );

  app.get(
    "/api/fits/table",
    {
      config: { viewerAccess: "token" },
      schema: {
        querystring: Type.Object({
          path,
          hdu: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
          cursor: Type.Optional(Type.String({ maxLength: 40 })),
          rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
          sort: Type.Optional(Type.Integer({ minimum: 0 })),
          desc: Type.Optional(Type.Boolean()),
          token,
        }),
      },
    },
    async (request) => {
      const q = request.query;
      const p = await root.resolve(q.path);
      return readFitsTablePage(p.real, {
        rows: q.rows ?? 100,
        ...(q.hdu === undefined ? {} : { hdu: q.hdu }),
        ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
        ...(q.sort === undefined ? {} : { sort: q.sort }),
        ...(q.desc === undefined ? {} : { descending: q.desc }),
      });
    },
  );

  app.get(
    "/api/casa",
    { config: { viewerAccess: "token" }, schema: { querystring: Type.Object({ path, token }) } },
    async (request) => {
      const p = await root.resolve(request.query.path);
      return { path: p.rel, ...(await readCasaTable(p.real)) };
    },
  );
}
