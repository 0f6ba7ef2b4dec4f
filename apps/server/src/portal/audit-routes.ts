/** The audit log of a portal's writes (admins). */
import { Type } from "typebox";
import { ServerError } from "../errors.js";
import type { App } from "../http/app-type.js";
import type { AppContext } from "../http/context.js";
import { orgPolicy } from "../http/policy.js";
import { errorResponses } from "../http/schemas.js";
import { listPortalAudit } from "./audit.js";
import { requirePortal } from "./org-access.js";
import { closed, DateTime, Nullable, OrgParams, Uuid } from "./schemas.js";

const AuditEntrySchema = Type.Object(
  {
    id: Uuid,
    at: DateTime,
    actorUserId: Nullable(Uuid),
    action: Type.String(),
    target: Nullable(Type.String()),
    ip: Nullable(Type.String()),
    details: Nullable(Type.Record(Type.String(), Type.Unknown())),
  },
  closed,
);

/** Cursor of the audit list: `<ISO time>_<id>` of the last entry seen. */
function parseCursor(cursor: string): { at: Date; id: string } {
  const m = /^(.+)_([0-9a-f-]{36})$/i.exec(cursor);
  const at = m === null ? Number.NaN : Date.parse(m[1]!);
  if (m === null || Number.isNaN(at)) throw new ServerError("BAD_REQUEST", `cursor "${cursor}" is not valid`);
  return { at: new Date(at), id: m[2]! };
}

export function auditRoutes(app: App, context: AppContext): void {
  app.get(
    "/:org/audit",
    {
      config: { policy: orgPolicy("admin") },
      schema: {
        tags: ["portals"],
        summary: "The portal's audit log of writes, newest first",
        params: OrgParams,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
            cursor: Type.Optional(
              Type.String({ maxLength: 100, description: "nextCursor of the previous page" }),
            ),
          },
          closed,
        ),
        response: {
          200: Type.Object(
            { items: Type.Array(AuditEntrySchema), nextCursor: Nullable(Type.String()) },
            closed,
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { org } = requirePortal(request);
      const limit = request.query.limit ?? 100;
      const before = request.query.cursor === undefined ? undefined : parseCursor(request.query.cursor);
      const items = await listPortalAudit(context.db, org.id, { limit, ...(before ? { before } : {}) });
      const last = items.length === limit ? items[items.length - 1] : undefined;
      return { items, nextCursor: last === undefined ? null : `${last.at}_${last.id}` };
    },
  );
}
