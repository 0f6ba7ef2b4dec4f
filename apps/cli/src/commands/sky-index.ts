import { writeFile } from "node:fs/promises";
import {
  ang2pixBig,
  HEALPIX_MAX_ORDER,
  type HealpixScheme,
  healpixNside,
  healpixPixelArea,
  type Moc,
  mocFromRegion,
  mocToAscii,
  mocToFits,
  mocToJson,
  parseAngle,
  parseDs9,
  parseLatitude,
  parseStcs,
  pix2ang,
  type Region,
  range,
} from "@meridian/sky";
import type { Command } from "commander";
import { UsageError } from "../cli-error.js";
import { printJson } from "../output.js";

function parseOrder(text: string | undefined): number {
  if (text === undefined) throw new UsageError("--order is required (0..29)");
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n > HEALPIX_MAX_ORDER) {
    throw new UsageError(`--order must be an integer in 0..${HEALPIX_MAX_ORDER}, got "${text}"`);
  }
  return n;
}

/** A JSON-safe pixel number: a number when exact, else a decimal string. */
function jsonIndex(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

const EQUATORIAL = new Set(["icrs", "fk5", "j2000"]);

/**
 * Parse the region argument of `meridian sky moc` (degrees). Three spellings:
 * - STC-S: `Circle ICRS 10 20 1`, `Polygon 0 0 10 0 5 8`, `Box 10 20 2 1`, `Ellipse 10 20 2 1 30`
 *   (the frame word is optional);
 * - DS9: `circle(10,20,1)`, `box(10,20,2,1,30)`, `fk5; ellipse(10,20,2",1",30)` (fk5 is assumed
 *   when no coordinate system is given);
 * - `range lonMin lonMax latMin latMax` (a lon/lat range; lonMin > lonMax wraps through 0).
 * MOCs are equatorial (MOC 2.0 COORDSYS = 'C'), so a region in another frame is refused.
 */
export function parseRegionArgument(text: string): Region {
  const trimmed = text.trim();
  let region: Region;
  if (/^range\b/i.test(trimmed)) {
    const nums = trimmed
      .slice(5)
      .replace(/,/g, " ")
      .trim()
      .split(/\s+/)
      .filter((t) => t !== "")
      .map(Number);
    if (nums.length !== 4 || nums.some((v) => !Number.isFinite(v))) {
      throw new UsageError(`range needs 4 numbers (lonMin lonMax latMin latMax), got "${text}"`);
    }
    region = range(nums[0] as number, nums[1] as number, nums[2] as number, nums[3] as number);
  } else if (trimmed.includes("(")) {
    const withSystem = /^\s*(fk5|fk4|icrs|j2000|b1950|galactic|ecliptic)\b/i.test(trimmed)
      ? trimmed
      : `fk5; ${trimmed}`;
    const shapes = parseDs9(withSystem);
    if (shapes.length !== 1 || shapes[0]?.exclude) {
      throw new UsageError(`give exactly one (included) DS9 shape, got ${shapes.length} in "${text}"`);
    }
    region = (shapes[0] as { region: Region }).region;
  } else {
    region = parseStcs(trimmed);
  }
  if (region.frame !== undefined && !EQUATORIAL.has(region.frame.toLowerCase())) {
    throw new UsageError(`MOCs are equatorial (ICRS); convert the ${region.frame} region first`);
  }
  return region;
}

/** Register `meridian sky healpix` and `meridian sky moc` under the `sky` group. */
export function registerSkyIndexCommands(sky: Command): void {
  sky
    .command("healpix")
    .description("HEALPix pixel (orders 0–29, exact 64-bit) containing a position, with its centre")
    .argument("<ra>", "longitude/RA: degrees (188.675, 188.675d) or sexagesimal hours (12:34:42, 12h34m42s)")
    .argument(
      "<dec>",
      "latitude/Dec: degrees or sexagesimal degrees (-00:30:00, +47d22m52s); put -- before a negative value",
    )
    .option("--order <n>", "HEALPix order 0..29 (nside = 2^order)")
    .option("--nest", "NESTED numbering (default)")
    .option("--ring", "RING numbering")
    .option("--json", "print JSON")
    .action(
      (ra: string, dec: string, opts: { order?: string; nest?: boolean; ring?: boolean; json?: boolean }) => {
        if (opts.nest && opts.ring) throw new UsageError("choose one of --nest and --ring");
        const order = parseOrder(opts.order);
        const scheme: HealpixScheme = opts.ring ? "ring" : "nest";
        const lon = parseAngle(ra, { unit: "deg", sexagesimal: "hour" });
        const lat = parseLatitude(dec);
        const ipix = ang2pixBig(order, lon, lat, scheme);
        const centre = pix2ang(order, ipix, scheme);
        const result = {
          ra: lon,
          dec: lat,
          order,
          nside: healpixNside(order),
          scheme,
          ipix: jsonIndex(ipix),
          centre: { ra: centre.lon, dec: centre.lat },
          pixelAreaSr: healpixPixelArea(order),
        };
        if (opts.json) {
          printJson(result);
          return;
        }
        process.stdout.write(
          `${ipix}  (order ${order}, nside ${result.nside}, ${scheme.toUpperCase()}; centre ${centre.lon.toFixed(9)} ${centre.lat.toFixed(9)})\n`,
        );
      },
    );

  sky
    .command("moc")
    .description("MOC 2.0 coverage of a region: ASCII, JSON or FITS")
    .argument(
      "<region>",
      'region in degrees: STC-S ("Circle ICRS 10 20 1", "Polygon 0 0 10 0 5 8", "Box 10 20 2 1"), DS9 ("circle(10,20,1)", "box(10,20,2,1,30)") or "range 350 10 -5 5"',
    )
    .option("--order <n>", "MOC order 0..29 (cells of that order are the finest)")
    .option("--format <f>", "ascii, json or fits", "ascii")
    .option("-o, --output <file>", "write to a file (required for --format fits unless stdout is redirected)")
    .action(async (regionText: string, opts: { order?: string; format: string; output?: string }) => {
      const order = parseOrder(opts.order);
      const format = opts.format.toLowerCase();
      if (!["ascii", "json", "fits"].includes(format)) {
        throw new UsageError(`--format must be ascii, json or fits, got "${opts.format}"`);
      }
      const moc: Moc = mocFromRegion(parseRegionArgument(regionText), order);
      const bytes: Uint8Array | string =
        format === "fits"
          ? mocToFits(moc)
          : format === "json"
            ? `${mocToJson(moc)}\n`
            : `${mocToAscii(moc)}\n`;
      if (opts.output !== undefined) {
        await writeFile(opts.output, bytes);
        process.stderr.write(
          `wrote ${opts.output}: ${moc.cells().length} cells, ${moc.areaDeg2.toPrecision(8)} deg²\n`,
        );
        return;
      }
      if (format === "fits" && process.stdout.isTTY) {
        throw new UsageError("refusing to write FITS to a terminal: use --output <file> or redirect stdout");
      }
      process.stdout.write(bytes);
    });
}
