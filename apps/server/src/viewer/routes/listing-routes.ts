/** Listings (names, then details), file info and live change events. */
import { readdir, stat } from "node:fs/promises";
import { Type } from "typebox";
import type { App } from "../../http/app-type.js";
import { watchDirectory } from "../dir-watch.js";
import { openEventStream } from "../event-stream.js";
import { kindFromBytes, kindFromName } from "../file-kind.js";
import { pathFilter, splitGlobs } from "../glob.js";
import { isCasaTableListing, listNames, readHeadBytes, statDetails } from "../listing.js";
import { parentDir } from "../viewer-access.js";
import type { ViewerContext } from "../viewer-context.js";
import { reportKey } from "../viewer-token.js";

const token = Type.Optional(Type.String());

/** URL under which an HTML report is served to its sandboxed iframe. */
export function reportUrl(context: ViewerContext, path: string): string {
  const key = reportKey(context.token, parentDir(path));
  return `/report/${key}/${path.split("/").map(encodeURIComponent).join("/")}`;
}

export function listingRoutes(app: App, context: ViewerContext): void {
  const { root } = context;

  app.get(
    "/api/list",
    {
      config: { viewerAccess: "token" },
      schema: {
        querystring: Type.Object({
          path: Type.Optional(Type.String({ maxLength: 4096 })),
          recursive: Type.Optional(Type.Boolean()),
          include: Type.Optional(Type.String({ maxLength: 2000 })),
          exclude: Type.Optional(Type.String({ maxLength: 2000 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500_000 })),
          token,
        }),
      },
    },
    async (request) => {
      const q = request.query;
      const include = splitGlobs(q.include);
      const exclude = splitGlobs(q.exclude);
      const filter = include.length + exclude.length > 0 ? pathFilter(include, exclude) : undefined;
      return listNames(root, q.path ?? "", {
        recursive: q.recursive ?? false,
        ...(filter === undefined ? {} : { filter }),
        ...(q.limit === undefined ? {} : { limit: q.limit }),
      });
    },
  );

  app.post(
    "/api/details",
    {
      config: { viewerAccess: "token" },
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        body: Type.Object(
          { paths: Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 20_000 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({ entries: await statDetails(root, request.body.paths) }),
  );

  app.get(
    "/api/info",
    {
      config: { viewerAccess: "token" },
      schema: { querystring: Type.Object({ path: Type.String({ maxLength: 4096 }), token }) },
    },
    async (request) => {
      const p = await root.resolve(request.query.path);
      const info = await stat(p.real);
      const name = p.rel === "" ? "" : p.rel.slice(p.rel.lastIndexOf("/") + 1);
      let kind = info.isDirectory() ? "directory" : kindFromName(name);
      if (info.isDirectory() && isCasaTableListing(await readdir(p.real))) kind = "casa-table";
      if (kind === "unknown") kind = kindFromBytes(await readHeadBytes(p.real, 1024));
      return {
        path: p.rel,
        name,
        kind,
        size: info.size,
        mtimeMs: Math.round(info.mtimeMs),
        ...(kind === "html" ? { reportUrl: reportUrl(context, p.rel) } : {}),
      };
    },
  );

  app.get(
    "/api/events",
    {
      config: { viewerAccess: "token" },
      schema: {
        querystring: Type.Object({
          path: Type.Optional(Type.String({ maxLength: 4096 })),
          recursive: Type.Optional(Type.Boolean()),
          token,
        }),
      },
    },
    async (request, reply) => {
      const p = await root.resolve(request.query.path ?? "");
      const stream = openEventStream(request, reply, context.streams);
      const stop = watchDirectory(p.real, request.query.recursive ?? false, (names) =>
        stream.send("change", { path: p.rel, names }),
      );
      stream.onClose(stop);
    },
  );
}
