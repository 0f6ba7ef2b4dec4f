/**
 * `@meridian/sky` must run in browsers: bundle the main entry for the browser with Vite (Rolldown),
 * check the bundle has no Node built-ins, and run a conversion and a time-scale step in Chromium.
 */
import { chromium } from "playwright-core";
import { build, type Rolldown } from "vite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHROMIUM_ARGS, chromiumSkipReason, findChromium } from "../../../test/chromium.js";
import { repoRoot } from "../../../test/paths.js";

let code = "";
const chromiumPath = await findChromium();

beforeAll(async () => {
  const result = await build({
    configFile: false,
    logLevel: "silent",
    root: repoRoot,
    resolve: { conditions: ["source", "browser"] },
    build: {
      write: false,
      minify: false,
      lib: { entry: `${repoRoot}/packages/sky/src/index.ts`, formats: ["iife"], name: "MeridianSky" },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  for (const o of outputs) for (const chunk of o.output) if (chunk.type === "chunk") code += chunk.code;
}, 120_000);

describe("browser bundle of @meridian/sky", () => {
  test("has no Node built-in imports", () => {
    expect(code.length).toBeGreaterThan(10_000);
    expect(code).not.toMatch(
      /\brequire\(\s*["'](node:)?(fs|path|url|zlib|child_process|os|crypto|module)["']\)/,
    );
    expect(code).not.toMatch(/from\s*["']node:/);
    expect(code).not.toMatch(/import\(\s*["']node:/);
  });

  const executablePath = chromiumPath;
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  afterAll(async () => {
    await browser?.close();
  });
  test.skipIf(executablePath === null)(
    `runs a conversion in Chromium${executablePath === null ? ` (${chromiumSkipReason()})` : ""}`,
    async () => {
      browser = await chromium.launch({ executablePath: executablePath!, args: [...CHROMIUM_ARGS] });
      const page = await browser.newPage();
      await page.addScriptTag({ content: code });
      const out = await page.evaluate(() => {
        const sky = (globalThis as unknown as { MeridianSky: typeof import("./index.js") }).MeridianSky;
        const [l, b] = sky.convertPosition(
          sky.parseAngle("12h34m42.5s"),
          sky.parseAngle("+47d22m52s"),
          "fk5",
          "galactic",
        );
        const tt = sky.Time.parse("2024-03-01T00:00:00").tt().iso(3);
        return { l, b, tt };
      });
      // The same call in Node gives the same numbers (to the last bits: engines differ in libm).
      const sky = await import("./index.js");
      const [l, b] = sky.convertPosition(
        sky.parseAngle("12h34m42.5s"),
        sky.parseAngle("+47d22m52s"),
        "fk5",
        "galactic",
      );
      expect(out.l).toBeCloseTo(l, 11);
      expect(out.b).toBeCloseTo(b, 11);
      expect(out.tt).toBe("2024-03-01T00:01:09.184");
    },
    60_000,
  );
});
