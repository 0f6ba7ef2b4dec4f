/** Shapes of the server's JSON API as the web app uses them (see the OpenAPI document at /api/docs). */

/** An account on this server. Times are ISO 8601 strings. */
export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  isAdmin: boolean;
  createdAt: string;
}

/** What an API key may do. */
export type ApiKeyScope = "read" | "upload" | "write" | "admin";

/** All scopes, in the order the UI lists them. */
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ["read", "upload", "write", "admin"];

/** An API key as listed; the secret itself is never listed. Times are ISO 8601 strings. */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** `GET /api/auth/me` and `POST /api/auth/login`. */
export interface SessionInfo {
  user: User;
  /** Send as `x-csrf-token` on writes; null when the caller authenticated with an API key. */
  csrfToken: string | null;
}

/** `POST /api/apikeys`: the only response that carries the secret. */
export interface CreatedApiKey {
  apiKey: ApiKey;
  secret: string;
}

/** `GET /api/health`. */
export interface Health {
  status: string;
  version: string;
  database: "pglite" | "postgres";
  uptimeSeconds: number;
}
