// FITS viewer cases of the viewer benchmark (called from bench.mjs with its running server):
//   - first pixels of a 4096×4096 float32 image: our image description + the tiles of a fitted view,
//     cold (pyramid built now) and warm, over HTTP; in Chromium too (navigation → every tile drawn,
//     bytes received from the CDP Network domain) when /usr/bin/chromium exists; peer: the whole
//     file over HTTP from python3 -m http.server (what a viewer that loads the whole image does);
//   - channel change in a 512×512×256 cube: the new plane's statistics + its tiles; peer: astropy
//     reading that plane (memmap) and computing its zscale locally (no HTTP);
//   - server memory (RSS) after serving the cube; peer: that Python process's peak RSS.
// The two images are written here (Gaussian sources on noise, TAN WCS), plane by plane.
import { execFile } from "node:child_process";
import { closeSync, existsSync, openSync, utimesSync, writeSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const PY_CHANNELS = `
import sys, time, resource
import numpy as np
from astropy.io import fits
from astropy.visualization import ZScaleInterval
path, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
times = []
with fits.open(path, memmap=True) as h:
    d = h[0].data
    for k in range(first, first + n):
        t = time.perf_counter()
        plane = np.array(d[k], dtype=np.float32)
        ZScaleInterval().get_limits(plane)
        times.append((time.perf_counter() - t) * 1000)
times.sort()
print(times[len(times) // 2], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
`;

function card(key, value) {
  let v;
  if (typeof value === "string") v = `'${value.padEnd(8)}'`.padEnd(20);
  else if (typeof value === "boolean") v = (value ? "T" : "F").padStart(20);
  else if (Number.isInteger(value)) v = String(value).padStart(20);
  else v = value.toExponential(12).toUpperCase().padStart(20);
  return `${key.padEnd(8)}= ${v}`.padEnd(80);
}

/** Write a float32 image or cube with `planeFn(z)` giving each plane; header per FITS 4.0. */
function writeImage(path, axes, planeFn) {
  const [nx, ny, nz = 1] = axes;
  const cards = [
    card("SIMPLE", true),
    card("BITPIX", -32),
    card("NAXIS", axes.length),
    ...axes.map((n, i) => card(`NAXIS${i + 1}`, n)),
    card("CTYPE1", "RA---TAN"),
    card("CTYPE2", "DEC--TAN"),
    card("CRPIX1", (nx + 1) / 2),
    card("CRPIX2", (ny + 1) / 2),
    card("CRVAL1", 150.1),
    card("CRVAL2", 2.2),
    card("CDELT1", -1 / 3600),
    card("CDELT2", 1 / 3600),
    card("RADESYS", "ICRS"),
    ...(nz > 1
      ? [card("CTYPE3", "FREQ"), card("CRPIX3", 1), card("CRVAL3", 1.4e9), card("CDELT3", 1e6)]
      : []),
    "END".padEnd(80),
  ].join("");
  const fd = openSync(path, "w");
  writeSync(fd, Buffer.from(cards.padEnd(Math.ceil(cards.length / 2880) * 2880), "latin1"));
  let written = 0;
  for (let z = 0; z < nz; z++) {
    const plane = planeFn(z);
    const buf = Buffer.alloc(nx * ny * 4);
    for (let i = 0; i < plane.length; i++) buf.writeFloatBE(plane[i], i * 4);
    writeSync(fd, buf);
    written += buf.length;
  }
  if (written % 2880 !== 0) writeSync(fd, Buffer.alloc(2880 - (written % 2880)));
  closeSync(fd);
}

function skyPlane(nx, ny, sources, z, random) {
  const data = new Float32Array(nx * ny);
  for (let i = 0; i < data.length; i += 2) {
    // Box–Muller noise, two values at a time.
    const r = Math.sqrt(-2 * Math.log(random() || 1e-12));
    const t = 2 * Math.PI * random();
    data[i] = 0.01 * r * Math.cos(t);
    if (i + 1 < data.length) data[i + 1] = 0.01 * r * Math.sin(t);
  }
  for (const s of sources) {
    const amp = s.amp * (1 + 0.5 * Math.sin(z / 20 + s.x));
    const rad = Math.ceil(4 * s.sigma);
    for (let y = Math.max(0, Math.floor(s.y - rad)); y < Math.min(ny, s.y + rad); y++)
      for (let x = Math.max(0, Math.floor(s.x - rad)); x < Math.min(nx, s.x + rad); x++)
        data[y * nx + x] += amp * Math.exp(-((x - s.x) ** 2 + (y - s.y) ** 2) / (2 * s.sigma ** 2));
  }
  return data;
}

function makeImages(dir, log) {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const sources = (nx, ny, n) =>
    Array.from({ length: n }, () => ({
      x: random() * nx,
      y: random() * ny,
      sigma: 1 + random() * 3,
      amp: 0.05 + random() ** 3 * 5,
    }));
  const deep = join(dir, "deep-4096.fits");
  const cube = join(dir, "cube-512x512x256.fits");
  if (!existsSync(deep)) {
    log("writing a 4096×4096 float32 image…");
    const s = sources(4096, 4096, 2000);
    writeImage(deep, [4096, 4096], () => skyPlane(4096, 4096, s, 0, random));
  }
  if (!existsSync(cube)) {
    log("writing a 512×512×256 float32 cube…");
    const s = sources(512, 512, 60);
    writeImage(cube, [512, 512, 256], (z) => skyPlane(512, 512, s, z, random));
  }
  return { deep: "images/deep-4096.fits", cube: "images/cube-512x512x256.fits" };
}

/** The level and tiles a fitted view of `info` in a w×h canvas needs (the browser's rule). */
function fittedTiles(info, w, h) {
  const zoom = Math.min(w / info.axes[0], h / info.axes[1]) * 0.98;
  const level = Math.max(0, Math.min(info.levels.length - 1, Math.ceil(Math.log2(1 / zoom) - 0.25)));
  const top = info.levels.length - 1;
  const out = [];
  for (const l of new Set([top, level])) {
    const L = info.levels[l];
    for (let r = 0; r < L.rows; r++)
      for (let c = 0; c < L.columns; c++) out.push({ level: l, col: c, row: r });
  }
  return out;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Our first view over HTTP: description, then the tiles (6 at a time, like the browser). */
async function firstView(url, headers, path, plane = "") {
  let bytes = 0;
  const t = performance.now();
  const q = new URLSearchParams({ path, ...(plane ? { plane } : {}) });
  const res = await fetch(`${url}/api/fits/image?${q}`, {
    headers: { ...headers, "accept-encoding": "gzip" },
  });
  const text = await res.text();
  bytes += Buffer.byteLength(text);
  const info = JSON.parse(text);
  const tiles = fittedTiles(info, 870, 610);
  const queue = [...tiles];
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const tq = new URLSearchParams({
        path,
        level: item.level,
        col: item.col,
        row: item.row,
        v: info.version,
        ...(plane ? { plane } : {}),
      });
      const r = await fetch(`${url}/api/fits/tile?${tq}`, {
        headers: { ...headers, "accept-encoding": "gzip" },
      });
      const len = Number(r.headers.get("content-length") ?? 0);
      const body = await r.arrayBuffer();
      bytes += len || body.byteLength;
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return { ms: performance.now() - t, bytes, tiles: tiles.length, info };
}

async function inChromium(url, token, path, ctx) {
  if (!existsSync("/usr/bin/chromium")) return null;
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch {
    return null;
  }
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--use-angle=swiftshader",
      "--enable-unsafe-swiftshader",
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(`${url}/?token=${token}`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    let bytes = 0;
    cdp.on("Network.loadingFinished", (e) => {
      bytes += e.encodedDataLength;
    });
    const t = performance.now();
    await page.goto(`${url}/view/${path}`);
    await page.waitForFunction(
      () => document.querySelector(".fits-canvas")?.getAttribute("data-ready") === "1",
      null,
      {
        timeout: 60_000,
        polling: 16,
      },
    );
    const first = { ms: performance.now() - t, bytes };
    ctx.log(`chromium: ${path} drawn in ${first.ms.toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KiB`);
    return { first, page, browser };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

export async function fitsRows(ctx, { tree, url, token, headers, pid, rssOf, startPythonServer }) {
  const rows = [];
  const paths = makeImages(join(tree, "images"), ctx.log);

  // 4096² image: cold (a new mtime, so the pyramid and statistics are built by this request),
  // then warm.
  const now = new Date();
  utimesSync(join(tree, paths.deep), now, now);
  const cold = await firstView(url, headers, paths.deep);
  const warm = await firstView(url, headers, paths.deep);
  const py = await startPythonServer(tree);
  let peerBytes = 0;
  const tp = performance.now();
  peerBytes = (await (await fetch(`${py.url}/${paths.deep}`)).arrayBuffer()).byteLength;
  const peerMs = performance.now() - tp;
  py.child.kill("SIGTERM");
  rows.push({
    case: "FITS 4096²: first view over HTTP, cold",
    ours: cold.ms,
    peer: peerMs,
    unit: "ms",
    notes: `goal ≤ 1000 ms; ${cold.tiles} tiles, ${(cold.bytes / 1024 ** 2).toFixed(2)} MiB (goal ≤ 2 MB) incl. building the pyramid; peer: whole file from python http.server, ${(peerBytes / 1024 ** 2).toFixed(1)} MiB`,
  });
  rows.push({
    case: "FITS 4096²: first view over HTTP, warm",
    ours: warm.ms,
    peer: peerMs,
    unit: "ms",
    notes: `${(warm.bytes / 1024 ** 2).toFixed(2)} MiB; pyramid from the cache`,
  });

  // The same in Chromium, from navigation to every tile drawn (pyramid already cached).
  let browser = null;
  try {
    const c = await inChromium(url, token, paths.deep, ctx);
    if (c !== null) {
      browser = c.browser;
      rows.push({
        case: "FITS 4096²: first pixels in Chromium (warm)",
        ours: c.first.ms,
        peer: peerMs,
        unit: "ms",
        notes: `${(c.first.bytes / 1024 ** 2).toFixed(2)} MiB received incl. page and scripts; goal ≤ 1000 ms, ≤ 2 MB`,
      });
      // Channel change in the browser: type a channel, wait until every tile of it is drawn.
      await c.page.goto(`${url}/view/${paths.cube}`);
      await c.page.waitForFunction(
        () => document.querySelector(".fits-canvas")?.getAttribute("data-ready") === "1",
      );
      const times = [];
      for (let k = 30; k < 40; k++) {
        const t = performance.now();
        await c.page.getByLabel("Channel number").fill(String(k + 1));
        await c.page.waitForFunction(
          (plane) => {
            const el = document.querySelector(".fits-canvas");
            return el?.getAttribute("data-ready") === "1" && el?.getAttribute("data-plane") === plane;
          },
          String(k),
          { polling: 4 },
        );
        times.push(performance.now() - t);
      }
      rows.push({
        case: "cube 512×512×256: channel change in Chromium",
        ours: median(times),
        peer: null,
        unit: "ms",
        notes: "median of 10 (statistics + 4 tiles + draw); goal ≤ 200 ms",
      });
    }
  } finally {
    await browser?.close();
  }

  // Channel change over HTTP: statistics (pyramid of that plane) and tiles of a fitted view.
  const channelTimes = [];
  let channelBytes = 0;
  for (let k = 100; k < 120; k++) {
    const r = await firstView(url, headers, paths.cube, String(k));
    channelTimes.push(r.ms);
    channelBytes = r.bytes;
  }
  const peer = (
    await run("/usr/bin/python3", ["-c", PY_CHANNELS, join(tree, paths.cube), "100", "20"])
  ).stdout
    .trim()
    .split(/\s+/)
    .map(Number);
  rows.push({
    case: "cube 512×512×256: channel change over HTTP",
    ours: median(channelTimes),
    peer: peer[0],
    unit: "ms",
    notes: `median of 20 new channels, ${(channelBytes / 1024 ** 2).toFixed(2)} MiB each; goal ≤ 200 ms; peer: astropy memmap plane + zscale (local)`,
  });
  rows.push({
    case: "server memory (RSS) after serving the cube",
    ours: rssOf(pid),
    peer: peer[1],
    unit: "MiB",
    notes: "peer: peak RSS of the astropy process reading 20 planes",
  });
  return rows;
}
