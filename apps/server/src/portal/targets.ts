/**
 * Targets (name, ICRS position, proper motion) and target lists of a portal, with CSV import:
 * a header row naming the columns `name`, `ra`, `dec` and optionally `pm_ra`, `pm_dec`, `epoch`,
 * `notes`; RA in degrees or sexagesimal hours (`12:34:56.7`, `12h34m56.7s`), Dec in degrees or
 * sexagesimal degrees. The import is all or nothing: one bad row refuses the whole file, naming
 * the row and the column.
 */
import { parseAngle, parseLatitude } from "@meridian/sky";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { type Static, Type } from "typebox";
import type { Database } from "../db/database.js";
import { targetListItems, targetLists, targets } from "../db/portal-schema.js";
import { ServerError } from "../errors.js";
import type { App } from "../http/app-type.js";
import type { AppContext } from "../http/context.js";
import { orgPolicy } from "../http/policy.js";
import { ErrorSchema, errorResponses } from "../http/schemas.js";
import { parseDelimited } from "../viewer/delimited-table.js";
import { recordPortalAudit } from "./audit.js";
import { crudRoutes, findOrgRow } from "./crud.js";
import { requirePortal } from "./org-access.js";
import {
  closed,
  DateTime,
  NameSchema,
  Nullable,
  OrgParams,
  orgParamsWith,
  TextSchema,
  Uuid,
} from "./schemas.js";

export const TargetSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    ra: Type.Number(),
    dec: Type.Number(),
    pmRa: Nullable(Type.Number()),
    pmDec: Nullable(Type.Number()),
    epoch: Nullable(Type.Number()),
    notes: Type.String(),
    createdAt: DateTime,
  },
  closed,
);
const TargetCreate = Type.Object(
  {
    name: NameSchema,
    ra: Type.Number({ minimum: 0, exclusiveMaximum: 360, description: "degrees, ICRS" }),
    dec: Type.Number({ minimum: -90, maximum: 90, description: "degrees, ICRS" }),
    pmRa: Type.Optional(Nullable(Type.Number({ description: "mas/yr, including cos(dec)" }))),
    pmDec: Type.Optional(Nullable(Type.Number({ description: "mas/yr" }))),
    epoch: Type.Optional(Nullable(Type.Number({ minimum: 1000, maximum: 3000, description: "Julian year" }))),
    notes: Type.Optional(TextSchema),
  },
  closed,
);
const TargetPatch = Type.Partial(TargetCreate, closed);

export function targetView(r: typeof targets.$inferSelect) {
  return {
    id: r.id,
    name: r.name,
    ra: r.ra,
    dec: r.dec,
    pmRa: r.pmRa,
    pmDec: r.pmDec,
    epoch: r.epoch,
    notes: r.notes,
    createdAt: r.createdAt.toISOString(),
  };
}

const TargetListSchema = Type.Object(
  { id: Uuid, name: Type.String(), description: Type.String(), createdAt: DateTime },
  closed,
);
const TargetListCreate = Type.Object({ name: NameSchema, description: Type.Optional(TextSchema) }, closed);
const targetListView = (r: typeof targetLists.$inferSelect) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  createdAt: r.createdAt.toISOString(),
});

type NewTarget = Static<typeof TargetCreate>;

const COLUMNS = ["name", "ra", "dec", "pm_ra", "pm_dec", "epoch", "notes"] as const;
/** Largest CSV accepted, bytes. */
export const TARGET_CSV_LIMIT = 4 * 1024 * 1024;

function csvError(row: number, column: string, message: string): ServerError {
  return new ServerError("BAD_REQUEST", `row ${row}, column ${column}: ${message}`);
}

