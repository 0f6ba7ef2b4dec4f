/**
 * DS9 region files (SAOImage DS9 region format 4.1) for drawing over an image: shapes circle, box,
 * polygon, ellipse, point, line and text, in image/physical pixels or in fk5 (j2000), fk4
 * (b1950), icrs, galactic and ecliptic coordinates. Sky positions may be degrees or sexagesimal
 * (RA in hours for equatorial systems); sizes take the units `"`, `'`, `d`, `r`, `i`, `p`.
 * Properties after `#` (color, text={…}, point=…) are read; DS9's commented-out shapes
 * (`# text(…)`) too. Shapes this viewer does not draw (annulus, vector, ruler, panda, …) are
 * listed in `skipped`. Malformed input throws {@link Ds9ParseError} with the line and column.
 */
import { parseAngle } from "@meridian/sky";

export type Ds9System = "image" | "physical" | "fk5" | "fk4" | "icrs" | "galactic" | "ecliptic";
export type Ds9ShapeName = "circle" | "box" | "polygon" | "ellipse" | "point" | "line" | "text";

/** A length: degrees on the sky or image pixels. */
export interface Ds9Length {
  readonly value: number;
  readonly unit: "deg" | "pixel";
}

export interface Ds9Region {
  readonly shape: Ds9ShapeName;
  readonly system: Ds9System;
  /** Vertices or positions as [x, y] (1-based image pixels) or [lon, lat] (degrees). */
  readonly points: [number, number][];
  /** circle: [radius]; box: [width, height]; ellipse: [semi-axis 1, semi-axis 2]. */
  readonly sizes: Ds9Length[];
  /** Rotation in degrees, counter-clockwise from the image x axis (box, ellipse). */
  readonly angle: number;
  readonly exclude: boolean;
  readonly color: string | null;
  readonly text: string | null;
  /** Marker of a point (circle, box, diamond, cross, x, arrow, boxcircle). */
  readonly marker: string | null;
  /** 1-based line in the file. */
  readonly line: number;
}

export interface Ds9File {
  readonly regions: Ds9Region[];
  readonly skipped: { line: number; reason: string }[];
}

/** A syntax error with its place (1-based line and column). */
export class Ds9ParseError extends Error {
  override readonly name = "Ds9ParseError";
  constructor(
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(`DS9 region file, line ${line}, column ${column}: ${detail}`);
  }
}

const SYSTEMS: Record<string, Ds9System> = {
  image: "image",
  physical: "physical",
  fk5: "fk5",
  j2000: "fk5",
  fk4: "fk4",
  b1950: "fk4",
  icrs: "icrs",
  galactic: "galactic",
  ecliptic: "ecliptic",
};
const OTHER_SYSTEMS = new Set(["linear", "amplifier", "detector", "wcs", "wcsa", "wcsb"]);
const SHAPES = new Set<Ds9ShapeName>(["circle", "box", "polygon", "ellipse", "point", "line", "text"]);
const SKIPPED_SHAPES = new Set([
  "annulus",
  "vector",
  "ruler",
  "compass",
  "projection",
  "panda",
  "epanda",
  "bpanda",
  "composite",
  "segment",
]);
const MARKERS = new Set(["circle", "box", "diamond", "cross", "x", "arrow", "boxcircle"]);

/** Split on `;` outside quotes and braces; returns [text, start column] pieces. */
function splitCommands(line: string): [string, number][] {
  const out: [string, number][] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== "") {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") {
      // A quote directly after a digit is a unit (arcsec/arcmin), not a string.
      if (!/[0-9.]/.test(line[i - 1] ?? "")) quote = c;
    } else if (c === "{") depth++;
    else if (c === "}") depth = Math.max(0, depth - 1);
    else if (c === "#" && depth === 0) {
      // The rest of the line is a comment or properties; keep it with its command.
      out.push([line.slice(start), start]);
      return out;
    } else if (c === ";" && depth === 0) {
      out.push([line.slice(start, i), start]);
      start = i + 1;
    }
  }
  out.push([line.slice(start), start]);
  return out;
}

