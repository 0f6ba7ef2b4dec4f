import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoFixture } from "../../../test/paths.js";
import { FitsFile } from "./fits-file.js";
import { httpSource } from "./http-source.js";

/** A real HTTP server answering range requests for one fixture, counting bytes sent. */
describe("httpSource", () => {
  const bytes = readFileSync(repoFixture("fits/generated/float32-cube.fits"));
  let server: Server;
  let url = "";
  let sent = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? "");
      if (!m) {
        res.writeHead(200, { "content-length": bytes.length });
        res.end(bytes);
        return;
      }
      const start = Number(m[1]);
      const end = Math.min(Number(m[2]), bytes.length - 1);
      sent += end - start + 1;
      res.writeHead(206, {
        "content-range": `bytes ${start}-${end}/${bytes.length}`,
        "content-length": end - start + 1,
      });
      res.end(bytes.subarray(start, end + 1));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cube.fits`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test("reads one plane of a remote cube with range requests only", async () => {
    const fits = await FitsFile.open(await httpSource(url));
    const local = await FitsFile.open(new Uint8Array(bytes));
    sent = 0;
    const plane = await fits.readImage(0, { plane: 1 });
    expect(sent).toBe(9 * 8 * 4);
    expect(Array.from(plane.data as Float32Array)).toEqual(
      Array.from((await local.readImage(0, { plane: 1 })).data as Float32Array),
    );
  });

  test("a server without range support is a tagged error", async () => {
    await expect(
      httpSource(url.replace("127.0.0.1", "127.0.0.1"), { headers: {}, fetch: (u) => fetch(u) }),
    ).rejects.toMatchObject({
      code: "IO",
    });
  });
});
