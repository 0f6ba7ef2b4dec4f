/**
 * STC-S region text (IVOA STC-S 1.33 as profiled by TAP 1.1 / DALI / ObsCore `s_region`):
 * `Circle`, `Box` (unrotated), `Polygon`, `Ellipse` and `PositionInterval`, with optional
 * `fillfactor`, frame (ICRS, FK5, FK4, J2000, B1950, GALACTIC, ECLIPTIC, …), reference position and
 * coordinate flavour. Coordinates and sizes are degrees. Compound regions (`Union`, `Intersection`,
 * `Difference`, `Not`) are read by `parseStcsShape` (region-compound.ts).
 */
import { SkyError, skyParseError } from "./errors.js";
import { boxCorners as boxCornersOf, type Region, validateRegion } from "./region.js";

const FRAMES: Record<string, string> = {
  icrs: "icrs",
  fk5: "fk5",
  j2000: "fk5",
  fk4: "fk4",
  b1950: "fk4",
  galactic: "galactic",
  galactic_ii: "galactic",
  ecliptic: "ecliptic",
  geo_c: "geo_c",
  geo_d: "geo_d",
  unknownframe: "unknown",
  super_galactic: "supergalactic",
  supergalactic: "supergalactic",
};
const REFPOS = new Set([
  "barycenter",
  "geocenter",
  "heliocenter",
  "topocenter",
  "lsr",
  "lsrk",
  "lsrd",
  "galactic_center",
  "local_group_center",
  "embarycenter",
  "relocatable",
  "unknownrefpos",
]);
const FLAVORS = new Set(["spherical2", "unitsphere", "cartesian2", "cartesian3", "spherical3"]);

/** A token of STC-S text and its 0-based position. */
export interface Token {
  text: string;
  start: number;
}

/** Split STC-S text into words and parentheses. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /[^\s()]+|[()]/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push({ text: m[0], start: m.index });
  return out;
}

const SHAPES = new Set(["circle", "box", "polygon", "ellipse", "positioninterval"]);
/** Compound shapes of STC-S 1.33 §4.5 (operands in parentheses). */
export const STCS_COMPOUNDS = new Set(["union", "intersection", "difference", "not"]);

/** Where a simple shape's numbers end: at the end of the text, or (nested) at `)` or a shape name. */
function endsNumbers(t: Token, nested: boolean): boolean {
  if (!nested) return false;
  const w = t.text.toLowerCase();
  return t.text === ")" || SHAPES.has(w) || STCS_COMPOUNDS.has(w);
}

/**
 * Read the optional `fillfactor`, frame, reference position and flavour after a shape name.
 * @returns the frame (lower case) if one was given, and the next token index.
 */
export function readStcsQualifiers(
  text: string,
  tokens: readonly Token[],
  start: number,
): { frame: string | undefined; next: number } {
  let i = start;
  const fail = (pos: number, detail?: string) =>
    skyParseError("PARSE_REGION", "STC-S region", text, pos, detail);
  const peek = () => tokens[i];
  let frame: string | undefined;
  if (peek()?.text.toLowerCase() === "fillfactor") {
    i++;
    const f = tokens[i++];
    if (!f || !Number.isFinite(Number(f.text)))
      throw fail(f?.start ?? text.length, "fillfactor needs a number");
  }
  const f = peek();
  if (f && FRAMES[f.text.toLowerCase()] !== undefined) {
    frame = FRAMES[f.text.toLowerCase()];
    i++;
  }
  if (peek() && REFPOS.has(peek()!.text.toLowerCase())) i++;
  if (peek() && FLAVORS.has(peek()!.text.toLowerCase())) {
    const fl = peek()!;
    if (fl.text.toLowerCase() !== "spherical2" && fl.text.toLowerCase() !== "unitsphere") {
      throw fail(
        fl.start,
        `only spherical coordinates are supported, not ${fl.text} (character ${fl.start + 1})`,
      );
    }
    i++;
  }
  return { frame, next: i };
}

/**
 * Parse the simple shape whose name is `tokens[start]`. Top level (`nested` false): the numbers
 * run to the end of the text (or a trailing `unit deg`). Inside a compound shape they end at `)`
 * or at the next shape name.
 * @returns the region and the index of the token after it.
 */
