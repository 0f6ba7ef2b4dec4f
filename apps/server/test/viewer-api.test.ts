/**
 * Viewer API on the scenario tree: listings (10,000-file directory), details, globs, recursive
 * view, live change events, tails that read a bounded number of bytes, follow mode while a child
 * process appends, search, CSV pages, FITS headers and previews, the overview and report layouts.
 */
import { spawn } from "node:child_process";
import { appendFile, mkdtemp, open, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningViewer, startViewer } from "@meridian/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { lineIndexSettled } from "../src/viewer/line-index.js";
import { makeSmallScenario } from "./viewer-harness.js";

interface Entry {
  path: string;
  name: string;
  kind: string;
}

/** Read server-sent events from `url` until `until` returns true for the collected events. */
async function readEvents(
  url: string,
  headers: Record<string, string>,
  until: (events: { event: string; data: unknown }[]) => boolean,
  timeoutMs = 10_000,
): Promise<{ event: string; data: unknown }[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: { event: string; data: unknown }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let sep = buffer.indexOf("\n\n");
      while (sep >= 0) {
        const block = buffer.slice(0, sep);
        buffer = buffer.slice(sep + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
        sep = buffer.indexOf("\n\n");
      }
      if (until(events)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

describe("viewer API", () => {
  let base: string;
  let tree: string;
  let viewer: RunningViewer;
  let headers: Record<string, string>;
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${viewer.url}${path}`, { headers });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "meridian-viewer-api-"));
    tree = join(base, "tree");
    makeSmallScenario(tree, ["--many", "10000"]);
    viewer = await startViewer({ dir: tree, env: { MERIDIAN_VIEW_CACHE: join(base, "cache") } });
    headers = { authorization: `Bearer ${viewer.token}` };
  });

  afterAll(async () => {
    await viewer?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  test("lists a 10,000-file directory: names, then details in batches", async () => {
    const list = await get<{ entries: Entry[]; truncated: boolean }>("/api/list?path=many");
    expect(list.entries).toHaveLength(10_000);
    expect(list.truncated).toBe(false);
    expect(list.entries[0]).toEqual({ path: "many/item-00000.txt", name: "item-00000.txt", kind: "text" });
    const paths = list.entries.map((e) => e.path);
    let detailed = 0;
    for (let i = 0; i < paths.length; i += 2500) {
      const res = await fetch(`${viewer.url}/api/details`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ paths: paths.slice(i, i + 2500) }),
      });
      const body = (await res.json()) as { entries: { path: string; size: number; mtimeMs: number }[] };
      detailed += body.entries.length;
      if (i === 0)
        expect(body.entries[0]).toMatchObject({ path: "many/item-00000.txt", size: 2, kind: "text" });
    }
    expect(detailed).toBe(10_000);
  });

  test("kinds: FITS by name and by magic, CASA table directories, notebooks, and the rest", async () => {
    await writeFile(join(base, "magic"), "");
    const root = await get<{ entries: Entry[] }>("/api/list");
    const kinds = Object.fromEntries(root.entries.map((e) => [e.name, e.kind]));
    expect(kinds).toMatchObject({
      "README.md": "markdown",
      "run.json": "json",
      "pipeline.out": "log",
      logs: "directory",
    });
    const details = (await (
      await fetch(`${viewer.url}/api/details`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({
          paths: ["caltables/bandpass.tbl", "images/field-01.fit", "notebooks/inspect.ipynb"],
        }),
      })
    ).json()) as { entries: Entry[] };
    expect(details.entries.map((e) => e.kind)).toEqual(["casa-table", "fits", "notebook"]);
  });

  test("recursive view with include and exclude globs", async () => {
    const q = new URLSearchParams({ recursive: "true", include: "*.png *.fits", exclude: "reports/**" });
    const list = await get<{ entries: Entry[] }>(`/api/list?${q}`);
    const kinds = new Set(list.entries.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(["fits", "image"]);
    expect(list.entries.some((e) => e.path.startsWith("reports/"))).toBe(false);
    expect(list.entries.filter((e) => e.path.startsWith("plots/"))).toHaveLength(8);
    const casa = await get<{ entries: Entry[] }>("/api/list?recursive=true&include=*.tbl");
    expect(casa.entries.filter((e) => e.name === "bandpass.tbl")).toEqual([
      { path: "caltables/bandpass.tbl", name: "bandpass.tbl", kind: "casa-table" },
    ]);
    expect(casa.entries.every((e) => e.kind === "casa-table")).toBe(true);
  });

  test("tail of a large file reads a bounded number of bytes", async () => {
    const big = join(tree, "logs", "big.log");
    const fh = await open(big, "w");
    const line = `${"x".repeat(99)}\n`;
    const block = line.repeat(100_000); // 10 MB
    for (let i = 0; i < 6; i++) await fh.write(block);
    await fh.write("the last line\n");
    await fh.close();
    const tail = await get<{ lines: string[]; bytesRead: number; firstLine: number | null; size: number }>(
      "/api/text?path=logs/big.log&lines=100",
    );
    expect(tail.size).toBe(60_000_014);
    expect(tail.lines).toHaveLength(100);
    expect(tail.lines.at(-1)).toBe("the last line");
    expect(tail.bytesRead).toBeLessThanOrEqual(2 * 64 * 1024);
    // Line numbers of a big file come once its line index is built (in the background).
    expect(tail.firstLine).toBeNull();
    await lineIndexSettled(join(tree, "logs", "big.log"));
    const numbered = await get<{ firstLine: number; bytesRead: number }>(
      "/api/text?path=logs/big.log&lines=100",
    );
    expect(numbered.firstLine).toBe(600_001 - 100 + 1);
    expect(numbered.bytesRead).toBeLessThanOrEqual(2 * 64 * 1024 + 4 * 1024 * 1024);
    const head = await get<{ lines: string[]; bytesRead: number; endOffset: number }>(
      "/api/text?path=logs/big.log&mode=head&lines=10",
    );
    expect(head.lines).toEqual(Array(10).fill("x".repeat(99)));
    expect(head.bytesRead).toBe(64 * 1024);
    expect(head.endOffset).toBe(1000);
  });

  test("tail of a small log has line numbers and keeps a last line without newline apart", async () => {
    await writeFile(join(tree, "logs", "partial.log"), "one\ntwo\nthree\nfour (still writing");
    const tail = await get<{ lines: string[]; firstLine: number; partial: string; endOffset: number }>(
      "/api/text?path=logs/partial.log&lines=2",
    );
    expect(tail).toMatchObject({
      lines: ["two", "three"],
      firstLine: 2,
      partial: "four (still writing",
      endOffset: 14,
    });
  });

  test("follow mode sees lines a child process appends", async () => {
    const log = join(tree, "logs", "live.log");
    await writeFile(log, "started\n");
    const url = `${viewer.url}/api/text/follow?path=logs/live.log&offset=8`;
    const child = spawn(
      process.execPath,
      [
        "-e",
        `const fs=require("fs");let i=0;const t=setInterval(()=>{fs.appendFileSync(${JSON.stringify(log)},"step "+(++i)+"\\n");if(i===5)clearInterval(t)},100)`,
      ],
      { stdio: "ignore" },
    );
    const started = Date.now();
    const events = await readEvents(url, headers, (evs) =>
      evs
        .flatMap((e) => (e.event === "lines" ? (e.data as { lines: string[] }).lines : []))
        .includes("step 5"),
    );
    child.kill();
    const lines = events.flatMap((e) => (e.event === "lines" ? (e.data as { lines: string[] }).lines : []));
    expect(lines).toEqual(["step 1", "step 2", "step 3", "step 4", "step 5"]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test("live updates: adding a file sends a change event", async () => {
    const pending = readEvents(`${viewer.url}/api/events?path=plots`, headers, (evs) =>
      evs.some((e) => e.event === "change"),
    );
    await new Promise((r) => setTimeout(r, 200));
    await appendFile(join(tree, "plots", "new-plot.png"), "x");
    const events = await pending;
    expect(events.find((e) => e.event === "change")?.data).toMatchObject({
      path: "plots",
      names: ["new-plot.png"],
    });
  });

  test("regex search counts all matches and returns the first ones with line numbers", async () => {
    const all = await get<{ matches: number; hits: { line: number; text: string }[]; complete: boolean }>(
      `/api/text/search?path=logs/calibrate-000.log&q=${encodeURIComponent("WARNING|ERROR")}&regex=true&max=3`,
    );
    expect(all.complete).toBe(true);
    expect(all.matches).toBeGreaterThan(3);
    expect(all.hits).toHaveLength(3);
    const text = await get<{ lines: string[] }>(
      `/api/text?path=logs/calibrate-000.log&mode=head&lines=${all.hits[2]!.line}`,
    );
    expect(text.lines.at(-1)).toBe(all.hits[2]!.text);
    const bad = await fetch(`${viewer.url}/api/text/search?path=README.md&q=(&regex=true`, { headers });
    expect(bad.status).toBe(400);
  });

  test("CSV pages, sorted on a column", async () => {
    const page = await get<{ columns: string[]; rows: string[][]; total: number; next: string }>(
      "/api/table?path=tables/sources.csv&rows=10&sort=3&desc=true",
    );
    expect(page.columns).toEqual(["id", "ra", "dec", "flux", "flag"]);
    expect(page.total).toBe(250);
    expect(page.rows).toHaveLength(10);
    const flux = page.rows.map((r) => Number(r[3]));
    expect(flux).toEqual([...flux].sort((a, b) => b - a));
    expect(page.next).toBe("row:10");
  });

  test("overview groups products by kind, with log tails and errors counted", async () => {
    const ov = await get<{
      fromLayout: boolean;
      sections: {
        title: string;
        display: string;
        total: number;
        items: {
          path: string;
          tail?: { errors: number; lines: string[] };
          reportUrl?: string;
          entries?: number;
        }[];
      }[];
    }>("/api/overview");
    expect(ov.fromLayout).toBe(false);
    const byTitle = Object.fromEntries(ov.sections.map((s) => [s.title, s]));
    expect(byTitle.Images?.display).toBe("gallery");
    expect(byTitle.FITS?.display).toBe("fits");
    expect(byTitle["HTML reports"]?.total).toBe(3);
    expect(byTitle["HTML reports"]?.items[0]?.reportUrl).toMatch(/^\/report\//);
    const logs = byTitle.Logs!;
    // Logs with errors come first; the crashed run's tail ends with its fatal line.
    expect(logs.items[0]?.tail?.errors).toBeGreaterThan(0);
    const crashed = logs.items.find((i) => i.path === "logs/catalogue-005.log");
    expect(crashed?.tail?.lines.at(-1)).toMatch(/FATAL/);
    expect(logs.items.indexOf(crashed!)).toBeLessThan(3);
    expect(byTitle["Large directories"]?.items[0]).toMatchObject({ path: "many", entries: 10_000 });
  });
});

describe("viewer FITS previews", () => {
  test("HDU list with headers; PNG previews cached outside the tree and invalidated by mtime", async () => {
    const base = await mkdtemp(join(tmpdir(), "meridian-viewer-fits-"));
    const tree = join(base, "tree");
    const cache = join(base, "cache");
    makeSmallScenario(tree, ["--many", "1"]);
    const viewer = await startViewer({ dir: tree, env: { MERIDIAN_VIEW_CACHE: cache } });
    const headers = { authorization: `Bearer ${viewer.token}` };
    const cached = async () =>
      (await readdir(join(cache, "view", "fits-previews"), { recursive: true })).filter((f) =>
        f.endsWith(".png"),
      );
    try {
      const info = (await (
        await fetch(`${viewer.url}/api/fits/info?path=tables/sources.fits`, { headers })
      ).json()) as {
        hdus: { index: number; kind: string; name: string; axes: number[]; cards: string[] }[];
      };
      expect(info.hdus.map((h) => [h.index, h.kind, h.name, h.axes])).toEqual([
        [0, "image", "PRIMARY", []],
        [1, "bintable", "CATALOG", [28, 200]],
      ]);
      expect(info.hdus[1]!.cards[0]).toBe(`XTENSION= 'BINTABLE'${" ".repeat(60)}`);
      const url = `${viewer.url}/api/fits/preview?path=images/field-00.fits&size=64&stretch=asinh&cmap=viridis`;
      const res = await fetch(url, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      const png = Buffer.from(await res.arrayBuffer());
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      // IHDR: 512x512 block-averaged by 8.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([64, 64]);
      expect(await cached()).toHaveLength(1);
      expect(Buffer.from(await (await fetch(url, { headers })).arrayBuffer())).toEqual(png);
      expect(await cached()).toHaveLength(1);
      const later = new Date(Date.now() + 10_000);
      await utimes(join(tree, "images", "field-00.fits"), later, later);
      expect((await fetch(url, { headers })).status).toBe(200);
      expect(await cached()).toHaveLength(2);
      const bad = await fetch(`${viewer.url}/api/fits/preview?path=images/field-00.fits&cmap=nope`, {
        headers,
      });
      expect(bad.status).toBe(400);
      const table = await fetch(`${viewer.url}/api/fits/preview?path=tables/sources.fits`, { headers });
      expect(table.status).toBe(404);
      const page = (await (
        await fetch(`${viewer.url}/api/fits/table?path=tables/sources.fits&rows=5&sort=2&desc=true`, {
          headers,
        })
      ).json()) as {
        hdu: number;
        columns: string[];
        rows: string[][];
        total: number;
        next: string;
        sortable: boolean;
      };
      expect(page).toMatchObject({
        hdu: 1,
        columns: ["RA [deg]", "DEC [deg]", "FLUX", "NAME"],
        total: 200,
        next: "row:5",
        sortable: true,
      });
      const flux = page.rows.map((r) => Number(r[2]));
      expect(flux).toEqual([...flux].sort((a, b) => b - a));
      expect(page.rows[0]![3]).toMatch(/^S\d{4}$/);
    } finally {
      await viewer.close();
      await rm(base, { recursive: true, force: true });
    }
  });
});

describe("viewer image thumbnails", () => {
  test("PNG plots are shrunk and cached outside the tree; other images are sent as they are", async () => {
    const base = await mkdtemp(join(tmpdir(), "meridian-viewer-thumbs-"));
    const tree = join(base, "tree");
    const cache = join(base, "cache");
    makeSmallScenario(tree, ["--many", "1"]);
    await writeFile(join(tree, "plots", "photo.jpg"), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    const viewer = await startViewer({ dir: tree, env: { MERIDIAN_VIEW_CACHE: cache } });
    const headers = { authorization: `Bearer ${viewer.token}` };
    try {
      const res = await fetch(`${viewer.url}/api/thumb?path=plots/plot-000.png&size=60`, { headers });
      expect(res.status).toBe(200);
      const png = Buffer.from(await res.arrayBuffer());
      // 240x160 shrunk by 4.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([60, 40]);
      const files = await readdir(join(cache, "view", "png-thumbnails"), { recursive: true });
      expect(files.filter((f) => f.endsWith(".png"))).toHaveLength(1);
      const jpg = await fetch(`${viewer.url}/api/thumb?path=plots/photo.jpg`, { headers });
      expect(jpg.headers.get("content-type")).toBe("image/jpeg");
      expect(Buffer.from(await jpg.arrayBuffer())).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    } finally {
      await viewer.close();
      await rm(base, { recursive: true, force: true });
    }
  });
});

describe("viewer report layout", () => {
  test("meridian-view.json sections replace the automatic overview", async () => {
    const base = await mkdtemp(join(tmpdir(), "meridian-viewer-layout-"));
    const tree = join(base, "tree");
    makeSmallScenario(tree, ["--many", "5", "--layout"]);
    const viewer = await startViewer({ dir: tree, env: { MERIDIAN_VIEW_CACHE: join(base, "cache") } });
    try {
      const res = await fetch(`${viewer.url}/api/overview`, {
        headers: { authorization: `Bearer ${viewer.token}` },
      });
      const ov = (await res.json()) as {
        title: string;
        fromLayout: boolean;
        sections: { title: string; display: string; total: number; cmap?: string; stretch?: string }[];
      };
      expect(ov.title).toBe("Run 42 report");
      expect(ov.fromLayout).toBe(true);
      expect(ov.sections.map((s) => [s.title, s.display, s.total])).toEqual([
        ["Failed stages", "log-tail", 1],
        ["Plots", "gallery", 8],
        ["Images", "fits", 2],
        ["Catalogue", "table", 1],
      ]);
      expect(ov.sections[2]).toMatchObject({ stretch: "asinh", cmap: "viridis" });
    } finally {
      await viewer.close();
      await rm(base, { recursive: true, force: true });
    }
  });

  test("meridian-view.yaml works the same; mistakes are reported, not fatal", async () => {
    const base = await mkdtemp(join(tmpdir(), "meridian-viewer-yaml-"));
    const tree = join(base, "tree");
    makeSmallScenario(tree, ["--many", "5"]);
    await writeFile(
      join(tree, "meridian-view.yaml"),
      "title: Run 42 (YAML)\nsections:\n  - title: Plots\n    glob: plots/*.png\n    display: gallery\n  - glob: x\n    display: carousel\n",
    );
    const viewer = await startViewer({ dir: tree, env: { MERIDIAN_VIEW_CACHE: join(base, "cache") } });
    try {
      const res = await fetch(`${viewer.url}/api/overview`, {
        headers: { authorization: `Bearer ${viewer.token}` },
      });
      const ov = (await res.json()) as {
        title: string;
        problems: string[];
        sections: { title: string; total: number }[];
      };
      expect(ov.title).toBe("Run 42 (YAML)");
      expect(ov.sections.map((s) => [s.title, s.total])).toEqual([["Plots", 8]]);
      expect(ov.problems).toEqual([
        "meridian-view.yaml: sections[1].display must be one of gallery, table, log-tail, fits, reports, list",
      ]);
    } finally {
      await viewer.close();
      await rm(base, { recursive: true, force: true });
    }
  });
});
