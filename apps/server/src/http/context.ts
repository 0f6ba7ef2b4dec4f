/** What route handlers need besides the request: configuration and the database. */
import type { Config } from "../config.js";
import type { Database, DatabaseKind } from "../db/database.js";

/** Shared state of one app instance. */
export interface AppContext {
  readonly config: Config;
  readonly db: Database;
  readonly dbKind: DatabaseKind;
  /** When the app was built, for uptime. */
  readonly startedAt: number;
}
