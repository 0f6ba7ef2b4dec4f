/**
 * `meridian files search …` and `meridian files headers ID`: the portal's file search from the
 * command line, with the same parameters as `GET /api/portals/:org/files` (docs/portal.md).
 * Positions accept degrees or sexagesimal (`05:35:17.3 -05:23:28`); pages are followed with --all.
 */
import { parseAngle, parseLatitude } from "@meridian/sky";
import { type Command, InvalidArgumentError } from "commander";
import { printJson, printTable } from "../output.js";
import { callJson, portalConnection, requirePortal } from "./upload.js";

/** A file as the search returns it (the fields printed here). */
interface FoundFile {
  id: string;
  name: string;
  object: string | null;
  dateObs: string | null;
  filter: string | null;
  exptime: number | null;
  frameType: string | null;
  instrument: string | null;
  ra: number | null;
  dec: number | null;
  distanceDeg?: number | null;
}

interface SearchOptions {
  server?: string;
  portal?: string;
  object?: string;
  cone?: [number, number, number];
  from?: string;
  to?: string;
  filter?: string;
  exptime?: [number | undefined, number | undefined];
  instrument?: string;
  telescope?: string;
  frameType?: string;
  dataset?: string;
  nightLog?: string;
  header: string[];
  sort?: string;
  desc?: boolean;
  limit: number;
  cursor?: string;
  all?: boolean;
  json?: boolean;
}