/** Properties after `#`: key=value, value in {…}, "…", '…' or a bare word. */
function parseProperties(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  const re = /([A-Za-z_]+)\s*=\s*(\{([^}]*)\}|"([^"]*)"|'([^']*)'|(\S+))/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text))
    props[m[1]!.toLowerCase()] = m[3] ?? m[4] ?? m[5] ?? m[6] ?? "";
  return props;
}

interface Arg {
  readonly text: string;
  readonly column: number;
}

/** Arguments separated by commas and/or blanks; `{…}` and quoted strings are one argument. */
function splitArgs(text: string, column: number): Arg[] {
  const args: Arg[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "," || c === " " || c === "\t") {
      i++;
      continue;
    }
    const start = i;
    if (c === "{" || c === '"' || (c === "'" && !/[0-9.]/.test(text[i - 1] ?? ""))) {
      const close = c === "{" ? "}" : c;
      const end = text.indexOf(close, i + 1);
      if (end < 0) throw new Ds9ParseError(0, column + i, `unterminated ${c}…${close}`);
      args.push({ text: text.slice(i, end + 1), column: column + start });
      i = end + 1;
      continue;
    }
    while (i < text.length && text[i] !== "," && text[i] !== " " && text[i] !== "\t") i++;
    args.push({ text: text.slice(start, i), column: column + start });
  }
  return args;
}

function isSky(system: Ds9System): boolean {
  return system !== "image" && system !== "physical";
}