export function parseStcsSimpleAt(
  text: string,
  tokens: readonly Token[],
  start: number,
  nested: boolean,
): { region: Region; next: number } {
  const fail = (pos: number, detail?: string) =>
    skyParseError("PARSE_REGION", "STC-S region", text, pos, detail);
  const shapeTok = tokens[start];
  if (!shapeTok) throw fail(text.length, "empty STC-S text");
  const shape = shapeTok.text.toLowerCase();
  if (!SHAPES.has(shape)) {
    throw fail(shapeTok.start, `unknown STC-S shape "${shapeTok.text}" at character ${shapeTok.start + 1}`);
  }
  const q = readStcsQualifiers(text, tokens, start + 1);
  const frame = q.frame;
  let i = q.next;
  const nums: number[] = [];
  const numStart: number[] = [];
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (endsNumbers(t, nested)) break;
    const v = Number(t.text);
    if (t.text === "" || !Number.isFinite(v) || /^0x/i.test(t.text)) {
      // A unit keyword ends the coordinates (`unit deg`); anything else is an error.
      if (
        !nested &&
        t.text.toLowerCase() === "unit" &&
        tokens[i + 1]?.text.toLowerCase() === "deg" &&
        i + 2 === tokens.length
      ) {
        i = tokens.length;
        break;
      }
      throw fail(t.start, `expected a number at character ${t.start + 1}, found "${t.text}"`);
    }
    nums.push(v);
    numStart.push(t.start);
    i++;
  }
  const endPos = i < tokens.length ? tokens[i]!.start : text.length;
  const need = (n: number, exact = true) => {
    if (nums.length < n || (exact && nums.length > n)) {
      const pos = nums.length > n ? numStart[n]! : endPos;
      throw fail(pos, `${shapeTok.text} needs ${exact ? "" : "at least "}${n} numbers, found ${nums.length}`);
    }
  };
  const withFrame = <R extends Region>(r: R): R =>
    frame === undefined || frame === "unknown" ? r : { ...r, frame };
  let region: Region;
  switch (shape) {
    case "circle":
      need(3);
      region = withFrame({ kind: "circle", center: [nums[0]!, nums[1]!], radius: nums[2]! });
      break;
    case "box":
      need(4);
      region = withFrame({
        kind: "box",
        center: [nums[0]!, nums[1]!],
        width: nums[2]!,
        height: nums[3]!,
        angle: 0,
      });
      break;
    case "ellipse":
      need(5);
      // STC-S gives the position angle of the major axis (radius 1); ours puts `a` at PA angle + 90°.
      region = withFrame({
        kind: "ellipse",
        center: [nums[0]!, nums[1]!],
        a: nums[2]!,
        b: nums[3]!,
        angle: nums[4]! - 90,
      });
      break;
    case "positioninterval":
      need(4);
      region = withFrame({ kind: "range", lon: [nums[0]!, nums[2]!], lat: [nums[1]!, nums[3]!] });
      break;
    default: {
      need(6, false);
      if (nums.length % 2 !== 0) throw fail(numStart[nums.length - 1]!, "a polygon needs pairs of numbers");
      const vertices: [number, number][] = [];
      for (let k = 0; k < nums.length; k += 2) vertices.push([nums[k]!, nums[k + 1]!]);
      region = withFrame({ kind: "polygon", vertices });
    }
  }
  try {
    return { region: validateRegion(region), next: i };
  } catch (err) {
    throw new SkyError(
      "PARSE_REGION",
      `bad STC-S region ${JSON.stringify(text)}: ${(err as Error).message}`,
      {
        cause: err,
        input: text,
        position: shapeTok.start,
      },
    );
  }
}

/**
 * Parse one STC-S region. The frame name (lower case: `icrs`, `fk5`, `fk4`, `galactic`, …) is kept
 * in `region.frame` when given.
 * @throws SkyError `PARSE_REGION` with the character position, or `UNSUPPORTED` for compound
 * shapes (read those with `parseStcsShape`).
 */
export function parseStcs(text: string): Region {
  const tokens = tokenize(text);
  const shapeTok = tokens[0];
  if (shapeTok && STCS_COMPOUNDS.has(shapeTok.text.toLowerCase())) {
    throw new SkyError(
      "UNSUPPORTED",
      `STC-S compound region "${shapeTok.text}" at character ${shapeTok.start + 1} is not a simple region; read it with parseStcsShape`,
      {
        input: text,
        position: shapeTok.start,
      },
    );
  }
  return parseStcsSimpleAt(text, tokens, 0, false).region;
}

const STCS_FRAME: Record<string, string> = {
  icrs: "ICRS",
  fk5: "FK5",
  fk4: "FK4",
  galactic: "GALACTIC",
  ecliptic: "ECLIPTIC",
  supergalactic: "SUPER_GALACTIC",
};

const num = (x: number, digits: number) => {
  const s = x.toFixed(digits);
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
};

/**
 * Write a region as STC-S (degrees with `digits` decimals, default 9 ≈ 4 µas). A rotated box is
 * written as its corner polygon. Ranges become `PositionInterval`.
 * @throws SkyError `UNSUPPORTED` for a polygon whose interior is not the smaller side.
 */
export function formatStcs(region: Region, digits = 9): string {
  const frame = STCS_FRAME[(region.frame ?? "icrs").toLowerCase()] ?? "UNKNOWNFrame";
  const n = (x: number) => num(x, digits);
  switch (region.kind) {
    case "circle":
      return `Circle ${frame} ${n(region.center[0])} ${n(region.center[1])} ${n(region.radius)}`;
    case "box": {
      if ((region.angle ?? 0) % 180 === 0) {
        return `Box ${frame} ${n(region.center[0])} ${n(region.center[1])} ${n(region.width)} ${n(region.height)}`;
      }
      return formatStcs(
        { kind: "polygon", vertices: boxCornersOf(region), ...(region.frame ? { frame: region.frame } : {}) },
        digits,
      );
    }
    case "ellipse":
      return `Ellipse ${frame} ${n(region.center[0])} ${n(region.center[1])} ${n(region.a)} ${n(region.b)} ${n((region.angle ?? 0) + 90)}`;
    case "range":
      return `PositionInterval ${frame} ${n(region.lon[0])} ${n(region.lat[0])} ${n(region.lon[1])} ${n(region.lat[1])}`;
    case "polygon":
      if ((region.interior ?? "smaller") !== "smaller") {
        throw new SkyError(
          "UNSUPPORTED",
          "STC-S polygons are read as the smaller region; write this one through a MOC",
        );
      }
      return `Polygon ${frame} ${region.vertices.map((v) => `${n(v[0])} ${n(v[1])}`).join(" ")}`;
  }
}
