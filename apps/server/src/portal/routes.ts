/**
 * The portal API under `/api/portals`: one Fastify plugin that registers each area's sub-plugin.
 * Sub-plugins declare paths relative to the prefix (`/:org/sites`), and every route an
 * organisation policy (`orgPolicy(role)`, see http/policy.ts); handlers read `request.portal`.
 */
import type { App } from "../http/app-type.js";
import type { AppContext } from "../http/context.js";
import { auditRoutes } from "./audit-routes.js";
import { datasetRoutes } from "./datasets.js";
import { fileRoutes } from "./files.js";
import { instrumentRoutes } from "./instruments.js";
import { memberRoutes } from "./members.js";
import { nightLogFileRoutes, nightLogRoutes } from "./night-logs.js";
import { packageRoutes } from "./packages/routes.js";
import { portalCoreRoutes } from "./portals.js";
import { siteRoutes } from "./sites.js";
import { targetRoutes } from "./targets.js";
import { telescopeRoutes } from "./telescopes.js";
import { uploadRoutes } from "./uploads/routes.js";

/** One area of the portal API: registers its routes on `app` (already under `/api/portals`). */
export type PortalPlugin = (app: App, context: AppContext) => void | Promise<void>;

/** Every area, in registration order. Add a line here to register a new area. */
const PLUGINS: readonly PortalPlugin[] = [
  portalCoreRoutes,
  memberRoutes,
  siteRoutes,
  telescopeRoutes,
  instrumentRoutes,
  nightLogRoutes,
  nightLogFileRoutes,
  datasetRoutes,
  fileRoutes,
  targetRoutes,
  auditRoutes,
  uploadRoutes,
  packageRoutes,
];

/** URL prefix of the portal API. */
export const PORTAL_PREFIX = "/api/portals";

/** Register the portal API on `app`. */
export async function portalRoutes(app: App, context: AppContext): Promise<void> {
  await app.register(
    async (portal) => {
      for (const plugin of PLUGINS) {
        await portal.register(async (scope) => {
          await plugin(scope as App, context);
        });
      }
    },
    { prefix: PORTAL_PREFIX },
  );
}
