import { type Database, loadConfig, openDatabase } from "@meridian/server";

/** Open the configured database (DATABASE_URL or PGlite under MERIDIAN_HOME), run `fn`, close it. */
export async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const { db, close } = await openDatabase(config);
  try {
    return await fn(db);
  } finally {
    await close();
  }
}
