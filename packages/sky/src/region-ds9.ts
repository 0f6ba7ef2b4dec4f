/**
 * DS9 region files (SAOImage DS9 region format 4.1) for sky coordinate systems: shapes `circle`,
 * `box`, `polygon`, `ellipse`; systems `fk5`/`j2000`, `fk4`/`b1950`, `icrs`, `galactic`, `ecliptic`;
 * positions in degrees or sexagesimal (RA in hours, latitude in degrees, as DS9 reads them); sizes
 * in degrees or with `"`, `'`, `d`, `r` units. Header, `global` lines, comments and properties after
 * `#` are accepted; a leading `-` (exclude) is kept in `exclude`. Image/physical coordinates are
 * not sky regions and are reported as unsupported.
 */

import { formatSexagesimal } from "./angle-format.js";
import { parseAngle } from "./angle-parse.js";
import { isSkyError, SkyError, skyParseError } from "./errors.js";
import { type Region, validateRegion } from "./region.js";

/** One shape read from a DS9 file. */
export interface Ds9Shape {
  region: Region;
  /** True for an excluded shape (`-circle(...)`). */
  exclude: boolean;
  /** 1-based line number in the file. */
  line: number;
}

const SYSTEMS: Record<string, string> = {
  fk5: "fk5",
  j2000: "fk5",
  fk4: "fk4",
  b1950: "fk4",
  icrs: "icrs",
  galactic: "galactic",
  ecliptic: "ecliptic",
};
const PIXEL_SYSTEMS = new Set(["image", "physical", "detector", "amplifier", "linear", "wcs", "wcsa"]);
const SHAPES = new Set(["circle", "box", "polygon", "ellipse"]);
const OTHER_SHAPES = new Set([
  "point",
  "line",
  "vector",
  "text",
  "ruler",
  "compass",
  "projection",
  "annulus",
  "panda",
  "epanda",
  "bpanda",
  "composite",
]);

/** Options of {@link parseDs9}. */
export interface ParseDs9Options {
  /**
   * What to do with shapes that are not sky regions here (point, line, text, annulus, …, or
   * image/physical coordinates): `"error"` (default) throws `UNSUPPORTED`; `"skip"` leaves them out
   * and lists them in `skipped` if given.
   */
  unsupported?: "error" | "skip";
  /** Receives `{ line, reason }` for each skipped shape when `unsupported` is `"skip"`. */
  skipped?: { line: number; reason: string }[];
}

