/**
 * Routes for a simple organisation-owned resource: list, get, create, change, delete, each with
 * its policy, TypeBox schemas, audit entries and the organisation check (a row of another
 * organisation is "not found"). Resources with more behaviour add their own routes beside these.
 */
import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { type TObject, type TSchema, Type } from "typebox";
import type { Database } from "../db/database.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { ServerError } from "../errors.js";
import type { App } from "../http/app-type.js";
import type { AppContext } from "../http/context.js";
import type { OrgPolicy } from "../http/policy.js";
import { ErrorSchema, errorResponses } from "../http/schemas.js";
import { recordPortalAudit } from "./audit.js";
import { type PortalAccess, requirePortal } from "./org-access.js";
import { closed, orgParamsWith } from "./schemas.js";

/** A table with `id` and `org_id`. */
export type OrgTable = PgTable & { id: AnyPgColumn; orgId: AnyPgColumn };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The row `id` of `table` in organisation `orgId`, or NOT_FOUND naming `what`. */
export async function findOrgRow<T extends OrgTable>(
  db: Database,
  table: T,
  orgId: string,
  id: string,
  what: string,
): Promise<T["$inferSelect"]> {
  if (!UUID_RE.test(id)) throw new ServerError("NOT_FOUND", `no ${what} with id "${id}"`);
  const rows = await db
    .select()
    .from(table as PgTable)
    .where(and(eq(table.orgId, orgId), eq(table.id, id)))
    .limit(1);
  const row = rows[0];
  if (row === undefined) throw new ServerError("NOT_FOUND", `no ${what} with id "${id}"`);
  return row as T["$inferSelect"];
}

/** Check that an optional reference (`telescopeId`, ...) names a row of the same organisation. */
export async function checkReference(
  db: Database,
  table: OrgTable,
  orgId: string,
  id: string | null | undefined,
  what: string,
): Promise<void> {
  if (id === undefined || id === null) return;
  try {
    await findOrgRow(db, table, orgId, id, what);
  } catch (err) {
    throw new ServerError("BAD_REQUEST", `no ${what} with id "${id}" in this portal`, { cause: err });
  }
}

/** How to serve one resource. */
export interface CrudSpec<T extends OrgTable, Row, CreateBody, PatchBody> {
  readonly table: T;
  /** URL segment under `/:org/` (plural), e.g. "sites". */
  readonly path: string;
  /** Name of the id parameter, e.g. "siteId". */
  readonly idParam: string;
  /** Singular noun for messages and audit actions, e.g. "site". */
  readonly noun: string;
  readonly tag: string;
  readonly schema: TSchema;
  readonly create: TObject;
  readonly patch: TObject;
  readonly view: (row: T["$inferSelect"]) => Row;
  /** Column values of a new row (org_id is added). May check references. */
  readonly toInsert: (
    body: CreateBody,
    access: PortalAccess,
    db: Database,
  ) => Promise<Record<string, unknown>>;
  /** Column values of a change. May check references. */
  readonly toUpdate: (
    body: PatchBody,
    access: PortalAccess,
    db: Database,
  ) => Promise<Record<string, unknown>>;
  /** Sort order of the list (default: lower(name), id). */
  readonly orderBy?: SQL[];
  readonly read: OrgPolicy;
  readonly write: OrgPolicy;
  /** Policy of DELETE; default `write`. */
  readonly remove?: OrgPolicy;
  /** Human description of a name clash, for 409. */
  readonly conflict: (body: CreateBody | PatchBody) => string;
}

