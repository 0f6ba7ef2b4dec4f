/** The database handle every service function takes, whichever driver sits underneath. */
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema.js";

/** A Drizzle database over the server schema: PGlite (embedded) or node-postgres (a server). */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Which driver a {@link Database} runs on. */
export type DatabaseKind = "pglite" | "postgres";
