import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import { runCaptured } from "./capture.js";

/** `meridian fits info|header|verify` on fixture files; expected cards from astropy (fixtures/fits). */
function expected(name: string): {
  hdus: { name: string; header: { key: string; value: unknown; comment: string }[] }[];
} {
  return JSON.parse(
    gunzipSync(readFileSync(repoFixture("fits", "expected", `${name}.json.gz`))).toString("utf8"),
  );
}

describe.runIf(haveSharedFixtures())("meridian fits info|header|verify", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "meridian-fits-file-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("info lists every HDU like fitsinfo", async () => {
    const r = await runCaptured(["fits", "info", sharedFixture("fits", "rosat.evt")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Filename: .*rosat\.evt\nNo\. +Name +Ver +Type +Cards +Dimensions +Format\n0 +PRIMARY +1 +PrimaryHDU/,
    );
    expect(r.stdout).toMatch(/2 +EVENTS +1 +BinTableHDU +106 +2928R x 7C +\[1I, 1I, 1I, 1I, 1D, 1I, 1I\]/);
    const j = await runCaptured(["fits", "info", sharedFixture("fits", "comp.fits"), "--json"]);
    const info = JSON.parse(j.stdout) as { hdus: { type: string; dimensions: number[]; format: string }[] };
    expect(info.hdus[1]).toMatchObject({
      type: "CompImageHDU",
      dimensions: [440, 300],
      format: "int16 (RICE_1)",
    });
  });

  test("header --keyword and --json give astropy's cards", async () => {
    const r = await runCaptured([
      "fits",
      "header",
      sharedFixture("fits", "ngc1316o.fit"),
      "--keyword",
      "CRVAL*",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as {
      hdus: { cards: { key: string; value: unknown; comment: string | null }[] }[];
    };
    const want = expected("ngc1316o.fit").hdus[0]?.header.filter((c) => c.key.startsWith("CRVAL"));
    expect(got.hdus[0]?.cards.map((c) => [c.key, c.value, c.comment ?? ""])).toEqual(
      want?.map((c) => [c.key, c.value, c.comment]),
    );
    const text = await runCaptured(["fits", "header", sharedFixture("fits", "gmos.fits"), "--hdu", "SCI"]);
    expect(text.stdout.split("\n")[0]).toBe(`# HDU 1 in ${sharedFixture("fits", "gmos.fits")}:`);
    expect(text.stdout).toMatch(/\nEND\n/);
  });

  test("verify reports checksums and fails on a damaged file", async () => {
    const good = await runCaptured([
      "fits",
      "verify",
      repoFixture("fits", "generated", "rice-int16.fits.fz"),
      "--json",
    ]);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({
      ok: true,
      hdus: [{ checksum: "ok" }, { checksum: "ok", datasum: "ok" }],
    });
    const bytes = readFileSync(repoFixture("fits", "generated", "rice-int16.fits.fz"));
    bytes[bytes.length - 3000] = (bytes[bytes.length - 3000] as number) ^ 0xff;
    const bad = join(dir, "damaged.fits");
    await writeFile(bad, bytes);
    const r = await runCaptured(["fits", "verify", bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED/);
    expect(r.stdout).toMatch(/CHECKSUM bad, DATASUM bad/);
    const truncated = join(dir, "truncated.fits");
    await writeFile(truncated, bytes.subarray(0, 6000));
    const t = await runCaptured(["fits", "verify", truncated, "--json"]);
    expect(t.code).toBe(1);
    expect(JSON.parse(t.stdout).errors[0]).toMatch(/TRUNCATED|byte/);
  });
});
