/** What route handlers need besides the request: configuration and the database. */
import type { Config } from "../config.js";
import type { Database, DatabaseKind } from "../db/database.js";
import type { Storage } from "../storage/storage.js";

/** Shared state of one app instance. */
export interface AppContext {
  readonly config: Config;
  readonly db: Database;
  readonly dbKind: DatabaseKind;
  /** File storage, or null in tests that need none. */
  readonly storage: Storage | null;
  /** When the app was built, for uptime. */
  readonly startedAt: number;
}
