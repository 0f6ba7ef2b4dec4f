/** Raw files of the tree, and HTML reports (with their own files) for sandboxed iframes. */
import { Type } from "typebox";
import type { App } from "../../http/app-type.js";
import { buildOverview } from "../overview.js";
import { FILE_CSP, REPORT_CSP, sendTreeFile } from "../send-file.js";
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
