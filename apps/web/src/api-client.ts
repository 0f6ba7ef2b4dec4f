/**
 * Typed calls to the Meridian API. Cookie-authenticated writes carry the session's CSRF token in
 * `x-csrf-token`; every failure becomes an {@link ApiError} with the server's `{code, message}`.
 */
import { ApiError } from "./api-error.js";
import type { ApiKey, ApiKeyScope, CreatedApiKey, Health, SessionInfo, User } from "./api-types.js";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface RequestOptions {
  body?: unknown;
  /** Sent as `x-csrf-token` on writes. */
  csrfToken?: string | null;
  signal?: AbortSignal;
}

function isErrorBody(value: unknown): value is { code: string; message: string } {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === "string" && typeof v.message === "string";
}

/** Retry-After in seconds (RFC 9110 §10.2.3: delay-seconds or an HTTP date). */
function retryAfter(header: string | null): number | null {
  if (header === null) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - Date.now()) / 1000));
}

async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && options.csrfToken) headers["x-csrf-token"] = options.csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "same-origin",
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError("NETWORK_ERROR", `Could not reach the server for ${method} ${path}.`, 0, { cause });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch (cause) {
    throw new ApiError(
      "BAD_RESPONSE",
      `The server answered ${method} ${path} with HTTP ${response.status} and a body that is not JSON.`,
      response.status,
      { cause },
    );
  }
  if (!response.ok) {
    if (isErrorBody(parsed)) {
      throw new ApiError(parsed.code, parsed.message, response.status, {
        retryAfterSeconds: retryAfter(response.headers.get("retry-after")),
      });
    }
    throw new ApiError(
      "BAD_RESPONSE",
      `The server answered ${method} ${path} with HTTP ${response.status}.`,
      response.status,
    );
  }
  return parsed as T;
}

/** `GET /api/health` (public). */
export function getHealth(signal?: AbortSignal): Promise<Health> {
  return request("GET", "/api/health", { signal });
}

/** `GET /api/auth/me`: the signed-in user, or an ApiError with status 401. */
export function getSession(signal?: AbortSignal): Promise<SessionInfo> {
  return request("GET", "/api/auth/me", { signal });
}

/** `POST /api/auth/login`: sets the session cookie. */
export function login(username: string, password: string): Promise<SessionInfo> {
  return request("POST", "/api/auth/login", { body: { username, password } });
}

/** `POST /api/auth/logout`: ends the session and clears the cookie. */
export function logout(csrfToken: string | null): Promise<void> {
  return request("POST", "/api/auth/logout", { csrfToken });
}

/** `PATCH /api/users/me/password`. */
export function changePassword(
  csrfToken: string | null,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  return request("PATCH", "/api/users/me/password", { csrfToken, body: { currentPassword, newPassword } });
}

/** `GET /api/apikeys`: the caller's keys, revoked ones included. */
export async function listApiKeys(signal?: AbortSignal): Promise<ApiKey[]> {
  const { items } = await request<{ items: ApiKey[] }>("GET", "/api/apikeys", { signal });
  return items;
}

/** What a new API key is created with; `expiresAt` is an ISO 8601 time. */
export interface NewApiKey {
  name: string;
  scopes: ApiKeyScope[];
  expiresAt?: string;
}

/** `POST /api/apikeys`: the response holds the secret, which the server never shows again. */
export function createApiKey(csrfToken: string | null, key: NewApiKey): Promise<CreatedApiKey> {
  return request("POST", "/api/apikeys", { csrfToken, body: key });
}

/** `DELETE /api/apikeys/:id`: the key stops working at once. */
export function revokeApiKey(csrfToken: string | null, id: string): Promise<void> {
  return request("DELETE", `/api/apikeys/${encodeURIComponent(id)}`, { csrfToken });
}

/** One page of `GET /api/users` (administrators only). */
export interface UserPage {
  items: User[];
  total: number;
}

/** `GET /api/users?limit&offset`: all users, oldest first. */
export function listUsers(limit: number, offset: number, signal?: AbortSignal): Promise<UserPage> {
  return request("GET", `/api/users?limit=${limit}&offset=${offset}`, { signal });
}

/** What a new user is created with. */
export interface NewUser {
  username: string;
  password: string;
  displayName?: string;
  email?: string | null;
  isAdmin?: boolean;
}

/** `POST /api/users` (administrators only). */
export async function createUser(csrfToken: string | null, user: NewUser): Promise<User> {
  const created = await request<{ user: User }>("POST", "/api/users", { csrfToken, body: user });
  return created.user;
}
