/**
 * Viewer security: every route needs the token (except the exchange, which needs it too, in
 * the query), nothing outside the tree is reachable (`..`, encoded forms, absolute paths,
 * symlinks out), and the viewer never writes inside the tree.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningViewer, startViewer } from "@meridian/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { haveSharedFixtures } from "../../../test/paths.js";
import { buildViewerApp } from "../src/viewer/build-viewer-app.js";
import { TreeRoot } from "../src/viewer/tree-root.js";
import { makeSmallScenario, rawGet, snapshotTree } from "./viewer-harness.js";

describe("viewer security", () => {
  let base: string;
  let tree: string;
  let viewer: RunningViewer;
  let auth: Record<string, string>;
  let before: string[];

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "meridian-viewer-sec-"));
    tree = join(base, "tree");
    makeSmallScenario(tree, ["--many", "20"]);
    await writeFile(join(base, "secret.txt"), "outside the tree\n");
    await mkdir(join(base, "tree-sibling"));
    await writeFile(join(base, "tree-sibling", "x.txt"), "sibling with a common prefix\n");
    await symlink(join(base, "secret.txt"), join(tree, "link-out.txt"));
    await symlink(base, join(tree, "dir-out"));
    await symlink("../tree-sibling", join(tree, "prefix-out"));
    await symlink("logs", join(tree, "logs-alias"));
    before = await snapshotTree(tree);
    viewer = await startViewer({ dir: tree, env: { MERIDIAN_VIEW_CACHE: join(base, "cache") } });
    auth = { authorization: `Bearer ${viewer.token}` };
  });

  afterAll(async () => {
    await viewer?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  test("binds to 127.0.0.1 and prints a URL with a 43-character token", () => {
    expect(viewer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(viewer.openUrl).toBe(`${viewer.url}/?token=${viewer.token}`);
    expect(viewer.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test("no token: 401 on every route", async () => {
    for (const path of [
      "/api/list",
      "/api/overview",
      "/api/info?path=README.md",
      "/api/text?path=pipeline.out",
      "/api/text/search?path=pipeline.out&q=x",
      "/api/events",
      "/files/README.md",
      "/assets/x.js",
      "/",
      "/view/README.md",
    ]) {
      const res = await rawGet(viewer.url, path);
      expect(res.status, path).toBe(401);
    }
    const wrong = await rawGet(viewer.url, "/api/list", { authorization: "Bearer nope" });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toEqual({
      code: "UNAUTHENTICATED",
      message: "send the viewer token (cookie, Bearer header or ?token=)",
    });
    expect((await rawGet(viewer.url, "/?token=wrong")).status).toBe(401);
  });

  test("token exchange sets an http-only cookie and redirects without the token; the cookie works", async () => {
    const res = await rawGet(viewer.url, `/view/README.md?x=1&token=${viewer.token}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/view/README.md?x=1");
    const setCookie = String(res.headers["set-cookie"]);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(";")[0]!;
    expect((await rawGet(viewer.url, "/api/list", { cookie })).status).toBe(200);
    expect((await rawGet(viewer.url, `/api/list?token=${viewer.token}`)).status).toBe(200);
  });

  test("traversal attempts are 404", async () => {
    const attempts = [
      "/files/../secret.txt",
      "/files/..%2fsecret.txt",
      "/files/%2e%2e/secret.txt",
      "/files/%2e%2e%2fsecret.txt",
      "/files/logs/..%2f..%2fsecret.txt",
      "/files/%252e%252e/secret.txt",
      "/files//etc/passwd",
      "/files/%2fetc%2fpasswd",
      "/files/link-out.txt",
      "/files/dir-out/secret.txt",
      "/files/prefix-out/x.txt",
      "/files/./README.md",
      "/files/logs/./../README.md",
      "/files/README.md%00.png",
      "/api/info?path=..",
      "/api/info?path=%2e%2e%2fsecret.txt",
      "/api/info?path=%2Fetc%2Fpasswd",
      "/api/info?path=dir-out",
      "/api/list?path=dir-out",
      "/api/list?path=..",
      "/api/text?path=link-out.txt",
      "/api/text?path=..%2Fsecret.txt&mode=head",
      "/api/text/search?path=dir-out/secret.txt&q=outside",
      "/api/table?path=..%2Ftree%2Ftables%2Fsources.csv",
    ];
    for (const path of attempts) {
      const res = await rawGet(viewer.url, path, auth);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain("outside the tree");
      expect(res.body, path).not.toContain("root:");
    }
    // Symlinks that stay inside are fine; those leaving it are not listed.
    expect((await rawGet(viewer.url, "/files/logs-alias/calibrate-000.log", auth)).status).toBe(200);
    const list = JSON.parse((await rawGet(viewer.url, "/api/list", auth)).body) as {
      entries: { name: string }[];
    };
    const names = list.entries.map((e) => e.name);
    expect(names).toContain("logs-alias");
    expect(names).not.toContain("link-out.txt");
    expect(names).not.toContain("dir-out");
    expect(names).not.toContain("prefix-out");
  });

  test("details refuse paths that leave the tree", async () => {
    const res = await fetch(`${viewer.url}/api/details`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({
        paths: ["../secret.txt", "dir-out/secret.txt", "logs/..", "/etc/passwd", "README.md"],
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { entries: { path: string }[] };
    expect(body.entries.map((e) => e.path)).toEqual(["README.md"]);
  });

  test("HTML reports: sandboxed, and their key opens only their own directory", async () => {
    const info = JSON.parse(
      (await rawGet(viewer.url, "/api/info?path=reports/report-00/index.html", auth)).body,
    ) as {
      reportUrl: string;
    };
    const page = await rawGet(viewer.url, info.reportUrl);
    expect(page.status).toBe(200);
    expect(String(page.headers["content-security-policy"])).toMatch(/^sandbox allow-scripts/);
    const key = info.reportUrl.split("/")[2]!;
    expect((await rawGet(viewer.url, `/report/${key}/reports/report-00/summary.png`)).status).toBe(200);
    expect((await rawGet(viewer.url, `/report/${key}/reports/report-01/summary.png`)).status).toBe(404);
    expect((await rawGet(viewer.url, `/report/${key}/README.md`)).status).toBe(404);
    expect((await rawGet(viewer.url, `/report/${key}/reports/report-00/../../README.md`)).status).toBe(404);
    // Files served directly may not run scripts.
    const direct = await rawGet(viewer.url, "/files/reports/report-00/index.html", auth);
    expect(String(direct.headers["content-security-policy"])).toMatch(/^sandbox;/);
    expect(direct.headers["x-content-type-options"]).toBe("nosniff");
  });

  test("the viewer never writes inside the tree", async () => {
    const paths = [
      "/api/overview",
      "/api/list?recursive=true",
      "/api/list?path=many",
      "/api/text?path=logs/calibrate-000.log",
      "/api/text?path=logs/calibrate-000.log&mode=head",
      "/api/text/search?path=logs/calibrate-000.log&q=ERROR",
      "/api/table?path=tables/sources.csv&sort=3&desc=true",
      "/api/info?path=caltables/bandpass.tbl",
      "/files/plots/plot-000.png",
      "/api/thumb?path=plots/plot-000.png&size=64",
      "/api/fits/preview?path=images/field-00.fits&size=64",
      "/api/fits/table?path=tables/sources.fits",
      ...(haveSharedFixtures() ? ["/api/casa?path=caltables/observatories.tbl"] : []),
      "/files/images/field-00.fits",
      "/",
    ];
    for (const path of paths) expect((await rawGet(viewer.url, path, auth)).status, path).toBe(200);
    expect(await snapshotTree(tree)).toEqual(before);
  });

  test("a route that declares no access is refused when it is registered", async () => {
    const app = await buildViewerApp({
      root: await TreeRoot.open(tree),
      token: "t",
      cacheDir: join(base, "cache"),
      webDir: base,
      streams: new Set(),
    });
    try {
      expect(() => app.get("/api/oops", async () => "open")).toThrow(/declares no config.viewerAccess/);
    } finally {
      await app.close();
    }
  });
});
