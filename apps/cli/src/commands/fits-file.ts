import type { Card, FitsFile, HduInfo, HeaderValue } from "@meridian/fits";
import { compressedImageInfo, FitsError, Header, verifyFits } from "@meridian/fits";
import { openFitsFile } from "@meridian/fits/node";
import type { Command } from "commander";
import { printJson, printTable } from "../output.js";

/** A header value as JSON: big integers as strings, complex as {re, im}, undefined as null. */
function jsonValue(v: HeaderValue): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v === undefined) return null;
  return v;
}

function cardJson(c: Card): { key: string; value: unknown; comment: string | null; type: string } {
  return { key: c.key, value: jsonValue(c.value), comment: c.comment ?? null, type: c.type };
}

const KIND_NAME: Record<HduInfo["kind"], string> = {
  primary: "PrimaryHDU",
  image: "ImageHDU",
  bintable: "BinTableHDU",
  table: "TableHDU",
  "random-groups": "GroupsHDU",
  "compressed-image": "CompImageHDU",
  unknown: "NonstandardHDU",
};

const BITPIX_TYPE: Record<number, string> = {
  8: "uint8",
  16: "int16",
  32: "int32",
  64: "int64",
  "-32": "float32",
  "-64": "float64",
};

/** One row of `meridian fits info`, as astropy's fitsinfo lists HDUs. */
interface HduSummary {
  index: number;
  name: string;
  version: number;
  type: string;
  cards: number;
  /** FITS order (NAXIS1 first); for tables [rows, columns]. */
  dimensions: number[];
  format: string;
  headerOffset: number;
  dataOffset: number;
  dataBytes: number;
}

function summarise(hdu: HduInfo): HduSummary {
  let dimensions = [...hdu.axes];
  let format = "";
  const h = hdu.header;
  if (hdu.kind === "bintable" || hdu.kind === "table") {
    dimensions = [hdu.axes[1] ?? 0, h.getInteger("TFIELDS") ?? 0];
    const forms: string[] = [];
    for (let i = 1; i <= (h.getInteger("TFIELDS") ?? 0); i++)
      forms.push(h.getString(`TFORM${i}`)?.trim() ?? "?");
    format = `[${forms.join(", ")}]`;
  } else if (hdu.kind === "compressed-image") {
    const info = compressedImageInfo(hdu);
    dimensions = info.axes;
    format = `${BITPIX_TYPE[info.bitpix] ?? String(info.bitpix)} (${info.compression})`;
  } else if (hdu.kind === "random-groups") {
    dimensions = [hdu.gcount, ...hdu.axes.slice(1)];
    format = `${BITPIX_TYPE[hdu.bitpix]} (${hdu.pcount} parameters)`;
  } else if (hdu.axes.length > 0) {
    format = BITPIX_TYPE[hdu.bitpix] ?? String(hdu.bitpix);
    const scale = h.getNumber("BSCALE") ?? 1;
    const zero = h.getNumber("BZERO") ?? 0;
    if (scale !== 1 || zero !== 0) format += ` (rescaled: BSCALE=${scale}, BZERO=${zero})`;
  }
  return {
    index: hdu.index,
    name: hdu.name,
    version: hdu.version,
    type: KIND_NAME[hdu.kind],
    cards: h.length,
    dimensions,
    format,
    headerOffset: hdu.headerOffset,
    dataOffset: hdu.dataOffset,
    dataBytes: hdu.dataLength,
  };
}

function dims(s: HduSummary): string {
  if (s.type === "BinTableHDU" || s.type === "TableHDU") return `${s.dimensions[0]}R x ${s.dimensions[1]}C`;
  return s.dimensions.length === 0 ? "()" : `(${s.dimensions.join(", ")})`;
}

async function withFits<T>(path: string, run: (fits: FitsFile) => Promise<T>): Promise<T> {
  const fits = await openFitsFile(path);
  try {
    return await run(fits);
  } finally {
    await fits.close();
  }
}

/** Glob-style keyword match (`*` any run, `?` one character), case-insensitive, as fitsheader. */
function keywordMatcher(patterns: readonly string[]): (key: string) => boolean {
  const res = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .toUpperCase()
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
      ),
  );
  return (key) => res.some((r) => r.test(key.toUpperCase()));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Register `meridian fits info|header|verify` under the `fits` group. */