/** Parse a DS9 region file. */
export function parseDs9Regions(text: string): Ds9File {
  const regions: Ds9Region[] = [];
  const skipped: { line: number; reason: string }[] = [];
  let system: Ds9System = "physical";
  let globalColor: string | null = null;
  const lines = text.split(/\r\n|\n|\r/);
  for (let ln = 0; ln < lines.length; ln++) {
    const lineNo = ln + 1;
    const raw = lines[ln]!;
    if (raw.length > 100_000) throw new Ds9ParseError(lineNo, 1, "line longer than 100,000 characters");
    for (const [piece, col0] of splitCommands(raw)) {
      let cmd = piece;
      let props: Record<string, string> = {};
      const hash = cmd.indexOf("#");
      if (hash >= 0) {
        const after = cmd.slice(hash + 1).trim();
        const before = cmd.slice(0, hash).trim();
        if (before === "") {
          // A comment, the format line, or a commented-out shape such as `# text(…) text={…}`.
          const m = /^([a-zA-Z]+)\s*\(/.exec(after);
          if (
            m === null ||
            !(SHAPES.has(m[1]!.toLowerCase() as Ds9ShapeName) || SKIPPED_SHAPES.has(m[1]!.toLowerCase()))
          )
            continue;
          const close = after.indexOf(")");
          if (close < 0) throw new Ds9ParseError(lineNo, col0 + hash + 2, `"${m[1]}(" without ")"`);
          cmd = after.slice(0, close + 1);
          props = parseProperties(after.slice(close + 1));
        } else {
          cmd = cmd.slice(0, hash);
          props = parseProperties(piece.slice(hash + 1));
        }
      }
      const lead = cmd.length - cmd.trimStart().length;
      const col = col0 + lead + 1;
      cmd = cmd.trim();
      if (cmd === "") continue;
      const lower = cmd.toLowerCase();
      if (lower.startsWith("global")) {
        const g = parseProperties(cmd.slice(6));
        if (g.color !== undefined) globalColor = g.color;
        continue;
      }
      if (SYSTEMS[lower] !== undefined) {
        system = SYSTEMS[lower]!;
        continue;
      }
      if (OTHER_SYSTEMS.has(lower)) {
        skipped.push({ line: lineNo, reason: `coordinate system "${lower}" is not supported` });
        system = "physical";
        continue;
      }
      let exclude = false;
      let body = cmd;
      if (body.startsWith("-") || body.startsWith("+")) {
        exclude = body.startsWith("-");
        body = body.slice(1).trimStart();
      }
      const nameMatch = /^[a-zA-Z]+/.exec(body);
      if (nameMatch === null)
        throw new Ds9ParseError(
          lineNo,
          col,
          `expected a shape or coordinate system, found ${JSON.stringify(body.slice(0, 20))}`,
        );
      let name = nameMatch[0].toLowerCase();
      let rest = body.slice(nameMatch[0].length);
      let restCol = col + (cmd.length - body.length) + nameMatch[0].length;
      let marker: string | null = null;
      // Old point syntax: `circle point 100 100`, `x point(100,100)`.
      const pointMatch = /^\s+point\b/i.exec(rest);
      if (MARKERS.has(name) && pointMatch !== null) {
        marker = name;
        name = "point";
        rest = rest.slice(pointMatch[0].length);
        restCol += pointMatch[0].length;
      }
      if (SKIPPED_SHAPES.has(name)) {
        skipped.push({ line: lineNo, reason: `"${name}" regions are not drawn` });
        continue;
      }
      if (!SHAPES.has(name as Ds9ShapeName))
        throw new Ds9ParseError(lineNo, col, `unknown shape or command "${name}"`);
      const trimmed = rest.trimStart();
      restCol += rest.length - trimmed.length;
      let argText = trimmed;
      if (trimmed.startsWith("(")) {
        const close = trimmed.lastIndexOf(")");
        if (close < 0) throw new Ds9ParseError(lineNo, restCol, `"${name}(" without ")"`);
        if (trimmed.slice(close + 1).trim() !== "")
          throw new Ds9ParseError(lineNo, restCol + close + 1, `unexpected text after ")"`);
        argText = trimmed.slice(1, close);
        restCol += 1;
      } else if (trimmed !== "" && rest === trimmed) {
        throw new Ds9ParseError(lineNo, restCol, `expected "(" or a blank after "${name}"`);
      }
      let args: Arg[];
      try {
        args = splitArgs(argText, restCol);
      } catch (err) {
        if (err instanceof Ds9ParseError)
          throw new Ds9ParseError(lineNo, err.column, err.message.replace(/^.*: /, ""));
        throw err;
      }
      regions.push(
        shapeOf(name as Ds9ShapeName, args, {
          system,
          exclude,
          line: lineNo,
          column: col,
          props,
          color: props.color ?? globalColor,
          marker: marker ?? props.point?.split(/\s+/)[0] ?? null,
        }),
      );
    }
  }
  return { regions, skipped };
}

interface Context {
  system: Ds9System;
  exclude: boolean;
  line: number;
  column: number;
  props: Record<string, string>;
  color: string | null;
  marker: string | null;
}

function number(arg: Arg, line: number, what: string): number {
  const v = Number(arg.text);
  if (arg.text.trim() === "" || !Number.isFinite(v))
    throw new Ds9ParseError(
      line,
      arg.column,
      `${what} must be a number, found ${JSON.stringify(arg.text.slice(0, 30))}`,
    );
  return v;
}

/** A position coordinate: pixels, or degrees from degrees/sexagesimal text. */
function coordinate(arg: Arg, ctx: Context, isLon: boolean): number {
  if (!isSky(ctx.system)) return number(arg, ctx.line, "a pixel coordinate");
  const t = arg.text;
  const equatorial = ctx.system === "fk5" || ctx.system === "fk4" || ctx.system === "icrs";
  if (/^[+-]?[0-9.]+(e[+-]?[0-9]+)?$/i.test(t)) return number(arg, ctx.line, "a coordinate");
  if (/^[+-]?[0-9.]+d$/i.test(t)) return number({ ...arg, text: t.slice(0, -1) }, ctx.line, "a coordinate");
  try {
    const sexagesimal = isLon && equatorial ? "hour" : "deg";
    const v = parseAngle(t, { sexagesimal, unit: "deg" });
    if (!Number.isFinite(v)) throw new Error("not finite");
    return v;
  } catch {
    throw new Ds9ParseError(
      ctx.line,
      arg.column,
      `bad ${isLon ? "longitude" : "latitude"} ${JSON.stringify(t.slice(0, 30))}`,
    );
  }
}

/** A size with an optional unit suffix. */
function length(arg: Arg, ctx: Context): Ds9Length {
  const m = /^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?)(["'dri]|p)?$/i.exec(arg.text);
  if (m === null)
    throw new Ds9ParseError(ctx.line, arg.column, `bad size ${JSON.stringify(arg.text.slice(0, 30))}`);
  const v = Number(m[1]);
  const unit = m[2]?.toLowerCase();
  if (!Number.isFinite(v) || v < 0)
    throw new Ds9ParseError(ctx.line, arg.column, `size must be ≥ 0, found ${arg.text}`);
  switch (unit) {
    case '"':
      return { value: v / 3600, unit: "deg" };
    case "'":
      return { value: v / 60, unit: "deg" };
    case "d":
      return { value: v, unit: "deg" };
    case "r":
      return { value: (v * 180) / Math.PI, unit: "deg" };
    case "i":
    case "p":
      return { value: v, unit: "pixel" };
    default:
      return isSky(ctx.system) ? { value: v, unit: "deg" } : { value: v, unit: "pixel" };
  }
}

function textArg(arg: Arg | undefined): string | null {
  if (arg === undefined) return null;
  const t = arg.text;
  if (
    (t.startsWith("{") && t.endsWith("}")) ||
    (t.startsWith('"') && t.endsWith('"')) ||
    (t.startsWith("'") && t.endsWith("'"))
  )
    return t.slice(1, -1);
  return t;
}

function shapeOf(shape: Ds9ShapeName, args: Arg[], ctx: Context): Ds9Region {
  const need = (n: number, detail: string): void => {
    if (args.length < n)
      throw new Ds9ParseError(
        ctx.line,
        ctx.column,
        `${shape} needs ${detail}, found ${args.length} argument${args.length === 1 ? "" : "s"}`,
      );
  };
  const point = (i: number): [number, number] => [
    coordinate(args[i]!, ctx, true),
    coordinate(args[i + 1]!, ctx, false),
  ];
  const base = {
    shape,
    system: ctx.system,
    exclude: ctx.exclude,
    color: ctx.color,
    text: ctx.props.text ?? null,
    marker: null as string | null,
    line: ctx.line,
    angle: 0,
    sizes: [] as Ds9Length[],
  };
  switch (shape) {
    case "circle":
      need(3, "x, y and a radius");
      return { ...base, points: [point(0)], sizes: [length(args[2]!, ctx)] };
    case "ellipse":
      need(4, "x, y and two radii");
      return {
        ...base,
        points: [point(0)],
        sizes: [length(args[2]!, ctx), length(args[3]!, ctx)],
        angle: args[4] === undefined ? 0 : number(args[4], ctx.line, "an angle"),
      };
    case "box":
      need(4, "x, y, width and height");
      return {
        ...base,
        points: [point(0)],
        sizes: [length(args[2]!, ctx), length(args[3]!, ctx)],
        angle: args[4] === undefined ? 0 : number(args[4], ctx.line, "an angle"),
      };
    case "polygon": {
      need(6, "at least three vertices");
      if (args.length % 2 !== 0)
        throw new Ds9ParseError(
          ctx.line,
          args[args.length - 1]!.column,
          "polygon needs an even number of coordinates",
        );
      const points: [number, number][] = [];
      for (let i = 0; i < args.length; i += 2) points.push(point(i));
      return { ...base, points };
    }
    case "point":
      need(2, "x and y");
      return {
        ...base,
        points: [point(0)],
        marker: ctx.marker !== null && MARKERS.has(ctx.marker) ? ctx.marker : "circle",
      };
    case "line":
      need(4, "two end points");
      return { ...base, points: [point(0), point(2)] };
    case "text": {
      need(2, "x and y");
      const t = textArg(args[2]) ?? base.text;
      if (t === null) throw new Ds9ParseError(ctx.line, ctx.column, "text needs a string (text={…})");
      return { ...base, points: [point(0)], text: t };
    }
  }
}
