/** Text files: head, tail and lines around an offset; follow mode; regex search; CSV/TSV pages. */
import { Type } from "typebox";
import { ServerError } from "../../errors.js";
import type { App } from "../../http/app-type.js";
import { readTablePage } from "../delimited-table.js";
import { openEventStream } from "../event-stream.js";
import { followFile } from "../text-follow.js";
import { readLinesBackward, readLinesForward } from "../text-lines.js";
import { searchFile } from "../text-search.js";
import type { ViewerContext } from "../viewer-context.js";

const token = Type.Optional(Type.String());
const path = Type.String({ maxLength: 4096 });

export function textRoutes(app: App, context: ViewerContext): void {
  const { root } = context;

  app.get(
    "/api/text",
    {
      config: { viewerAccess: "token" },
      schema: {
        querystring: Type.Object({
          path,
          mode: Type.Optional(
            Type.Union([
              Type.Literal("head"),
              Type.Literal("tail"),
              Type.Literal("at"),
              Type.Literal("before"),
            ]),
          ),
          lines: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000 })),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
          line: Type.Optional(Type.Integer({ minimum: 1 })),
          token,
        }),
      },
    },
    async (request) => {
      const q = request.query;
      const p = await root.resolve(q.path);
      const lines = q.lines ?? 1000;
      switch (q.mode ?? "tail") {
        case "head":
          return readLinesForward(p.real, 0, lines);
        case "at":
          return readLinesForward(p.real, q.offset ?? 0, lines, q.line ?? (q.offset ? null : 1));
        case "before":
          return readLinesBackward(p.real, lines, q.offset);
        default:
          return readLinesBackward(p.real, lines);
      }
    },
  );

  app.get(
    "/api/text/follow",
    {
      config: { viewerAccess: "token" },
      schema: { querystring: Type.Object({ path, offset: Type.Integer({ minimum: 0 }), token }) },
    },
    async (request, reply) => {
      const p = await root.resolve(request.query.path);
      const stream = openEventStream(request, reply, context.streams);
      const stop = followFile(p.real, request.query.offset, {
        onLines: (lines, endOffset) => stream.send("lines", { lines, endOffset }),
        onReset: () => stream.send("reset", {}),
      });
      stream.onClose(stop);
    },
  );

  app.get(
    "/api/text/search",
    {
      config: { viewerAccess: "token" },
      schema: {
        querystring: Type.Object({
          path,
          q: Type.String({ minLength: 1, maxLength: 1000 }),
          regex: Type.Optional(Type.Boolean()),
          case: Type.Optional(Type.Boolean()),
          max: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
          token,
        }),
      },
    },
    async (request) => {
      const q = request.query;
      const p = await root.resolve(q.path);
      const abort = new AbortController();
      request.raw.on("close", () => abort.abort());
      return searchFile(p.real, q.q, {
        regex: q.regex ?? false,
        caseSensitive: q.case ?? false,
        maxResults: q.max ?? 500,
        signal: abort.signal,
      });
    },
  );

  app.get(
    "/api/table",
    {
      config: { viewerAccess: "token" },
      schema: {
        querystring: Type.Object({
          path,
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
      const lower = p.rel.toLowerCase();
      const delimiter = lower.endsWith(".tsv") || lower.endsWith(".tab") ? "\t" : ",";
      if (!/\.(csv|tsv|tab)$/.test(lower))
        throw new ServerError("BAD_REQUEST", `${p.rel} is not a CSV/TSV file`);
      return readTablePage(p.real, {
        delimiter,
        rows: q.rows ?? 100,
        ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
        ...(q.sort === undefined ? {} : { sort: q.sort }),
        ...(q.desc === undefined ? {} : { descending: q.desc }),
      });
    },
  );
}
