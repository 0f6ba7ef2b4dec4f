/**
 * The viewer's Fastify app: database-free, one directory tree, read-only. Same `{code, message}`
 * errors as the platform server; its own access rule (the token) on every route.
 */
import cookie from "@fastify/cookie";
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger } from "fastify";
import { ServerError } from "../errors.js";
import type { App } from "../http/app-type.js";
import { frameworkErrorHandler, installErrorHandler } from "../http/error-handler.js";
import { fitsImageRoutes } from "./fits-image-routes.js";
import { fileRoutes } from "./routes/file-routes.js";
import { fitsRoutes } from "./routes/fits-routes.js";
import { listingRoutes } from "./routes/listing-routes.js";
import { textRoutes } from "./routes/text-routes.js";
import { uiRoutes } from "./routes/ui-routes.js";
import { installViewerAccess } from "./viewer-access.js";
import type { ViewerContext } from "./viewer-context.js";

export interface ViewerAppOptions {
  readonly logger?: FastifyBaseLogger;
  readonly logLevel?: string;
}

/** Build (not listen) the viewer app for `context`. */
export async function buildViewerApp(context: ViewerContext, options: ViewerAppOptions = {}): Promise<App> {
  const app = Fastify({
    ...(options.logger === undefined
      ? { logger: { level: options.logLevel ?? "warn" } }
      : { loggerInstance: options.logger }),
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: true,
    frameworkErrors: frameworkErrorHandler,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  installErrorHandler(app);
  await app.register(cookie);
  installViewerAccess(app, context.token);
  app.setNotFoundHandler({}, (request) => {
    throw new ServerError("NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`);
  });
  app.addHook("onSend", async (_request, reply) => {
    reply.header("x-frame-options", "SAMEORIGIN");
  });
  app.addHook("onClose", async () => {
    for (const close of [...context.streams]) close();
  });
  listingRoutes(app, context);
  textRoutes(app, context);
  fileRoutes(app, context);
  fitsRoutes(app, context);
  fitsImageRoutes(app, context);
  uiRoutes(app, context);
  return app;
}
