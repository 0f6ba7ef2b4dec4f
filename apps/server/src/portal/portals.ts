/**
 * Portals themselves: create one (the creator becomes its owner), list the caller's portals, read
 * a portal's page (public content for anyone when its public page is on), change and delete it.
 */
import { and, asc, desc, eq, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { Type } from "typebox";
import type { Database } from "../db/database.js";
import {
  dataFiles,
  dataPackages,
  memberships,
  type OrgRole,
  observingSites,
  organisations,
  telescopes,
} from "../db/portal-schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { ServerError } from "../errors.js";
import type { App } from "../http/app-type.js";
import { requirePrincipal } from "../http/authenticate.js";
import type { AppContext } from "../http/context.js";
import { orgPolicy, USER_READ, USER_WRITE } from "../http/policy.js";
import { ErrorSchema, errorResponses } from "../http/schemas.js";
import { recordPortalAudit } from "./audit.js";
import { type Organisation, requirePortal, requirePortalUser } from "./org-access.js";
import {
  closed,
  DateTime,
  NameSchema,
  Nullable,
  OrgParams,
  OrgRoleSchema,
  PortalRoleSchema,
  SlugSchema,
  TextSchema,
  Uuid,
} from "./schemas.js";
import { SiteSchema, siteView } from "./sites.js";
import { TelescopeSchema, telescopeView } from "./telescopes.js";

export const PortalSchema = Type.Object(
  {
    id: Uuid,
    slug: Type.String(),
    name: Type.String(),
    description: Type.String(),
    isPublic: Type.Boolean(),
    quotaBytes: Nullable(Type.Integer()),
    usedBytes: Type.Integer(),
    createdAt: DateTime,
  },
  closed,
);

/** A portal as the API shows it. */
export function portalView(org: Organisation) {
  return {
    id: org.id,
    slug: org.slug,
    name: org.name,
    description: org.description,
    isPublic: org.isPublic,
    quotaBytes: org.quotaBytes,
    usedBytes: org.usedBytes,
    createdAt: org.createdAt.toISOString(),
  };
}

const PublicPackageSchema = Type.Object(
  {
    id: Uuid,
    title: Type.String(),
    description: Type.String(),
    authors: Type.Array(Type.String()),
    licence: Type.String(),
    frozenAt: Nullable(DateTime),
    createdAt: DateTime,
  },
  closed,
);

/** Create a portal with `ownerId` as its owner. */
export async function createPortal(
  db: Database,
  ownerId: string,
  input: { slug: string; name: string; description?: string; isPublic?: boolean },
): Promise<Organisation> {
  try {
    return await db.transaction(async (tx) => {
      const [org] = await tx
        .insert(organisations)
        .values({
          slug: input.slug,
          name: input.name,
          description: input.description ?? "",
          isPublic: input.isPublic ?? true,
        })
        .returning();
      await tx.insert(memberships).values({ orgId: org!.id, userId: ownerId, role: "owner" });
      return org!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ServerError("CONFLICT", `a portal named "${input.slug}" exists`);
    throw err;
  }
}

export function portalCoreRoutes(app: App, context: AppContext): void {
  const { db } = context;

  app.post(
    "/",
    {
      config: { policy: USER_WRITE },
      schema: {
        tags: ["portals"],
        summary: "Create a portal (organisation); you become its owner",
        body: Type.Object(
          {
            slug: SlugSchema,
            name: NameSchema,
            description: Type.Optional(TextSchema),
            isPublic: Type.Optional(Type.Boolean()),
          },
          closed,
        ),
        response: { 201: Type.Object({ portal: PortalSchema }, closed), ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const org = await createPortal(db, principal.user.id, request.body);
      request.portal = { org, role: "owner", user: principal.user };
      await recordPortalAudit(db, request, {
        action: "portal.created",
        target: org.id,
        details: { slug: org.slug },
      });
      return reply.status(201).send({ portal: portalView(org) });
    },
  );

  app.get(
    "/",
    {
      config: { policy: USER_READ },
      schema: {
        tags: ["portals"],
        summary: "The portals you are a member of, with your role, by name",
        response: {
          200: Type.Object(
            { items: Type.Array(Type.Object({ portal: PortalSchema, role: OrgRoleSchema }, closed)) },
            closed,
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const rows = await db
        .select({ org: organisations, role: memberships.role })
        .from(memberships)
        .innerJoin(organisations, eq(organisations.id, memberships.orgId))
        .where(eq(memberships.userId, principal.user.id))
        .orderBy(asc(sql`lower(${organisations.name})`), asc(organisations.id));
      return { items: rows.map((r) => ({ portal: portalView(r.org), role: r.role as OrgRole })) };
    },
  );

  app.get(
    "/:org",
    {
      config: { policy: orgPolicy("observer", { anonymous: "public-portal" }) },
      schema: {
        tags: ["portals"],
        summary:
          "A portal's page: the portal, its sites, telescopes and public data packages (frozen, past their embargo)",
        params: OrgParams,
        response: {
          200: Type.Object(
            {
              portal: PortalSchema,
              role: PortalRoleSchema,
              sites: Type.Array(SiteSchema),
              telescopes: Type.Array(TelescopeSchema),
              publicPackages: Type.Array(PublicPackageSchema),
            },
            closed,
          ),
          ...errorResponses,
          404: ErrorSchema,
        },
      },
    },
    async (request) => {
      const { org, role } = requirePortal(request);
      const [sites, scopes, packages] = await Promise.all([
        db
          .select()
          .from(observingSites)
          .where(eq(observingSites.orgId, org.id))
          .orderBy(asc(observingSites.name)),
        db.select().from(telescopes).where(eq(telescopes.orgId, org.id)).orderBy(asc(telescopes.name)),
        db
          .select()
          .from(dataPackages)
          .where(
            and(
              eq(dataPackages.orgId, org.id),
              eq(dataPackages.visibility, "public"),
              isNotNull(dataPackages.frozenAt),
              or(isNull(dataPackages.embargoUntil), lte(dataPackages.embargoUntil, new Date())),
            ),
          )
          .orderBy(desc(dataPackages.createdAt)),
      ]);
      return {
        portal: portalView(org),
        role,
        sites: sites.map(siteView),
        telescopes: scopes.map(telescopeView),
        publicPackages: packages.map((p) => ({
          id: p.id,
          title: p.title,
          description: p.description,
          authors: p.authors,
          licence: p.licence,
          frozenAt: p.frozenAt?.toISOString() ?? null,
          createdAt: p.createdAt.toISOString(),
        })),
      };
    },
  );

  app.patch(
    "/:org",
    {
      config: { policy: orgPolicy("admin") },
      schema: {
        tags: ["portals"],
        summary:
          "Change a portal's name, description or public page (admins; the quota needs a server admin)",
        params: OrgParams,
        body: Type.Object(
          {
            name: Type.Optional(NameSchema),
            description: Type.Optional(TextSchema),
            isPublic: Type.Optional(Type.Boolean()),
            quotaBytes: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
          },
          closed,
        ),
        response: { 200: Type.Object({ portal: PortalSchema }, closed), ...errorResponses },
      },
    },
    async (request) => {
      const access = requirePortalUser(request);
      const { quotaBytes, ...rest } = request.body;
      if (quotaBytes !== undefined && !access.user.isAdmin)
        throw new ServerError("FORBIDDEN", "only a server administrator may change a portal's quota");
      const [org] = await db
        .update(organisations)
        .set({ ...rest, ...(quotaBytes === undefined ? {} : { quotaBytes }) })
        .where(eq(organisations.id, access.org.id))
        .returning();
      await recordPortalAudit(db, request, {
        action: "portal.updated",
        target: access.org.id,
        details: request.body,
      });
      return { portal: portalView(org!) };
    },
  );

  app.delete(
    "/:org",
    {
      config: { policy: orgPolicy("owner") },
      schema: {
        tags: ["portals"],
        summary: "Delete a portal and everything in it (owners); refused while it holds data files",
        params: OrgParams,
        response: { 204: Type.Null(), ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { org } = requirePortal(request);
      // Files have bytes in storage: they go one by one (DELETE .../files/:fileId) so none is orphaned.
      const [held] = await db
        .select({ id: dataFiles.id })
        .from(dataFiles)
        .where(eq(dataFiles.orgId, org.id))
        .limit(1);
      if (held !== undefined)
        throw new ServerError("CONFLICT", `portal "${org.slug}" still holds data files; delete them first`);
      await db.delete(organisations).where(eq(organisations.id, org.id));
      await recordPortalAudit(db, request, {
        action: "portal.deleted",
        target: org.id,
        details: { slug: org.slug },
      });
      return reply.status(204).send(null);
    },
  );
}
