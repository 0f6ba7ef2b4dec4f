/** Bad input gets a 4xx with `{code, message}`: never a 500, never a stack trace. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildHarness, type Harness, type LoggedIn, login } from "./harness.js";

let h: Harness;
let admin: LoggedIn;
beforeAll(async () => {
  h = await buildHarness({ MERIDIAN_BODY_LIMIT: "2048" });
  admin = await login(h, "root-admin", "admin-password-1", { isAdmin: true });
});
afterAll(() => h?.close());

function expectErrorBody(body: string, code: string): void {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  expect(Object.keys(parsed).sort()).toEqual(["code", "message"]);
  expect(parsed.code).toBe(code);
  expect(typeof parsed.message).toBe("string");
  expect(body).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

describe("bad input", () => {
  test.each([
    ["malformed JSON", '{"username": ', "application/json", 400, "MALFORMED_JSON"],
    ["empty JSON body", "", "application/json", 400, "VALIDATION_FAILED"],
    ["prototype pollution", '{"__proto__": {"isAdmin": true}}', "application/json", 400, "MALFORMED_JSON"],
    ["JSON that is not an object", "[1,2]", "application/json", 400, "VALIDATION_FAILED"],
    ["wrong types", '{"username": 42, "password": true}', "application/json", 400, "VALIDATION_FAILED"],
    ["missing fields", '{"username": "x"}', "application/json", 400, "VALIDATION_FAILED"],
    [
      "unknown fields",
      '{"username": "x", "password": "y", "admin": true}',
      "application/json",
      400,
      "VALIDATION_FAILED",
    ],
    [
      "oversized body",
      JSON.stringify({ username: "x", password: "y".repeat(4096) }),
      "application/json",
      413,
      "BODY_TOO_LARGE",
    ],
    [
      "unsupported media type",
      "username=x&password=y",
      "application/x-www-form-urlencoded",
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    ],
  ])("login with %s → %i %s", async (_name, payload, contentType, status, code) => {
    const res = await h.app.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { "content-type": contentType },
      payload,
    });
    expect(res.statusCode).toBe(status);
    expectErrorBody(res.body, code);
  });

  test("wrong types are not coerced: a numeric password is refused, not turned into a string", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/api/apikeys",
      headers: { cookie: admin.cookie, "x-csrf-token": admin.csrfToken },
      payload: { name: 123, scopes: ["read"] },
    });
    expect(res.statusCode).toBe(400);
    expectErrorBody(res.body, "VALIDATION_FAILED");
  });

  test.each([
    ["unknown scope", { name: "k", scopes: ["root"] }],
    ["no scopes", { name: "k", scopes: [] }],
    ["bad date", { name: "k", scopes: ["read"], expiresAt: "tomorrow" }],
    ["past date", { name: "k", scopes: ["read"], expiresAt: "2001-01-01T00:00:00Z" }],
    ["unknown field", { name: "k", scopes: ["read"], owner: "someone-else" }],
  ])("create API key with %s → 400", async (_name, payload) => {
    const res = await h.app.inject({
      method: "POST",
      url: "/api/apikeys",
      headers: { cookie: admin.cookie, "x-csrf-token": admin.csrfToken },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expectErrorBody(res.body, "VALIDATION_FAILED");
  });

  test.each([
    ["/api/users?limit=abc", "VALIDATION_FAILED"],
    ["/api/users?limit=0", "VALIDATION_FAILED"],
    ["/api/users?offset=-1", "VALIDATION_FAILED"],
    ["/api/users?sort=name", "VALIDATION_FAILED"],
  ])("GET %s → 400", async (url, code) => {
    const res = await h.app.inject({ method: "GET", url, headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(400);
    expectErrorBody(res.body, code);
  });

  test("query numbers are converted: ?limit=1 works", async () => {
    const res = await h.app.inject({
      method: "GET",
      url: "/api/users?limit=1&offset=0",
      headers: { cookie: admin.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 1, items: [{ username: "root-admin" }] });
  });

  test("unknown API paths, bad URLs and unknown methods are 4xx JSON", async () => {
    for (const [method, url, status, code] of [
      ["GET", "/api/nothing-here", 404, "NOT_FOUND"],
      ["PUT", "/api/health", 404, "NOT_FOUND"],
      ["GET", "/%E0%A4%A", 400, "BAD_REQUEST"],
      ["DELETE", "/api/apikeys/%zz", 400, "BAD_REQUEST"],
    ] as const) {
      const res = await h.app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(status);
      expectErrorBody(res.body, code);
    }
  });

  test("seeded random garbage never gives a 5xx", async () => {
    let seed = 20261125;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pieces = [
      '{"',
      '"username"',
      ":",
      '"x"',
      ",",
      "}",
      "[",
      "]",
      "null",
      "1e999",
      '"\\u0000"',
      "{",
      '"__proto__"',
      "true",
    ];
    const urls = ["/api/auth/login", "/api/apikeys", "/api/users", "/api/users/me/password"];
    for (let i = 0; i < 60; i++) {
      const payload = Array.from(
        { length: Math.floor(random() * 12) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join("");
      const url = urls[i % urls.length]!;
      const res = await h.app.inject({
        method: url === "/api/users/me/password" ? "PATCH" : "POST",
        url,
        headers: {
          "content-type": "application/json",
          cookie: admin.cookie,
          "x-csrf-token": admin.csrfToken,
        },
        payload,
      });
      expect(res.statusCode, `${url} ${payload} → ${res.body}`).toBeLessThan(500);
      expect(res.statusCode, `${url} ${payload} → ${res.body}`).toBeGreaterThanOrEqual(400);
    }
  });
});

test("an empty body labelled JSON is no body: DELETE with content-type still works", async () => {
  const created = await h.app.inject({
    method: "POST",
    url: "/api/apikeys",
    headers: { cookie: admin.cookie, "x-csrf-token": admin.csrfToken },
    payload: { name: "to-revoke", scopes: ["read"] },
  });
  const res = await h.app.inject({
    method: "DELETE",
    url: `/api/apikeys/${created.json().apiKey.id}`,
    headers: { cookie: admin.cookie, "x-csrf-token": admin.csrfToken, "content-type": "application/json" },
    payload: "",
  });
  expect(res.statusCode).toBe(204);
});
