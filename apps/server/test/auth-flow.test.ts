/** Accounts and access over HTTP: login, session cookie, CSRF, API keys and scopes, admin routes, rate limits. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createUser } from "../src/accounts/users.js";
import { loadConfig } from "../src/config.js";
import { buildApp } from "../src/http/app.js";
import { buildHarness, type Harness, type LoggedIn, login, sessionCookie } from "./harness.js";

let h: Harness;
let admin: LoggedIn;
let vera: LoggedIn;
beforeAll(async () => {
  h = await buildHarness({ MERIDIAN_LOGIN_MAX_FAILURES: "3" });
  admin = await login(h, "root", "admin-password-1", { isAdmin: true });
  vera = await login(h, "vera", "rubin-observatory");
});
afterAll(() => h?.close());

function withSession(s: LoggedIn, csrf = true): Record<string, string> {
  return csrf ? { cookie: s.cookie, "x-csrf-token": s.csrfToken } : { cookie: s.cookie };
}

describe("sessions", () => {
  test("login sets an http-only SameSite cookie and returns the user and CSRF token", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "VERA", password: "rubin-observatory" },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === "meridian_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(cookie?.secure).toBeUndefined();
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(["csrfToken", "user"]);
    expect(body.user).toEqual({
      id: vera.userId,
      username: "vera",
      displayName: "vera",
      email: null,
      isAdmin: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const me = await h.app.inject({
      method: "GET",
      url: "/api/auth/me",
      headers: { cookie: sessionCookie(res) },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(body);
  });

  test("wrong password and unknown user look the same: 401 INVALID_CREDENTIALS", async () => {
    for (const payload of [
      { username: "vera", password: "wrong-password" },
      { username: "nobody-here", password: "wrong-password" },
    ]) {
      const res = await h.app.inject({ method: "POST", url: "/api/auth/login", payload });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: "INVALID_CREDENTIALS", message: "wrong username or password" });
    }
  });

  test("anonymous /me is 401 UNAUTHENTICATED; a forged cookie too", async () => {
    const anon = await h.app.inject({ method: "GET", url: "/api/auth/me" });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().code).toBe("UNAUTHENTICATED");
    const forged = await h.app.inject({
      method: "GET",
      url: "/api/auth/me",
      headers: { cookie: "meridian_session=forged" },
    });
    expect(forged.statusCode).toBe(401);
  });

  test("cookie-authenticated writes need the CSRF token; reads do not", async () => {
    const noToken = await h.app.inject({
      method: "POST",
      url: "/api/apikeys",
      headers: withSession(vera, false),
      payload: { name: "k", scopes: ["read"] },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe("CSRF_TOKEN_INVALID");
    const wrong = await h.app.inject({
      method: "POST",
      url: "/api/apikeys",
      headers: { cookie: vera.cookie, "x-csrf-token": admin.csrfToken },
      payload: { name: "k", scopes: ["read"] },
    });
    expect(wrong.statusCode).toBe(403);
    const read = await h.app.inject({
      method: "GET",
      url: "/api/apikeys",
      headers: withSession(vera, false),
    });
    expect(read.statusCode).toBe(200);
  });

  test("logout deletes the session and clears the cookie", async () => {
    const s = await login(h, "vera", "rubin-observatory", false);
    const out = await h.app.inject({ method: "POST", url: "/api/auth/logout", headers: withSession(s) });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe("");
    const cleared = out.cookies.find((c) => c.name === "meridian_session");
    expect(cleared?.value).toBe("");
    const me = await h.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(401);
    const anonymous = await h.app.inject({ method: "POST", url: "/api/auth/logout" });
    expect(anonymous.statusCode).toBe(204);
  });

  test("Secure cookies behind https", async () => {
    const config = loadConfig({
      MERIDIAN_HOME: h.config.home,
      MERIDIAN_PUBLIC_URL: "https://meridian.example.org",
      LOG_LEVEL: "silent",
    });
    const app = await buildApp({ config, database: h.database });
    try {
      const res = await app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { username: "vera", password: "rubin-observatory" },
      });
      expect(res.cookies.find((c) => c.name === "meridian_session")?.secure).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe("API keys over HTTP", () => {
  test("create (secret once), use without CSRF, list, revoke: stops working at once", async () => {
    const created = await h.app.inject({
      method: "POST",
      url: "/api/apikeys",
      headers: withSession(vera),
      payload: { name: "laptop", scopes: ["read", "write"] },
    });
    expect(created.statusCode).toBe(201);
    const { apiKey, secret } = created.json();
    expect(secret).toMatch(/^mk_/);
    expect(apiKey).toMatchObject({
      name: "laptop",
      scopes: ["read", "write"],
      prefix: secret.slice(0, 11),
      revokedAt: null,
    });

    const bearer = { authorization: `Bearer ${secret}` };
    const me = await h.app.inject({ method: "GET", url: "/api/auth/me", headers: bearer });
    expect(me.json()).toMatchObject({ user: { username: "vera" }, csrfToken: null });
    const list = await h.app.inject({ method: "GET", url: "/api/apikeys", headers: bearer });
    expect(list.statusCode).toBe(200);
    const items = list.json().items;
    expect(items.map((k: { id: string }) => k.id)).toContain(apiKey.id);
    expect(JSON.stringify(items)).not.toContain(secret);
    expect(items.find((k: { id: string }) => k.id === apiKey.id).lastUsedAt).not.toBeNull();

    // A key writes without a CSRF token, but cannot mint a stronger key.
    const child = await h.app.inject({
      method: "POST",
      url: "/api/apikeys",
      headers: bearer,
      payload: { name: "child", scopes: ["read"] },
    });
    expect(child.statusCode).toBe(201);
    const stronger = await h.app.inject({
      method: "POST",
      url: "/api/apikeys",
      headers: bearer,
      payload: { name: "stronger", scopes: ["admin"] },
    });
    expect(stronger.statusCode).toBe(403);

    // Another user cannot revoke it.
    const foreign = await h.app.inject({
      method: "DELETE",
      url: `/api/apikeys/${apiKey.id}`,
      headers: withSession(admin),
    });
    expect(foreign.statusCode).toBe(404);

    const revoked = await h.app.inject({
      method: "DELETE",
      url: `/api/apikeys/${apiKey.id}`,
      headers: withSession(vera),
    });
    expect(revoked.statusCode).toBe(204);
    const after = await h.app.inject({ method: "GET", url: "/api/apikeys", headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({
      code: "UNAUTHENTICATED",
      message: "the API key is unknown, revoked or expired",
    });
  });

  test("scopes: a read key cannot write; admin routes need an admin user and the admin scope", async () => {
    const make = async (who: LoggedIn, scopes: string[]) =>
      (
        await h.app.inject({
          method: "POST",
          url: "/api/apikeys",
          headers: withSession(who),
          payload: { name: "s", scopes },
        })
      ).json().secret as string;
    const readKey = await make(vera, ["read"]);
    const write = await h.app.inject({
      method: "POST",
      url: "/api/apikeys",
      headers: { authorization: `Bearer ${readKey}` },
      payload: { name: "x", scopes: ["read"] },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toEqual({ code: "FORBIDDEN", message: 'this API key lacks the "write" scope' });

    const adminRead = await make(admin, ["read"]);
    const adminFull = await make(admin, ["admin"]);
    const veraAdminScope = await make(vera, ["admin"]);
    const list = (secret: string) =>
      h.app.inject({ method: "GET", url: "/api/users", headers: { authorization: `Bearer ${secret}` } });
    expect((await list(adminRead)).statusCode).toBe(403);
    expect((await list(veraAdminScope)).statusCode).toBe(403);
    const ok = await list(adminFull);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().items.map((u: { username: string }) => u.username)).toEqual(["root", "vera"]);

    expect(
      (await h.app.inject({ method: "GET", url: "/api/auth/me", headers: { authorization: "Basic abc" } }))
        .statusCode,
    ).toBe(401);
    expect(
      (
        await h.app.inject({
          method: "GET",
          url: "/api/auth/me",
          headers: { authorization: "Bearer mk_nope" },
        })
      ).statusCode,
    ).toBe(401);
  });
});

describe("users (admin)", () => {
  test("admins create and list users; others get 403", async () => {
    const created = await h.app.inject({
      method: "POST",
      url: "/api/users",
      headers: withSession(admin),
      payload: {
        username: "annie",
        password: "jump-cannon-1",
        displayName: "Annie Jump Cannon",
        email: "annie@example.org",
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().user).toMatchObject({
      username: "annie",
      displayName: "Annie Jump Cannon",
      isAdmin: false,
    });
    const dup = await h.app.inject({
      method: "POST",
      url: "/api/users",
      headers: withSession(admin),
      payload: { username: "ANNIE", password: "jump-cannon-2" },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe("CONFLICT");
    const page = await h.app.inject({
      method: "GET",
      url: "/api/users?limit=2&offset=1",
      headers: withSession(admin),
    });
    expect(page.json()).toMatchObject({ total: 3, items: [{ username: "vera" }, { username: "annie" }] });
    const denied = await h.app.inject({ method: "GET", url: "/api/users", headers: withSession(vera) });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe("FORBIDDEN");
  });
});

describe("password change", () => {
  test("needs the current password; ends the other sessions", async () => {
    const a = await login(h, "maria", "mitchell-1847", {});
    const b = await login(h, "maria", "mitchell-1847", false);
    const wrong = await h.app.inject({
      method: "PATCH",
      url: "/api/users/me/password",
      headers: withSession(a),
      payload: { currentPassword: "nope-nope", newPassword: "comet-1847" },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe("INVALID_CREDENTIALS");
    const ok = await h.app.inject({
      method: "PATCH",
      url: "/api/users/me/password",
      headers: withSession(a),
      payload: { currentPassword: "mitchell-1847", newPassword: "comet-1847" },
    });
    expect(ok.statusCode).toBe(204);
    expect(
      (await h.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: a.cookie } })).statusCode,
    ).toBe(200);
    expect(
      (await h.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: b.cookie } })).statusCode,
    ).toBe(401);
    await login(h, "maria", "comet-1847", false);
  });
});

describe("login rate limiting", () => {
  test("after 3 failures for one username: 429 with Retry-After, even with the right password", async () => {
    await createUser(h.database.db, { username: "target", password: "target-password" });
    for (let i = 0; i < 3; i++) {
      const res = await h.app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { username: "target", password: `guess-${i}-xx` },
        remoteAddress: `192.0.2.${i}`,
      });
      expect(res.statusCode).toBe(401);
    }
    const limited = await h.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "target", password: "target-password" },
      remoteAddress: "192.0.2.99",
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe("RATE_LIMITED");
    expect(limited.headers["retry-after"]).toBe("900");
  });
});