/** Parse a DS9 region file. @throws SkyError `PARSE_REGION` (with line and character) or `UNSUPPORTED`. */
export function parseDs9(text: string, options: ParseDs9Options = {}): Ds9Shape[] {
  const shapes: Ds9Shape[] = [];
  let system: string | undefined;
  const lines = text.split(/\r?\n/);
  let offset = 0;
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!;
    const lineOffset = offset;
    offset += line.length + 1;
    // Commands on one line may be separated by ';'. Everything after '#' is a comment/properties.
    let pos = 0;
    while (pos < line.length) {
      const end = findCommandEnd(line, pos);
      const raw = line.slice(pos, end);
      const start = pos;
      pos = end + 1;
      const hash = raw.indexOf("#");
      const cmd = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
      if (hash >= 0) pos = line.length; // the rest of the line is a comment or properties
      if (cmd === "") continue;
      const lead = start + raw.indexOf(cmd);
      const where = (k: number) => lineOffset + lead + k;
      const fail = (k: number, detail: string) =>
        skyParseError(
          "PARSE_REGION",
          "DS9 region",
          text,
          where(k),
          `line ${ln + 1}, character ${lead + k + 1}: ${detail}`,
        );
      const lower = cmd.toLowerCase();
      if (lower.startsWith("global") || lower.startsWith("# region file")) continue;
      if (SYSTEMS[lower] !== undefined) {
        system = SYSTEMS[lower];
        continue;
      }
      if (PIXEL_SYSTEMS.has(lower)) {
        system = lower;
        continue;
      }
      let body = cmd;
      let exclude = false;
      let k0 = 0;
      if (body.startsWith("-") || body.startsWith("+")) {
        exclude = body.startsWith("-");
        body = body.slice(1);
        k0 = 1;
      }
      const m = /^([a-zA-Z]+)\s*\((.*)\)\s*$/.exec(body);
      const name = (m?.[1] ?? /^[a-zA-Z]*/.exec(body)![0]).toLowerCase();
      if (!m) {
        if (name === "") throw fail(k0, `unexpected ${JSON.stringify(body[0] ?? "")}`);
        if (SHAPES.has(name) || OTHER_SHAPES.has(name))
          throw fail(k0 + name.length, `"${name}" needs (arguments)`);
        throw fail(k0, `unknown command "${body.split(/\s/)[0]}"`);
      }
      const skip = (reason: string) => {
        options.skipped?.push({ line: ln + 1, reason });
      };
      if (OTHER_SHAPES.has(name) && options.unsupported === "skip") {
        skip(`DS9 shape "${name}" is not a supported sky region`);
        continue;
      }
      if (OTHER_SHAPES.has(name)) {
        throw new SkyError(
          "UNSUPPORTED",
          `DS9 shape "${name}" on line ${ln + 1} is not a supported sky region`,
          {
            input: text,
            position: where(k0),
          },
        );
      }
      if (!SHAPES.has(name)) throw fail(k0, `unknown shape "${m[1]}"`);
      if (system === undefined) throw fail(k0, `no coordinate system before "${name}" (add e.g. "fk5")`);
      if (PIXEL_SYSTEMS.has(system) && options.unsupported === "skip") {
        skip(`DS9 "${system}" coordinates are not sky coordinates`);
        continue;
      }
      if (PIXEL_SYSTEMS.has(system)) {
        throw new SkyError(
          "UNSUPPORTED",
          `DS9 "${system}" coordinates on line ${ln + 1} are not sky coordinates`,
          {
            input: text,
            position: where(k0),
          },
        );
      }
      const argsStart = k0 + body.indexOf("(") + 1;
      const args = splitArgs(m[2]!, argsStart);
      const lonLat = (a: ArgTok, b: ArgTok): [number, number] => {
        const sexRa = system === "fk5" || system === "fk4" || system === "icrs";
        try {
          const lon = parseAngle(a.text, { unit: "deg", sexagesimal: sexRa ? "hour" : "deg" });
          const lat = parseAngle(b.text, { unit: "deg", sexagesimal: "deg" });
          return [lon, lat];
        } catch (err) {
          const which = isSkyError(err) && err.input === b.text ? b : a;
          throw fail(which.start + (isSkyError(err) ? (err.position ?? 0) : 0), (err as Error).message);
        }
      };
      const size = (a: ArgTok): number => {
        const t = a.text.trim();
        const unit = t.slice(-1);
        try {
          if (unit === '"' || unit === "'" || unit === "d" || unit === "r") {
            const v = Number(t.slice(0, -1));
            if (t.length < 2 || !Number.isFinite(v)) throw new Error("not a number");
            return unit === '"' ? v / 3600 : unit === "'" ? v / 60 : unit === "r" ? (v * 180) / Math.PI : v;
          }
          if (unit === "p" || unit === "i")
            throw new SkyError("UNSUPPORTED", "pixel sizes are not sky sizes");
          const v = Number(t);
          if (t === "" || !Number.isFinite(v)) throw new Error("not a number");
          return v;
        } catch (err) {
          if (isSkyError(err, "UNSUPPORTED")) throw err;
          throw fail(a.start, `bad size "${t}"`);
        }
      };
      const need = (n: number) => {
        if (args.length !== n) throw fail(argsStart, `${name} needs ${n} arguments, found ${args.length}`);
      };
      const frameProp = { frame: system };
      let region: Region;
      if (name === "circle") {
        need(3);
        region = { kind: "circle", center: lonLat(args[0]!, args[1]!), radius: size(args[2]!), ...frameProp };
      } else if (name === "box") {
        if (args.length !== 4 && args.length !== 5)
          throw fail(argsStart, `box needs 4 or 5 arguments, found ${args.length}`);
        region = {
          kind: "box",
          center: lonLat(args[0]!, args[1]!),
          width: size(args[2]!),
          height: size(args[3]!),
          angle: args[4] ? angleArg(args[4], fail) : 0,
          ...frameProp,
        };
      } else if (name === "ellipse") {
        if (args.length !== 4 && args.length !== 5)
          throw fail(argsStart, `ellipse needs 4 or 5 arguments, found ${args.length}`);
        region = {
          kind: "ellipse",
          center: lonLat(args[0]!, args[1]!),
          a: size(args[2]!),
          b: size(args[3]!),
          angle: args[4] ? angleArg(args[4], fail) : 0,
          ...frameProp,
        };
      } else {
        if (args.length < 6 || args.length % 2 !== 0)
          throw fail(
            argsStart,
            `polygon needs pairs of coordinates (at least 3), found ${args.length} values`,
          );
        const vertices: [number, number][] = [];
        for (let k = 0; k < args.length; k += 2) vertices.push(lonLat(args[k]!, args[k + 1]!));
        region = { kind: "polygon", vertices, ...frameProp };
      }
      try {
        validateRegion(region);
      } catch (err) {
        throw fail(k0, (err as Error).message);
      }
      shapes.push({ region, exclude, line: ln + 1 });
    }
  }
  return shapes;
}

