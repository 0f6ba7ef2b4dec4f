/** The databases data-layer tests run on: in-memory PGlite always, PostgreSQL when a server answers. */
import { createTempDatabase, findPostgres, type TempDatabase } from "../../../test/postgres.js";
import { type OpenDatabase, openDatabase } from "../src/db/open-database.js";
import { openTestPglite } from "./pglite.js";

/** One database target. */
export interface DatabaseTarget {
  readonly name: "pglite" | "postgres";
  /** False when the target is unavailable here (tests are skipped, with a printed reason). */
  readonly available: boolean;
  open(): Promise<OpenDatabase>;
}

/** PGlite and PostgreSQL targets; the PostgreSQL one creates a temporary database and drops it on close. */
export async function databaseTargets(): Promise<DatabaseTarget[]> {
  const server = await findPostgres();
  return [
    { name: "pglite", available: true, open: openTestPglite },
    {
      name: "postgres",
      available: server !== null,
      async open() {
        const temp: TempDatabase = await createTempDatabase(server!);
        const opened = await openDatabase({ databaseUrl: temp.url, pgliteDir: null });
        return {
          ...opened,
          async close() {
            await opened.close();
            await temp.drop();
          },
        };
      },
    },
  ];
}
