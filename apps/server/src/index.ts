/**
 * @meridian/server: the Meridian platform server (Fastify, Drizzle on PGlite or PostgreSQL).
 *
 * Start it, or use the account services directly (the CLI does):
 *
 * ```ts
 * import { loadConfig, startServer } from "@meridian/server";
 * const server = await startServer(loadConfig(process.env));
 * console.log(server.url, server.firstStart);
 * await server.close();
 * ```
 *
 * ```ts
 * import { createApiKey, createUser, loadConfig, openDatabase } from "@meridian/server";
 * const { db, close } = await openDatabase(loadConfig(process.env));
 * const user = await createUser(db, { username: "vera", password: "correct horse battery" });
 * const { secret } = await createApiKey(db, user.id, { name: "laptop", scopes: ["read"] });
 * await close();
 * ```
 */
export type { ApiKey, ApiKeyPrincipal, NewApiKey } from "./accounts/api-keys.js";
export { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from "./accounts/api-keys.js";
export type { FirstStart } from "./accounts/first-start.js";
export { ensureFirstStart, INITIAL_ADMIN_PASSWORD_FILE } from "./accounts/first-start.js";
export { hashPassword, verifyPassword } from "./accounts/password.js";
export type { Scope } from "./accounts/scopes.js";
export { SCOPES } from "./accounts/scopes.js";
export { deleteOtherSessions } from "./accounts/sessions.js";
export type { NewUser, User } from "./accounts/users.js";
export {
  changePassword,
  createUser,
  findUserById,
  findUserByUsername,
  listUsers,
  setPassword,
} from "./accounts/users.js";
export type { Config, Environment, LogLevel } from "./config.js";
export { LOG_LEVELS, loadConfig } from "./config.js";
export type { Database, DatabaseKind } from "./db/database.js";
export type { DatabaseOptions, OpenDatabase } from "./db/open-database.js";
export { MIGRATIONS_DIR, openDatabase } from "./db/open-database.js";
export type { ServerErrorCode } from "./errors.js";
export { ConfigError, isConfigError, isServerError, ServerError } from "./errors.js";
export type { AppDeps } from "./http/app.js";
export { buildApp } from "./http/app.js";
export type { App } from "./http/app-type.js";
export type { RegisteredRoute, RoutePolicy } from "./http/policy.js";
export { MissingPolicyError } from "./http/policy.js";
export { formatBytes } from "./portal/uploads/quota.js";
export type { RunningServer, StartOptions } from "./server.js";
export { startServer } from "./server.js";
export type { ByteRange, ByteSource, ObjectInfo, PutOptions, PutResult, Storage } from "./storage/index.js";
export { isStorageError, LocalStorage, StorageError } from "./storage/index.js";
export { SERVER_VERSION } from "./version.js";
export { type RunningViewer, startViewer, type ViewerOptions } from "./viewer/start-viewer.js";