/** `RA DEC RADIUS`: RA in degrees or sexagesimal hours, Dec in degrees, radius with a unit or degrees. */
export function parseCone(text: string): [number, number, number] {
  const parts = text.trim().split(/[\s,]+/);
  if (parts.length !== 3 && parts.length !== 7)
    throw new InvalidArgumentError(
      `"${text}" is not "RA DEC RADIUS" (e.g. "83.82 -5.39 0.5" or "05:35:17 -05:23:28 10arcmin")`,
    );
  // Sexagesimal with spaces: "05 35 17.3 -05 23 28 0.5".
  const [raText, decText, radiusText] =
    parts.length === 3 ? parts : [parts.slice(0, 3).join(" "), parts.slice(3, 6).join(" "), parts[6]!];
  try {
    const ra = ((parseAngle(raText!, { unit: "deg", sexagesimal: "hour" }) % 360) + 360) % 360;
    const dec = parseLatitude(decText!);
    const radius = parseAngle(radiusText!, { unit: "deg" });
    if (!(radius > 0)) throw new InvalidArgumentError(`cone radius must be > 0, got "${radiusText}"`);
    return [ra, dec, radius];
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** `MIN:MAX`, `MIN:` or `:MAX` seconds. */
export function parseRange(text: string): [number | undefined, number | undefined] {
  const m = /^\s*([0-9.eE+-]*)\s*:\s*([0-9.eE+-]*)\s*$/.exec(text);
  const num = (s: string) => {
    if (s === "") return undefined;
    const v = Number(s);
    if (!Number.isFinite(v)) throw new InvalidArgumentError(`"${s}" is not a number`);
    return v;
  };
  if (m === null) {
    const v = num(text.trim());
    return [v, v];
  }
  return [num(m[1]!), num(m[2]!)];
}

function positiveInt(text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1 || v > 1000)
    throw new InvalidArgumentError(`"${text}" is not a whole number from 1 to 1000`);
  return v;
}

/** Query string of a search. */
export function searchParams(o: SearchOptions): URLSearchParams {
  const q = new URLSearchParams();
  const set = (k: string, v: string | number | undefined) => {
    if (v !== undefined) q.set(k, String(v));
  };
  set("object", o.object);
  if (o.cone !== undefined) {
    set("ra", o.cone[0]);
    set("dec", o.cone[1]);
    set("radius", o.cone[2]);
  }
  set("from", o.from);
  set("to", o.to);
  set("filter", o.filter);
  set("exptimeMin", o.exptime?.[0]);
  set("exptimeMax", o.exptime?.[1]);
  set("instrument", o.instrument);
  set("telescope", o.telescope);
  set("frameType", o.frameType);
  set("dataset", o.dataset);
  set("nightLog", o.nightLog);
  for (const h of o.header) q.append("header", h);
  set("sort", o.sort);
  if (o.desc) q.set("order", "desc");
  q.set("limit", String(o.limit));
  return q;
}

const fmt = (v: number | null, digits: number) => (v === null ? "" : v.toFixed(digits));

export function registerFilesCommands(program: Command): void {
  const files = program.command("files").description("search a portal's data files (after `meridian login`)");
  files
    .command("search")
    .description(
      "find files by object, cone, date, filter, exposure, instrument, frame type or header keyword",
    )
    .option("--server <url>", "server (default: from `meridian login`)")
    .option("--portal <slug>", "portal (default: from `meridian login`)")
    .option("--object <name>", "OBJECT, any case; * matches any characters")
    .option(
      "--cone <ra dec radius>",
      'cone, e.g. "83.82 -5.39 0.5" or "05:35:17 -05:23:28 10arcmin" (radius in degrees unless a unit is given)',
      parseCone,
    )
    .option("--from <date>", "DATE-OBS at or after (ISO 8601, UTC)")
    .option("--to <date>", "DATE-OBS before (ISO 8601, UTC)")
    .option("--filter <name>", "FILTER, any case")
    .option("--exptime <min:max>", "exposure time range in seconds (30:, :10, 30:120 or 60)", parseRange)
    .option("--instrument <name>", "INSTRUME, any case")
    .option("--telescope <name>", "TELESCOP, any case")
    .option("--frame-type <list>", "comma-separated: light, bias, dark, flat, arc, other")
    .option("--dataset <id>", "only this dataset")
    .option("--night-log <id>", "only this night log")
    .option(
      "--header <condition>",
      "header keyword condition, repeatable: KEY=value, KEY!=value, KEY>n, >=, <, <=",
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option(
      "--sort <key>",
      "date (default), name, exptime, object, created, size, or distance (from the cone's centre)",
    )
    .option("--desc", "sort descending")
    .option("--limit <n>", "results per page (1-1000)", positiveInt, 100)
    .option("--cursor <cursor>", "continue from a previous page's next cursor")
    .option("--all", "follow pages until the end")
    .option("--json", "print the result as JSON ({items, nextCursor})")
    .action(async (options: SearchOptions) => {
      const c = await portalConnection(options);
      const slug = requirePortal(c);
      const items: FoundFile[] = [];
      let cursor = options.cursor ?? null;
      for (;;) {
        const q = searchParams(options);
        if (cursor !== null) q.set("cursor", cursor);
        const page = await callJson<{ items: FoundFile[]; nextCursor: string | null }>(
          c,
          "GET",
          `/api/portals/${encodeURIComponent(slug)}/files?${q}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
        if (!options.all || cursor === null) break;
      }
      if (options.json) {
        printJson({ items, nextCursor: cursor });
        return;
      }
      const cone = options.cone !== undefined;
      printTable(
        [
          "NAME",
          "OBJECT",
          "DATE-OBS",
          "FILTER",
          "EXPTIME",
          "TYPE",
          "RA",
          "DEC",
          ...(cone ? ["DIST°"] : []),
          "ID",
        ],
        items.map((f) => [
          f.name,
          f.object ?? "",
          f.dateObs ?? "",
          f.filter ?? "",
          fmt(f.exptime, 1),
          f.frameType ?? "",
          fmt(f.ra, 5),
          fmt(f.dec, 5),
          ...(cone ? [fmt(f.distanceDeg ?? null, 5)] : []),
          f.id,
        ]),
      );
      if (cursor !== null) process.stderr.write(`more results: add --cursor ${cursor} (or --all)\n`);
    });

  files
    .command("headers <id>")
    .description("print the header of every HDU of a file")
    .option("--server <url>", "server (default: from `meridian login`)")
    .option("--portal <slug>", "portal (default: from `meridian login`)")
    .option("--json", "print the result as JSON")
    .action(async (id: string, options: { server?: string; portal?: string; json?: boolean }) => {
      const c = await portalConnection(options);
      const slug = requirePortal(c);
      const body = await callJson<{
        name: string;
        headers: { index: number; type: string; cards: Record<string, unknown> }[];
      }>(c, "GET", `/api/portals/${encodeURIComponent(slug)}/files/${encodeURIComponent(id)}/headers`);
      if (options.json) {
        printJson(body);
        return;
      }
      for (const hdu of body.headers) {
        process.stdout.write(`# HDU ${hdu.index} (${hdu.type})\n`);
        for (const [k, v] of Object.entries(hdu.cards))
          process.stdout.write(`${k.padEnd(8)} = ${JSON.stringify(v)}\n`);
      }
    });
}
