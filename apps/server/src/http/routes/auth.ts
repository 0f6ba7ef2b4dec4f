/** Login, logout, "who am I" and password change. */
import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import { recordAudit } from "../../accounts/audit.js";
import { assertLoginAllowed, recordLoginAttempt } from "../../accounts/login-limiter.js";
import { dummyPasswordHash, verifyPassword } from "../../accounts/password.js";
import { createSession, csrfTokenFor, deleteOtherSessions, deleteSession } from "../../accounts/sessions.js";
import { changePassword, findUserRowByUsername, toUser } from "../../accounts/users.js";
import { ServerError } from "../../errors.js";
import type { App } from "../app-type.js";
import { requirePrincipal, SESSION_COOKIE } from "../authenticate.js";
import type { AppContext } from "../context.js";
import { PUBLIC, USER_READ, USER_WRITE } from "../policy.js";
import { closed, ErrorSchema, errorResponses, PasswordSchema, UserSchema } from "../schemas.js";

const SessionResponse = Type.Object(
  {
    user: UserSchema,
    csrfToken: Type.Union([Type.String(), Type.Null()], {
      description: "Send as x-csrf-token on cookie-authenticated writes; null for API-key callers.",
    }),
  },
  closed,
);

export function authRoutes(app: App, context: AppContext): void {
  const { config, db } = context;

  app.post(
    "/api/auth/login",
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ["auth"],
        summary: "Log in with username and password; sets the session cookie",
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 200 }), password: PasswordSchema },
          closed,
        ),
        response: { 200: SessionResponse, 400: ErrorSchema, 401: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const limits = { maxFailures: config.loginMaxFailures, windowMinutes: config.loginWindowMinutes };
      await assertLoginAllowed(db, request.ip, username, limits);
      const row = await findUserRowByUsername(db, username);
      // Hash even for unknown users so response time does not reveal which usernames exist.
      const ok = await verifyPassword(password, row?.passwordHash ?? (await dummyPasswordHash()));
      if (row === null || !ok) {
        await recordLoginAttempt(db, request.ip, username, false);
        await recordAudit(db, { action: "login.failed", target: username.slice(0, 200), ip: request.ip });
        throw new ServerError("INVALID_CREDENTIALS", "wrong username or password");
      }
      await recordLoginAttempt(db, request.ip, username, true);
      const session = await createSession(db, row.id, config.sessionTtlHours, {
        ip: request.ip,
        userAgent: request.headers["user-agent"] ?? null,
      });
      await recordAudit(db, { action: "login.succeeded", actorUserId: row.id, ip: request.ip });
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: "lax",
        secure: config.secureCookies,
        path: "/",
        expires: session.expiresAt,
      });
      return { user: toUser(row), csrfToken: csrfTokenFor(session.token) };
    },
  );

  app.post(
    "/api/auth/logout",
    {
      // Public so that logging out always works; SameSite=Lax keeps other sites from sending the cookie.
      config: { policy: PUBLIC },
      schema: {
        tags: ["auth"],
        summary: "Log out: end the session and clear the cookie",
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token !== undefined && token !== "") {
        await deleteSession(db, token);
        await recordAudit(db, { action: "logout", ip: request.ip });
      }
      clearSessionCookie(reply, config.secureCookies);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/auth/me",
    {
      config: { policy: USER_READ },
      schema: {
        tags: ["auth"],
        summary: "The current user and the CSRF token for cookie-authenticated writes",
        response: { 200: SessionResponse, ...errorResponses },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return {
        user: principal.user,
        csrfToken: principal.via === "session" ? csrfTokenFor(principal.sessionToken) : null,
      };
    },
  );

  app.patch(
    "/api/users/me/password",
    {
      config: { policy: USER_WRITE },
      schema: {
        tags: ["auth"],
        summary: "Change your password; ends your other sessions",
        body: Type.Object({ currentPassword: PasswordSchema, newPassword: PasswordSchema }, closed),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      await changePassword(db, principal.user.id, request.body.currentPassword, request.body.newPassword);
      await deleteOtherSessions(
        db,
        principal.user.id,
        principal.via === "session" ? principal.sessionId : null,
      );
      await recordAudit(db, {
        action: "user.password_changed",
        actorUserId: principal.user.id,
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );
}

function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}