interface ArgTok {
  text: string;
  start: number;
}

function findCommandEnd(line: string, from: number): number {
  let depth = 0;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === "#" && depth === 0) return line.length;
    else if (c === ";" && depth === 0) return i;
  }
  return line.length;
}

function splitArgs(s: string, base: number): ArgTok[] {
  const out: ArgTok[] = [];
  const re = /[^,\s]+/g;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) out.push({ text: m[0], start: base + m.index });
  return out;
}

function angleArg(a: ArgTok, fail: (k: number, d: string) => SkyError): number {
  const v = Number(a.text);
  if (a.text === "" || !Number.isFinite(v)) throw fail(a.start, `bad angle "${a.text}"`);
  return v;
}

const DS9_SYSTEM: Record<string, string> = {
  icrs: "icrs",
  fk5: "fk5",
  fk4: "fk4",
  galactic: "galactic",
  ecliptic: "ecliptic",
};

/** Options of {@link formatDs9}. */
export interface FormatDs9Options {
  /** Write positions as sexagesimal (RA in hours for equatorial systems) instead of degrees. */
  sexagesimal?: boolean;
}

/**
 * Write regions as a DS9 region file. Positions in degrees (8 decimals) or sexagesimal; sizes in
 * arcseconds. Ranges are not DS9 shapes and raise `UNSUPPORTED`.
 */
export function formatDs9(regions: readonly (Region | Ds9Shape)[], options: FormatDs9Options = {}): string {
  const lines = ["# Region file format: DS9 version 4.1"];
  let current: string | undefined;
  for (const item of regions) {
    const region = "region" in item ? item.region : item;
    const exclude = "region" in item ? item.exclude : false;
    const sys = DS9_SYSTEM[(region.frame ?? "icrs").toLowerCase()];
    if (sys === undefined)
      throw new SkyError("UNSUPPORTED", `DS9 has no "${region.frame}" coordinate system`);
    if (sys !== current) {
      lines.push(sys);
      current = sys;
    }
    const eq = sys === "fk5" || sys === "fk4" || sys === "icrs";
    const pos = (p: readonly [number, number]) =>
      options.sexagesimal
        ? `${formatSexagesimal(eq ? ((p[0] % 360) + 360) % 360 : p[0], { unit: eq ? "hour" : "deg", precision: eq ? 4 : 3 })},${formatSexagesimal(p[1], { precision: 3, alwaysSign: true })}`
        : `${p[0].toFixed(8)},${p[1].toFixed(8)}`;
    const arcsec = (d: number) => `${Number((d * 3600).toFixed(6))}"`;
    let shape: string;
    switch (region.kind) {
      case "circle":
        shape = `circle(${pos(region.center)},${arcsec(region.radius)})`;
        break;
      case "box":
        shape = `box(${pos(region.center)},${arcsec(region.width)},${arcsec(region.height)},${region.angle ?? 0})`;
        break;
      case "ellipse":
        shape = `ellipse(${pos(region.center)},${arcsec(region.a)},${arcsec(region.b)},${region.angle ?? 0})`;
        break;
      case "polygon":
        if ((region.interior ?? "smaller") !== "smaller") {
          throw new SkyError("UNSUPPORTED", "DS9 polygons are the smaller region; this one is not");
        }
        shape = `polygon(${region.vertices.map(pos).join(",")})`;
        break;
      case "range":
        throw new SkyError("UNSUPPORTED", "a longitude/latitude range is not a DS9 shape");
    }
    lines.push(`${exclude ? "-" : ""}${shape}`);
  }
  return `${lines.join("\n")}\n`;
}
