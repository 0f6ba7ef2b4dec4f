/**
 * `meridian packages list|create|download`: data packages of a portal. `create` takes file ids
 * and/or a search (the fields of `GET /files`), can freeze and share in the same call; `download`
 * streams the package's tar to a file with a progress bar.
 */
import { createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Command, InvalidArgumentError } from "commander";
import { printJson, printTable } from "../output.js";
import { apiError, authHeaders, callJson, ProgressBar, portalConnection, requirePortal } from "./upload.js";

interface PackageView {
  id: string;
  title: string;
  visibility: string;
  embargoUntil: string | null;
  frozenAt: string | null;
  manifestSha256: string | null;
}

const NUMERIC = new Set(["ra", "dec", "radius", "exptimeMin", "exptimeMax"]);
const SEARCH_KEYS = new Set([
  "object",
  "ra",
  "dec",
  "radius",
  "from",
  "to",
  "filter",
  "exptimeMin",
  "exptimeMax",
  "instrument",
  "telescope",
  "frameType",
  "dataset",
  "nightLog",
]);

/** `--search key=value` (repeatable) into a search object; `header=KEY>1` conditions accumulate. */
function collectSearch(text: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new InvalidArgumentError(`"${text}" is not key=value`);
  const key = text.slice(0, eq);
  const value = text.slice(eq + 1);
  if (key === "header")
    return { ...previous, header: [...((previous.header as string[] | undefined) ?? []), value] };
  if (!SEARCH_KEYS.has(key)) {
    throw new InvalidArgumentError(
      `unknown search field "${key}" (expected ${[...SEARCH_KEYS, "header"].join(", ")})`,
    );
  }
  if (NUMERIC.has(key)) {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n))
      throw new InvalidArgumentError(`${key} must be a number, got "${value}"`);
    return { ...previous, [key]: n };
  }
  return { ...previous, [key]: value };
}