/** Parse a target CSV; rows are numbered as in a spreadsheet (the header is row 1). */
export function parseTargetCsv(text: string): NewTarget[] {
  const { rows } = parseDelimited(text.replace(/^\uFEFF/, ""), ",", Number.POSITIVE_INFINITY, true);
  const header = rows[0]?.map((h) =>
    h
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, "_"),
  );
  if (header === undefined || header.every((h) => h === ""))
    throw new ServerError("BAD_REQUEST", "the CSV is empty; expected a header row with name, ra, dec");
  for (const [i, h] of header.entries()) {
    if (!(COLUMNS as readonly string[]).includes(h))
      throw csvError(1, `${i + 1}`, `unknown column "${h}" (expected ${COLUMNS.join(", ")})`);
  }
  for (const required of ["name", "ra", "dec"]) {
    if (!header.includes(required)) throw csvError(1, required, "missing; the header needs name, ra and dec");
  }
  const out: NewTarget[] = [];
  const seen = new Set<string>();
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r]!;
    if (cells.length === 1 && cells[0]!.trim() === "") continue;
    const rowNo = r + 1;
    if (cells.length !== header.length)
      throw csvError(rowNo, "-", `has ${cells.length} fields, the header has ${header.length}`);
    const get = (c: string) => {
      const i = header.indexOf(c);
      return i < 0 ? "" : cells[i]!.trim();
    };
    const name = get("name");
    if (name === "" || name.length > 200) throw csvError(rowNo, "name", "must be 1 to 200 characters");
    if (seen.has(name.toLowerCase())) throw csvError(rowNo, "name", `"${name}" appears twice`);
    seen.add(name.toLowerCase());
    let ra: number;
    let dec: number;
    try {
      ra = parseAngle(get("ra"), { unit: "deg", sexagesimal: "hour" });
    } catch (err) {
      throw csvError(rowNo, "ra", (err as Error).message);
    }
    if (!(ra >= 0 && ra < 360)) throw csvError(rowNo, "ra", `${ra} is not in [0, 360) degrees`);
    try {
      dec = parseLatitude(get("dec"));
    } catch (err) {
      throw csvError(rowNo, "dec", (err as Error).message);
    }
    const num = (c: string): number | null => {
      const t = get(c);
      if (t === "") return null;
      const v = Number(t);
      if (!Number.isFinite(v)) throw csvError(rowNo, c, `"${t}" is not a number`);
      return v;
    };
    out.push({
      name,
      ra,
      dec,
      pmRa: num("pm_ra"),
      pmDec: num("pm_dec"),
      epoch: num("epoch"),
      notes: get("notes"),
    });
  }
  return out;
}

/** Insert or update `rows` by name (any case); returns how many were created and updated, and their ids. */
async function importTargets(
  db: Database,
  orgId: string,
  rows: readonly NewTarget[],
): Promise<{ created: number; updated: number; ids: string[] }> {
  return db.transaction(async (tx) => {
    let created = 0;
    let updated = 0;
    const ids: string[] = [];
    for (const row of rows) {
      const existing = await tx
        .select({ id: targets.id })
        .from(targets)
        .where(and(eq(targets.orgId, orgId), sql`lower(${targets.name}) = ${row.name.toLowerCase()}`));
      if (existing[0] !== undefined) {
        await tx.update(targets).set(row).where(eq(targets.id, existing[0].id));
        ids.push(existing[0].id);
        updated++;
      } else {
        const [inserted] = await tx
          .insert(targets)
          .values({ ...row, orgId })
          .returning({ id: targets.id });
        ids.push(inserted!.id);
        created++;
      }
    }
    return { created, updated, ids };
  });
}

