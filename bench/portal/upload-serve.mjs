// Child process of bench/portal/upload.mjs: the Meridian server from apps/server/dist on PGlite
// with local storage in MERIDIAN_HOME, an admin API key and a portal "bench"; prints one JSON line
// `{ url, apiKey, slug, pid }` when ready. SIGTERM stops it (startServer handles it).
const { loadConfig, startServer, createUser, createApiKey } = await import("../../apps/server/dist/index.js");
const server = await startServer(
  loadConfig({ ...process.env, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "warn" }),
);
const db = server.database.db;
const user = await createUser(db, { username: "bench", password: "bench-password-1234", isAdmin: true });
const { secret } = await createApiKey(db, user.id, { name: "bench", scopes: ["admin"] });
const res = await fetch(`${server.url}/api/portals`, {
  method: "POST",
  headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
  body: JSON.stringify({ slug: "bench", name: "Bench" }),
});
if (res.status !== 201) throw new Error(`creating the portal failed: ${res.status} ${await res.text()}`);
process.stdout.write(
  `${JSON.stringify({ url: server.url, apiKey: secret, slug: "bench", pid: process.pid })}\n`,
);
