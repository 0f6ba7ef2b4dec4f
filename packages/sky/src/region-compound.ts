/**
 * Compound sky regions (STC-S 1.33 §4.5): `Union`, `Intersection` (two or more operands),
 * `Difference` (first minus second) and `Not` (one operand), nested to any depth (64 levels at
 * most when parsing). Point containment follows the set operations exactly; MOCs combine the
 * operands' MOCs (see {@link mocFromShape}).
 *
 * STC-S text: `Union ICRS ( Circle 10 20 1 Polygon 9 19 11 19 10 21 )`,
 * `Not ( Circle 0 90 10 )`, `Intersection ICRS TOPOCENTER ( Circle … Not ( Box … ) )`. The frame
 * (and fillfactor, reference position, flavour) may follow the operator; operands inherit the
 * compound's frame unless they name their own.
 */
import { SkyError, skyParseError } from "./errors.js";
import type { Moc } from "./moc.js";
import { type MocBuildOptions, mocFromRegion } from "./moc-build.js";
import { type Region, regionContains } from "./region.js";
import {
  formatStcs,
  parseStcsSimpleAt,
  readStcsQualifiers,
  STCS_COMPOUNDS,
  type Token,
  tokenize,
} from "./region-stcs.js";
import type { Degrees } from "./units.js";

/** A set operation on regions. */
export interface CompoundRegion {
  kind: "union" | "intersection" | "difference" | "not";
  /**
   * Operands: two or more for union and intersection, exactly two for difference (the first
   * minus the second), exactly one for not.
   */
  regions: SkyShape[];
  /** Frame name when the text gave one (lower case, as `Region.frame`). */
  frame?: string;
}

/** A simple region or a compound one. */
export type SkyShape = Region | CompoundRegion;

/** True for union, intersection, difference and not. */
export function isCompoundRegion(shape: SkyShape): shape is CompoundRegion {
  return (
    shape.kind === "union" ||
    shape.kind === "intersection" ||
    shape.kind === "difference" ||
    shape.kind === "not"
  );
}

const MAX_DEPTH = 64;

function checkOperands(shape: CompoundRegion): void {
  const n = shape.regions.length;
  const ok = shape.kind === "not" ? n === 1 : shape.kind === "difference" ? n === 2 : n >= 2;
  if (!ok) {
    const want =
      shape.kind === "not" ? "exactly 1" : shape.kind === "difference" ? "exactly 2" : "at least 2";
    throw new SkyError("INVALID_ARGUMENT", `${shape.kind} needs ${want} operands, got ${n}`);
  }
}

/** Is (lon, lat) (degrees) inside the shape? Set operations are applied exactly. */
export function shapeContains(shape: SkyShape, lon: Degrees | number, lat: Degrees | number): boolean {
  if (!isCompoundRegion(shape)) return regionContains(shape, lon, lat);
  switch (shape.kind) {
    case "union":
      return shape.regions.some((r) => shapeContains(r, lon, lat));
    case "intersection":
      return shape.regions.every((r) => shapeContains(r, lon, lat));
    case "difference":
      return shapeContains(shape.regions[0]!, lon, lat) && !shapeContains(shape.regions[1]!, lon, lat);
    case "not":
      return !shapeContains(shape.regions[0]!, lon, lat);
  }
}

/**
 * MOC of a shape at `order`: simple regions by {@link mocFromRegion}; compound ones by the same
 * operation on their operands' MOCs. With the default inclusive covers, a union is exactly the
 * cover of the union, an intersection or difference a cover that may keep cells on the
 * operands' boundaries, and `Not` the cells outside the operand's cover (cells on its boundary
 * are left out).
 */
export function mocFromShape(shape: SkyShape, order: number, opts: MocBuildOptions = {}): Moc {
  if (!isCompoundRegion(shape)) return mocFromRegion(shape, order, opts);
  checkOperands(shape);
  const parts = shape.regions.map((r) => mocFromShape(r, order, opts));
  switch (shape.kind) {
    case "union":
      return parts.reduce((a, b) => a.union(b));
    case "intersection":
      return parts.reduce((a, b) => a.intersection(b));
    case "difference":
      return parts[0]!.difference(parts[1]!);
    case "not":
      return parts[0]!.complement();
  }
}

/**
 * Parse STC-S text holding a simple or a compound region.
 * @throws SkyError `PARSE_REGION` with the character position (unbalanced parentheses, wrong
 * operand counts, nesting deeper than 64, and every error of the simple shapes).
 */
