// Child process of bench/server/bench.mjs: starts one server on 127.0.0.1 with a free port and
// prints one JSON line `{ url, apiKey?, database }` on stdout when it is ready; SIGTERM stops it.
//
//   node bench/server/serve.mjs baseline   bare node:http answering the health JSON
//   node bench/server/serve.mjs meridian   the Meridian server from apps/server/dist (env: MERIDIAN_HOME,
//                                          DATABASE_URL, LOG_LEVEL …), with a user holding API keys
import http from "node:http";

const mode = process.argv[2];

if (mode === "baseline") {
  const started = Date.now();
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/api/health") {
      const body = JSON.stringify({
        status: "ok",
        version: "0.1.0",
        database: "none",
        uptimeSeconds: Math.floor((Date.now() - started) / 1000),
      });
      res.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
    } else {
      res.writeHead(404, { "content-type": "application/json; charset=utf-8" });
      res.end('{"code":"NOT_FOUND","message":"not found"}');
    }
  });
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, database: "none" })}\n`);
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
} else if (mode === "meridian") {
  const { loadConfig, startServer, createUser, createApiKey } = await import(
    "../../apps/server/dist/index.js"
  );
  const server = await startServer(loadConfig({ ...process.env, HOST: "127.0.0.1", PORT: "0" }));
  const db = server.database.db;
  const user = await createUser(db, { username: "bench", password: "bench-password-1234" });
  // Ten keys, so the list endpoint answers a realistic page, not an empty one.
  let secret = "";
  for (let i = 0; i < 10; i++) {
    const created = await createApiKey(db, user.id, { name: `bench key ${i}`, scopes: ["read"] });
    if (i === 0) secret = created.secret;
  }
  const health = await (await fetch(`${server.url}/api/health`)).json();
  process.stdout.write(`${JSON.stringify({ url: server.url, apiKey: secret, database: health.database })}\n`);
  // startServer handles SIGTERM: it finishes in-flight requests and closes the database.
} else {
  console.error("usage: node bench/server/serve.mjs baseline|meridian");
  process.exit(2);
}
