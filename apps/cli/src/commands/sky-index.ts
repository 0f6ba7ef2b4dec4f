import { writeFile } from "node:fs/promises";
import {
  ang2pixBig,
  box,
  circle,
  ellipse,
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
  parseLatitude,
  pix2ang,
  polygon,
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

const SHAPES = ["circle", "polygon", "box", "ellipse", "range"] as const;
const FRAMES = /^(icrs|fk5|fk4|j2000|b1950|galactic|ecliptic|geocenter|unknownframe)$/i;

/**
 * Parse the region argument of `meridian sky moc`. Accepts STC-S-like text (`CIRCLE ICRS 10 20 1`),
 * DS9-like text (`circle(10,20,1)`) and plain words (`range 350 10 -5 5`); numbers in degrees:
 * circle lon lat radius · polygon lon1 lat1 lon2 lat2 … · box lon lat width height [angle] ·
 * ellipse lon lat a b [angle] · range lonMin lonMax latMin latMax.
 */
export function parseRegionArgument(text: string): Region {
  const tokens = text
    .replace(/[(),]/g, " ")
    .trim()
    .split(/\s+/)
    .filter((t) => t !== "");
  const shape = (tokens.shift() ?? "").toLowerCase();
  if (!(SHAPES as readonly string[]).includes(shape)) {
    throw new UsageError(`region must start with one of ${SHAPES.join(", ")}; got "${text}"`);
  }
  if (tokens[0] !== undefined && FRAMES.test(tokens[0])) tokens.shift();
  const nums = tokens.map((t, i) => {
    const v = Number(t);
    if (!Number.isFinite(v))
      throw new UsageError(`region value ${i + 1} ("${t}") is not a number in "${text}"`);
    return v;
  });
  const need = (k: number, max = k) => {
    if (nums.length < k || nums.length > max) {
      throw new UsageError(`${shape} needs ${k === max ? k : `${k} to ${max}`} numbers, got ${nums.length}`);
    }
  };
  const n = (i: number) => nums[i] as number;
  switch (shape) {
    case "circle":
      need(3);
      return circle(n(0), n(1), n(2));
    case "polygon": {
      if (nums.length < 6 || nums.length % 2 !== 0) {
        throw new UsageError(`polygon needs an even number (≥ 6) of numbers, got ${nums.length}`);
      }
      const v: [number, number][] = [];
      for (let i = 0; i < nums.length; i += 2) v.push([n(i), n(i + 1)]);
      return polygon(v);
    }
    case "box":
      need(4, 5);
      return box(n(0), n(1), n(2), n(3), nums[4] ?? 0);
    case "ellipse":
      need(4, 5);
      return ellipse(n(0), n(1), n(2), n(3), nums[4] ?? 0);
    default:
      need(4);
      return range(n(0), n(1), n(2), n(3));
  }
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
      'region in degrees, e.g. "circle 10 20 1", "CIRCLE ICRS 10 20 1", "polygon 0 0 10 0 5 8", "box 10 20 2 1 30", "ellipse 10 20 2 1 30", "range 350 10 -5 5"',
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
