/** Find out who is calling: an API key in `Authorization: Bearer mk_…`, else the session cookie. */
import type {} from "@fastify/cookie";
import type { FastifyRequest } from "fastify";
import { type ApiKey, authenticateApiKey } from "../accounts/api-keys.js";
import { findSession } from "../accounts/sessions.js";
import type { User } from "../accounts/users.js";
import { ServerError } from "../errors.js";
import type { AppContext } from "./context.js";

/** Name of the session cookie. */
export const SESSION_COOKIE = "meridian_session";

/** An authenticated caller. */
export type Principal =
  | {
      readonly via: "session";
      readonly user: User;
      readonly sessionId: string;
      readonly sessionToken: string;
    }
  | { readonly via: "apiKey"; readonly user: User; readonly apiKey: ApiKey };

/**
 * The caller of `request`, or null when it presents no credentials.
 *
 * @throws ServerError UNAUTHENTICATED when it presents credentials that are not valid.
 */
export async function authenticate(request: FastifyRequest, context: AppContext): Promise<Principal | null> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match === null)
      throw new ServerError("UNAUTHENTICATED", 'the Authorization header must be "Bearer mk_…"');
    const found = await authenticateApiKey(context.db, match[1]!);
    if (found === null)
      throw new ServerError("UNAUTHENTICATED", "the API key is unknown, revoked or expired");
    return { via: "apiKey", user: found.user, apiKey: found.apiKey };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (token === undefined || token === "") return null;
  const session = await findSession(context.db, token);
  if (session === null) throw new ServerError("UNAUTHENTICATED", "the session has expired; log in again");
  return { via: "session", user: session.user, sessionId: session.sessionId, sessionToken: token };
}

/** The caller of a route whose policy required authentication. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (request.principal === null) throw new ServerError("UNAUTHENTICATED", "log in or send an API key");
  return request.principal;
}