/** Register list/get/create/patch/delete routes for `spec`. */
export function crudRoutes<T extends OrgTable, Row, CreateBody, PatchBody>(
  app: App,
  context: AppContext,
  spec: CrudSpec<T, Row, CreateBody, PatchBody>,
): void {
  const { db } = context;
  const { table, noun, tag } = spec;
  const itemUrl = `/:org/${spec.path}/:${spec.idParam}`;
  const ItemParams = orgParamsWith(spec.idParam);
  const ListParams = orgParamsWith();
  const one = Type.Object({ [noun]: spec.schema }, closed);
  const idOf = (params: unknown) => (params as Record<string, string>)[spec.idParam]!;
  const nameCol = (table as unknown as { name?: AnyPgColumn }).name;

  app.get(
    `/:org/${spec.path}`,
    {
      config: { policy: spec.read },
      schema: {
        tags: [tag],
        summary: `The portal's ${spec.path}`,
        params: ListParams,
        response: { 200: Type.Object({ items: Type.Array(spec.schema) }, closed), ...errorResponses },
      },
    },
    async (request) => {
      const { org } = requirePortal(request);
      const order =
        spec.orderBy ?? (nameCol ? [asc(sql`lower(${nameCol})`), asc(table.id)] : [asc(table.id)]);
      const rows = await db
        .select()
        .from(table as PgTable)
        .where(eq(table.orgId, org.id))
        .orderBy(...order);
      return { items: rows.map((r) => spec.view(r as T["$inferSelect"])) };
    },
  );

  app.get(
    itemUrl,
    {
      config: { policy: spec.read },
      schema: {
        tags: [tag],
        summary: `One ${noun}`,
        params: ItemParams,
        response: { 200: one, ...errorResponses, 404: ErrorSchema },
      },
    },
    async (request) => {
      const { org } = requirePortal(request);
      return { [noun]: spec.view(await findOrgRow(db, table, org.id, idOf(request.params), noun)) };
    },
  );

  app.post(
    `/:org/${spec.path}`,
    {
      config: { policy: spec.write },
      schema: {
        tags: [tag],
        summary: `Create a ${noun}`,
        params: ListParams,
        body: spec.create,
        response: { 201: one, ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const access = requirePortal(request);
      const body = request.body as CreateBody;
      const values = { ...(await spec.toInsert(body, access, db)), orgId: access.org.id };
      let row: T["$inferSelect"];
      try {
        const rows = (await db
          .insert(table)
          .values(values as T["$inferInsert"])
          .returning()) as T["$inferSelect"][];
        row = rows[0]!;
      } catch (err) {
        if (isUniqueViolation(err)) throw new ServerError("CONFLICT", spec.conflict(body));
        throw err;
      }
      const id = (row as { id: string }).id;
      await recordPortalAudit(db, request, {
        action: `${noun}.created`,
        target: id,
        details: body as Record<string, unknown>,
      });
      return reply.status(201).send({ [noun]: spec.view(row) });
    },
  );

  app.patch(
    itemUrl,
    {
      config: { policy: spec.write },
      schema: {
        tags: [tag],
        summary: `Change a ${noun}`,
        params: ItemParams,
        body: spec.patch,
        response: { 200: one, ...errorResponses, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request) => {
      const access = requirePortal(request);
      const id = idOf(request.params);
      await findOrgRow(db, table, access.org.id, id, noun);
      const body = request.body as PatchBody;
      const values = await spec.toUpdate(body, access, db);
      let row: T["$inferSelect"];
      if (Object.keys(values).length === 0) {
        row = await findOrgRow(db, table, access.org.id, id, noun);
      } else {
        try {
          const rows = (await db
            .update(table)
            .set(values as never)
            .where(and(eq(table.orgId, access.org.id), eq(table.id, id)))
            .returning()) as T["$inferSelect"][];
          row = rows[0]!;
        } catch (err) {
          if (isUniqueViolation(err)) throw new ServerError("CONFLICT", spec.conflict(body));
          throw err;
        }
      }
      await recordPortalAudit(db, request, {
        action: `${noun}.updated`,
        target: id,
        details: body as Record<string, unknown>,
      });
      return { [noun]: spec.view(row) };
    },
  );

  app.delete(
    itemUrl,
    {
      config: { policy: spec.remove ?? spec.write },
      schema: {
        tags: [tag],
        summary: `Delete a ${noun}`,
        params: ItemParams,
        response: { 204: Type.Null(), ...errorResponses, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const access = requirePortal(request);
      const id = idOf(request.params);
      await findOrgRow(db, table, access.org.id, id, noun);
      await db.delete(table).where(and(eq(table.orgId, access.org.id), eq(table.id, id)));
      await recordPortalAudit(db, request, { action: `${noun}.deleted`, target: id });
      return reply.status(204).send(null);
    },
  );
}