export function targetRoutes(app: App, context: AppContext): void {
  const { db } = context;
  app.addContentTypeParser(
    "text/csv",
    { parseAs: "string", bodyLimit: TARGET_CSV_LIMIT },
    (_req, body, done) => done(null, body),
  );

  crudRoutes(app, context, {
    table: targets,
    path: "targets",
    idParam: "targetId",
    noun: "target",
    tag: "targets",
    schema: TargetSchema,
    create: TargetCreate,
    patch: TargetPatch,
    view: targetView,
    read: orgPolicy("observer"),
    write: orgPolicy("member"),
    toInsert: async (body: Static<typeof TargetCreate>) => ({ ...body }),
    toUpdate: async (body: Static<typeof TargetPatch>) => ({ ...body }),
    conflict: (body) => `a target named "${body.name}" exists in this portal`,
  });

  app.post(
    "/:org/targets/import",
    {
      config: { policy: orgPolicy("member") },
      // Before the body schema: a JSON body gets a clear 415, not "body must be string".
      preValidation: async (request) => {
        if (!/^text\/csv\b/i.test(request.headers["content-type"] ?? ""))
          throw new ServerError(
            "UNSUPPORTED_MEDIA_TYPE",
            "send the CSV as the body with Content-Type: text/csv",
          );
      },
      schema: {
        tags: ["targets"],
        summary:
          "Import targets from CSV (text/csv body; name, ra, dec[, pm_ra, pm_dec, epoch, notes]); same names are updated",
        description:
          "All or nothing: a bad row refuses the whole file with its row number and column. `list` adds the targets to that target list (created when missing).",
        params: OrgParams,
        querystring: Type.Object({ list: Type.Optional(NameSchema) }, closed),
        body: Type.String({ maxLength: TARGET_CSV_LIMIT }),
        response: {
          200: Type.Object(
            {
              created: Type.Integer(),
              updated: Type.Integer(),
              listId: Nullable(Uuid),
              targetIds: Type.Array(Uuid),
            },
            closed,
          ),
          ...errorResponses,
          415: ErrorSchema,
        },
      },
    },
    async (request) => {
      const { org } = requirePortal(request);
      if (typeof request.body !== "string")
        throw new ServerError(
          "UNSUPPORTED_MEDIA_TYPE",
          "send the CSV as the body with Content-Type: text/csv",
        );
      const rows = parseTargetCsv(request.body);
      const result = await importTargets(db, org.id, rows);
      let listId: string | null = null;
      if (request.query.list !== undefined) {
        listId = await ensureList(db, org.id, request.query.list);
        await appendToList(db, listId, result.ids);
      }
      await recordPortalAudit(db, request, {
        action: "target.imported",
        target: listId,
        details: { created: result.created, updated: result.updated },
      });
      return { created: result.created, updated: result.updated, listId, targetIds: result.ids };
    },
  );

  crudRoutes(app, context, {
    table: targetLists,
    path: "target-lists",
    idParam: "listId",
    noun: "targetList",
    tag: "targets",
    schema: TargetListSchema,
    create: TargetListCreate,
    patch: Type.Partial(TargetListCreate, closed),
    view: targetListView,
    read: orgPolicy("observer"),
    write: orgPolicy("member"),
    toInsert: async (body: Static<typeof TargetListCreate>) => ({ ...body }),
    toUpdate: async (body: Partial<Static<typeof TargetListCreate>>) => ({ ...body }),
    conflict: (body) => `a target list named "${body.name}" exists in this portal`,
  });

  app.get(
    "/:org/target-lists/:listId/targets",
    {
      config: { policy: orgPolicy("observer") },
      schema: {
        tags: ["targets"],
        summary: "The targets of a list, in list order",
        params: orgParamsWith("listId"),
        response: {
          200: Type.Object({ items: Type.Array(TargetSchema) }, closed),
          ...errorResponses,
          404: ErrorSchema,
        },
      },
    },
    async (request) => {
      const { org } = requirePortal(request);
      const list = await findOrgRow(db, targetLists, org.id, request.params.listId, "target list");
      const rows = await db
        .select({ t: targets })
        .from(targetListItems)
        .innerJoin(targets, eq(targets.id, targetListItems.targetId))
        .where(eq(targetListItems.listId, list.id))
        .orderBy(asc(targetListItems.position), asc(targets.id));
      return { items: rows.map((r) => targetView(r.t)) };
    },
  );

  app.put(
    "/:org/target-lists/:listId/targets",
    {
      config: { policy: orgPolicy("member") },
      schema: {
        tags: ["targets"],
        summary: "Set the targets of a list (their order is the list order)",
        params: orgParamsWith("listId"),
        body: Type.Object({ targetIds: Type.Array(Uuid, { maxItems: 10_000, uniqueItems: true }) }, closed),
        response: {
          200: Type.Object({ count: Type.Integer() }, closed),
          ...errorResponses,
          404: ErrorSchema,
        },
      },
    },
    async (request) => {
      const { org } = requirePortal(request);
      const list = await findOrgRow(db, targetLists, org.id, request.params.listId, "target list");
      const ids = request.body.targetIds;
      if (ids.length > 0) {
        const found = await db
          .select({ id: targets.id })
          .from(targets)
          .where(and(eq(targets.orgId, org.id), inArray(targets.id, ids)));
        if (found.length !== ids.length) {
          const known = new Set(found.map((f) => f.id));
          throw new ServerError(
            "BAD_REQUEST",
            `no target with id "${ids.find((i) => !known.has(i))}" in this portal`,
          );
        }
      }
      await db.transaction(async (tx) => {
        await tx.delete(targetListItems).where(eq(targetListItems.listId, list.id));
        if (ids.length > 0)
          await tx
            .insert(targetListItems)
            .values(ids.map((targetId, position) => ({ listId: list.id, targetId, position })));
      });
      await recordPortalAudit(db, request, {
        action: "targetList.set",
        target: list.id,
        details: { count: ids.length },
      });
      return { count: ids.length };
    },
  );
}

async function ensureList(db: Database, orgId: string, name: string): Promise<string> {
  const found = await db
    .select({ id: targetLists.id })
    .from(targetLists)
    .where(and(eq(targetLists.orgId, orgId), sql`lower(${targetLists.name}) = ${name.toLowerCase()}`));
  if (found[0] !== undefined) return found[0].id;
  const [row] = await db
    .insert(targetLists)
    .values({ orgId, name })
    .onConflictDoNothing()
    .returning({ id: targetLists.id });
  if (row !== undefined) return row.id;
  return ensureList(db, orgId, name);
}

async function appendToList(db: Database, listId: string, ids: readonly string[]): Promise<void> {
  const [max] = await db
    .select({ p: sql<number>`coalesce(max(${targetListItems.position}), -1)::int` })
    .from(targetListItems)
    .where(eq(targetListItems.listId, listId));
  let position = (max?.p ?? -1) + 1;
  const values = ids.map((targetId) => ({ listId, targetId, position: position++ }));
  if (values.length > 0) await db.insert(targetListItems).values(values).onConflictDoNothing();
}
