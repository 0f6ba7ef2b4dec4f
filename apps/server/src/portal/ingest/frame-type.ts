/**
 * Frame types: IMAGETYP/OBSTYPE values as written by common acquisition software (IRAF, MaxIm DL,
 * N.I.N.A., SGP, Gemini, ESO…) normalised to light/bias/dark/flat/arc/other, or taken from folder
 * names (`bias/`, `flats/`, `darks/`…) when the header says nothing.
 */
import type { FrameType } from "../../db/portal-schema.js";

const WORDS: ReadonlyArray<readonly [RegExp, FrameType]> = [
  [/^(bias|zero|offset)s?$/, "bias"],
  [/^darks?$/, "dark"],
  [/^(flat|flatfield|flat field|dome ?flat|sky ?flat|twilight ?flat|lamp ?flat|twiflat|domeflat)s?$/, "flat"],
  [/^(arc|comp|comparison|lamp|wavecal|wave|thar|cuar|fear|hene|neon|argon)s?$/, "arc"],
  [/^(light|object|science|sci|target|lights|objects|standard|std)s?$/, "light"],
];

function match(word: string): FrameType | undefined {
  const w = word
    .trim()
    .toLowerCase()
    .replace(/[_-]+/g, " ")
    .replace(/\s+frames?$/, "")
    .trim();
  for (const [re, type] of WORDS) if (re.test(w)) return type;
  return undefined;
}

/**
 * The frame type of a file: from the header value (`imageType`, IMAGETYP or OBSTYPE) when there is
 * one (an unknown value is `other`), else from the nearest folder in `path` named like a frame
 * type, else `other` for FITS files and null for other files.
 */
export function frameTypeOf(imageType: string | null, path: string, isFits: boolean): FrameType | null {
  if (imageType !== null && imageType.trim() !== "") return match(imageType) ?? "other";
  const folders = path.split("/").slice(0, -1).reverse();
  for (const f of folders) {
    const t = match(f);
    if (t !== undefined) return t;
  }
  return isFits ? "other" : null;
}