function list(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Register `meridian packages`. */
export function registerPackageCommands(program: Command): void {
  const packages = program
    .command("packages")
    .description("data packages of a portal: list, create, download");

  packages
    .command("list")
    .description("packages you may see")
    .option("--portal <slug>", "portal (default: the one saved by `meridian login`)")
    .option("--server <url>", "server URL")
    .option("--json", "print JSON")
    .action(async (options: { portal?: string; server?: string; json?: boolean }) => {
      const c = await portalConnection(options);
      const { packages: rows } = await callJson<{ packages: PackageView[] }>(
        c,
        "GET",
        `/api/portals/${requirePortal(c)}/packages`,
      );
      if (options.json) printJson({ packages: rows });
      else
        printTable(
          ["id", "title", "visibility", "frozen", "embargo"],
          rows.map((p) => [p.id, p.title, p.visibility, p.frozenAt ?? "-", p.embargoUntil ?? "-"]),
        );
    });

  packages
    .command("create")
    .description("create a package from file ids and/or a search; optionally freeze and share it")
    .requiredOption("--title <title>", "title")
    .option("--files <ids>", "comma-separated file ids", list)
    .option(
      "--search <key=value>",
      "search field (repeatable): object, ra, dec, radius, from, to, filter, exptimeMin, exptimeMax, instrument, telescope, frameType, dataset (id), nightLog (id), header",
      collectSearch,
    )
    .option("--authors <names>", "comma-separated authors", list)
    .option("--licence <licence>", "licence (default CC-BY-4.0)")
    .option("--description <text>", "description")
    .option("--freeze", "freeze the manifest after adding the files")
    .option("--visibility <v>", "private, organisation or public (public needs --freeze)")
    .option("--embargo <iso-date>", "public only from this date-time on")
    .option("--portal <slug>", "portal (default: the one saved by `meridian login`)")
    .option("--server <url>", "server URL")
    .option("--json", "print JSON")
    .action(
      async (options: {
        title: string;
        files?: string[];
        search?: Record<string, unknown>;
        authors?: string[];
        licence?: string;
        description?: string;
        freeze?: boolean;
        visibility?: string;
        embargo?: string;
        portal?: string;
        server?: string;
        json?: boolean;
      }) => {
        if (
          options.visibility !== undefined &&
          !["private", "organisation", "public"].includes(options.visibility)
        ) {
          throw new InvalidArgumentError(
            `--visibility must be private, organisation or public, got "${options.visibility}"`,
          );
        }
        if (options.embargo !== undefined && Number.isNaN(Date.parse(options.embargo))) {
          throw new InvalidArgumentError(`--embargo: "${options.embargo}" is not an ISO 8601 date-time`);
        }
        const c = await portalConnection(options);
        const base = `/api/portals/${requirePortal(c)}/packages`;
        const created = await callJson<{ package: PackageView; files: number }>(c, "POST", base, {
          title: options.title,
          ...(options.files === undefined ? {} : { fileIds: options.files }),
          ...(options.search === undefined ? {} : { search: options.search }),
          ...(options.authors === undefined ? {} : { authors: options.authors }),
          ...(options.licence === undefined ? {} : { licence: options.licence }),
          ...(options.description === undefined ? {} : { description: options.description }),
        });
        let pkg = created.package;
        if (options.freeze)
          pkg = (await callJson<{ package: PackageView }>(c, "POST", `${base}/${pkg.id}/freeze`, {})).package;
        if (options.visibility !== undefined || options.embargo !== undefined) {
          pkg = (
            await callJson<{ package: PackageView }>(c, "PATCH", `${base}/${pkg.id}`, {
              ...(options.visibility === undefined ? {} : { visibility: options.visibility }),
              ...(options.embargo === undefined
                ? {}
                : { embargoUntil: new Date(options.embargo).toISOString() }),
            })
          ).package;
        }
        if (options.json) printJson({ package: pkg, files: created.files });
        else {
          process.stdout.write(
            `package ${pkg.id}: "${pkg.title}", ${created.files} files, ${pkg.visibility}\n`,
          );
          if (pkg.manifestSha256 !== null) process.stdout.write(`manifest sha256 ${pkg.manifestSha256}\n`);
        }
      },
    );

  packages
    .command("download")
    .description(
      "download a frozen package as one tar or zip (PACKAGE.json, MANIFEST, SHA256SUMS and the files)",
    )
    .argument("<id>", "package id")
    .option("-o, --output <path>", "file to write (default: the archive's name in the current folder)")
    .option("--zip", "a zip archive instead of tar")
    .option("--portal <slug>", "portal (default: the one saved by `meridian login`)")
    .option("--server <url>", "server URL")
    .option("--json", "print JSON")
    .action(
      async (
        id: string,
        options: { output?: string; zip?: boolean; portal?: string; server?: string; json?: boolean },
      ) => {
        const c = await portalConnection(options);
        const path = `/api/portals/${requirePortal(c)}/packages/${encodeURIComponent(id)}/download${options.zip ? "?format=zip" : ""}`;
        const res = await fetch(`${c.server}${path}`, { headers: authHeaders(c) });
        if (!res.ok || res.body === null) throw await apiError(res, `download package ${id}`);
        const name =
          /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `${id}.tar`;
        const target = options.output ?? join(process.cwd(), name);
        const total = Number(res.headers.get("content-length") ?? 0);
        const bar = new ProgressBar("download", total, options.json === true);
        const counted = Readable.from(
          (async function* () {
            for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
              bar.done += chunk.length;
              bar.update();
              yield chunk;
            }
          })(),
        );
        // Written under a temporary name: an interrupted download leaves no file that looks complete.
        const partial = `${target}.part`;
        await pipeline(counted, createWriteStream(partial));
        if (total > 0 && bar.done !== total)
          throw new Error(`download package ${id}: got ${bar.done} of ${total} bytes`);
        await rename(partial, target);
        bar.finish();
        const manifest = res.headers.get("meridian-manifest-sha256");
        if (options.json) printJson({ path: target, bytes: bar.done, manifestSha256: manifest });
        else process.stdout.write(`${target}: ${bar.done} bytes, manifest sha256 ${manifest}\n`);
      },
    );
}