export function registerFitsFileCommands(fits: Command): void {
  fits
    .command("info")
    .description("list the HDUs of FITS files (like astropy's fitsinfo); dimensions NAXIS1 first")
    .argument("<files...>", "FITS files (.fits, .fits.gz, .fz)")
    .option("--json", "print JSON")
    .action(async (files: string[], opts: { json?: boolean }) => {
      const out: { file: string; hdus: HduSummary[] }[] = [];
      for (const file of files) {
        const hdus = await withFits(file, async (f) => f.hdus.map((h) => summarise(h)));
        out.push({ file, hdus });
      }
      if (opts.json) {
        printJson(files.length === 1 ? out[0] : out);
        return;
      }
      for (const { file, hdus } of out) {
        process.stdout.write(`Filename: ${file}\n`);
        printTable(
          ["No.", "Name", "Ver", "Type", "Cards", "Dimensions", "Format"],
          hdus.map((s) => [
            String(s.index),
            s.name,
            String(s.version),
            s.type,
            String(s.cards),
            dims(s),
            s.format,
          ]),
        );
      }
    });

  fits
    .command("header")
    .description("print header cards (like astropy's fitsheader)")
    .argument("<file>", "FITS file")
    .option("--hdu <n>", "HDU index or EXTNAME (repeatable; default all)", collect, [])
    .option("-k, --keyword <k>", "only these keywords (wildcards * and ?; repeatable)", collect, [])
    .option("--json", "print JSON")
    .action(async (file: string, opts: { hdu: string[]; keyword: string[]; json?: boolean }) => {
      await withFits(file, async (f) => {
        const chosen =
          opts.hdu.length === 0 ? f.hdus : opts.hdu.map((s) => f.hdu(/^\d+$/.test(s) ? Number(s) : s));
        const match = opts.keyword.length > 0 ? keywordMatcher(opts.keyword) : () => true;
        const blocks = chosen.map((h) => ({
          index: h.index,
          name: h.name,
          cards: h.header.cards.filter((c) => match(c.key)),
        }));
        if (opts.keyword.length > 0 && blocks.every((b) => b.cards.length === 0)) {
          throw new FitsError("NOT_FOUND", `no keyword matching ${opts.keyword.join(", ")} in ${file}`);
        }
        if (opts.json) {
          printJson({
            file,
            hdus: blocks.map((b) => ({ index: b.index, name: b.name, cards: b.cards.map(cardJson) })),
          });
          return;
        }
        for (const b of blocks) {
          process.stdout.write(`# HDU ${b.index} in ${file}:\n`);
          const images = new Header(b.cards).toCardImages();
          // fitsheader prints END only for whole headers.
          const lines = opts.keyword.length > 0 ? images.slice(0, -1) : images;
          for (const line of lines) process.stdout.write(`${line.trimEnd()}\n`);
          process.stdout.write("\n");
        }
      });
    });

  fits
    .command("verify")
    .description("check CHECKSUM/DATASUM and the structure of FITS files; exit 1 when a problem is found")
    .argument("<files...>", "FITS files")
    .option("--json", "print JSON")
    .action(async (files: string[], opts: { json?: boolean }) => {
      const results = [];
      for (const file of files) {
        try {
          const v = await withFits(file, (f) => verifyFits(f));
          results.push({ file, ...v });
        } catch (err) {
          if (!(err instanceof FitsError)) throw err;
          // A file that cannot even be opened fails verification with the reason and byte offset.
          results.push({ file, ok: false, hdus: [], errors: [`${err.message} [${err.code}]`] });
        }
      }
      if (opts.json) printJson(files.length === 1 ? results[0] : results);
      else {
        for (const r of results) {
          process.stdout.write(`${r.file}: ${r.ok ? "OK" : "FAILED"}\n`);
          for (const e of r.errors) process.stdout.write(`  error: ${e}\n`);
          for (const h of r.hdus) {
            process.stdout.write(
              `  HDU ${h.index} ${h.name || "-"}: CHECKSUM ${h.checksum}, DATASUM ${h.datasum}\n`,
            );
            for (const e of h.errors) process.stdout.write(`    error: ${e}\n`);
            for (const w of h.warnings) process.stdout.write(`    warning: ${w}\n`);
          }
        }
      }
      const failed = results.filter((r) => !r.ok).length;
      if (failed > 0)
        throw new VerificationFailed(`verification failed for ${failed} of ${results.length} file(s)`);
    });
}

/** Raised after the report is printed, so the command exits with status 1. */
class VerificationFailed extends Error {
  readonly code = "VERIFY_FAILED";
}