export function parseStcsShape(text: string): SkyShape {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw skyParseError("PARSE_REGION", "STC-S region", text, 0, "empty STC-S text");
  const { shape, next } = parseAt(text, tokens, 0, 0);
  if (next < tokens.length) {
    const t = tokens[next]!;
    throw skyParseError(
      "PARSE_REGION",
      "STC-S region",
      text,
      t.start,
      `unexpected "${t.text}" at character ${t.start + 1} after the region`,
    );
  }
  return shape;
}

function parseAt(
  text: string,
  tokens: readonly Token[],
  start: number,
  depth: number,
): { shape: SkyShape; next: number } {
  const fail = (pos: number, detail: string) =>
    skyParseError("PARSE_REGION", "STC-S region", text, pos, detail);
  const head = tokens[start];
  if (!head) throw fail(text.length, "a region is missing at the end of the text");
  const op = head.text.toLowerCase();
  if (!STCS_COMPOUNDS.has(op)) {
    const simple = parseStcsSimpleAt(text, tokens, start, depth > 0);
    return { shape: simple.region, next: simple.next };
  }
  if (depth >= MAX_DEPTH) throw fail(head.start, `compound regions nested deeper than ${MAX_DEPTH} levels`);
  const q = readStcsQualifiers(text, tokens, start + 1);
  let i = q.next;
  const open = tokens[i];
  if (open?.text !== "(") {
    throw fail(
      open?.start ?? text.length,
      `${head.text} needs its operands in parentheses ("(" expected at character ${(open?.start ?? text.length) + 1})`,
    );
  }
  i++;
  const regions: SkyShape[] = [];
  for (;;) {
    const t = tokens[i];
    if (!t) throw fail(text.length, `")" missing for ${head.text} at character ${head.start + 1}`);
    if (t.text === ")") {
      i++;
      break;
    }
    if (t.text === "(") throw fail(t.start, `unexpected "(" at character ${t.start + 1}`);
    const sub = parseAt(text, tokens, i, depth + 1);
    regions.push(sub.shape);
    i = sub.next;
  }
  const kind = op as CompoundRegion["kind"];
  const frame = q.frame === undefined || q.frame === "unknown" ? undefined : q.frame;
  const shape: CompoundRegion = {
    kind,
    regions: frame === undefined ? regions : regions.map((r) => inheritFrame(r, frame)),
    ...(frame === undefined ? {} : { frame }),
  };
  try {
    checkOperands(shape);
  } catch (err) {
    throw fail(head.start, `${head.text} at character ${head.start + 1}: ${(err as Error).message}`);
  }
  return { shape, next: i };
}

function inheritFrame(shape: SkyShape, frame: string): SkyShape {
  if (shape.frame !== undefined) return shape;
  if (isCompoundRegion(shape))
    return { ...shape, frame, regions: shape.regions.map((r) => inheritFrame(r, frame)) };
  return { ...shape, frame };
}

const STCS_NAMES: Record<CompoundRegion["kind"], string> = {
  union: "Union",
  intersection: "Intersection",
  difference: "Difference",
  not: "Not",
};

/**
 * Write a simple or compound shape as STC-S (`digits` decimals, as {@link formatStcs}). The
 * frame is written once, after the outermost operator; operands are written without one.
 */
export function formatStcsShape(shape: SkyShape, digits = 9): string {
  if (!isCompoundRegion(shape)) return formatStcs(shape, digits);
  checkOperands(shape);
  const frameWord = formatStcs({ kind: "circle", center: [0, 0], radius: 1, ...frameOf(shape) }).split(
    " ",
  )[1];
  return `${STCS_NAMES[shape.kind]} ${frameWord} ${operands(shape, digits)}`;
}

function frameOf(shape: SkyShape): { frame?: string } {
  return shape.frame === undefined ? {} : { frame: shape.frame };
}

function operands(shape: CompoundRegion, digits: number): string {
  const parts = shape.regions.map((r) => {
    if (isCompoundRegion(r)) return `${STCS_NAMES[r.kind]} ${operands(r, digits)}`;
    // "Circle ICRS 1 2 3" → "Circle 1 2 3": the frame is the compound's.
    const words = formatStcs(r, digits).split(" ");
    return [words[0], ...words.slice(2)].join(" ");
  });
  return `( ${parts.join(" ")} )`;
}
