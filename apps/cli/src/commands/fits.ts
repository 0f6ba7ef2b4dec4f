import { writeFile } from "node:fs/promises";
import { deflateSync } from "node:zlib";
import {
  type CelestialFrame,
  downsample,
  type FitsFile,
  type HduInfo,
  type ImageStats,
  imageStats,
  intervalLimits,
  isFitsError,
  parseInterval,
  parseStretch,
  parseWcs,
  renderPng,
  toNumberArray,
  type Wcs,
  zscale,
} from "@meridian/fits";
import { openFitsFile } from "@meridian/fits/node";
import { convertPosition, formatSexagesimal, parseAngle, parseLatitude } from "@meridian/sky";
import type { Command } from "commander";
import { UsageError } from "../cli-error.js";
import { printJson } from "../output.js";
import { registerFitsFileCommands } from "./fits-file.js";

/** Register the `meridian fits` command group (stats, render, xy2sky, sky2xy; info/header/verify via fits-file.ts). */
export function registerFitsCommands(program: Command): void {
  const fits = program.command("fits").description("inspect, verify and render FITS files");
  registerFitsFileCommands(fits);

  fits
    .command("stats")
    .description("NaN-aware statistics of an image HDU (min, max, mean, std, median, percentiles, zscale)")
    .argument("<file>", "FITS file (.fits, .fits.gz, tile-compressed)")
    .option("--hdu <n>", "HDU index or EXTNAME (default: the first HDU with a 2-d or larger image)")
    .option("--plane <k>", "only this plane of a cube (0-based index along NAXIS3)")
    .option("--json", "print JSON")
    .action(async (file: string, opts: { hdu?: string; plane?: string; json?: boolean }) => {
      await withImage(file, opts.hdu, async (f, hdu) => {
        const plane = parsePlane(opts.plane);
        const img = await f.readImage(hdu.index, plane === undefined ? {} : { plane });
        const data = toNumberArray(img.data as ArrayLike<number>);
        const s = imageStats(data);
        const [z0, z1] = zscale(data);
        const result = {
          file,
          hdu: hdu.index,
          axes: img.axes,
          type: img.type,
          ...(plane !== undefined ? { plane } : {}),
          ...s,
          zscale: [z0, z1],
        };
        if (opts.json === true) printJson(result);
        else printStats(file, hdu, img.axes, img.type, plane, s, [z0, z1]);
      });
    });

  fits
    .command("render")
    .description("render an image HDU to PNG: interval, stretch and colormap as in astropy/matplotlib")
    .argument("<file>", "FITS file")
    .requiredOption("-o, --output <png>", "output PNG file")
    .option("--hdu <n>", "HDU index or EXTNAME (default: the first image HDU)")
    .option("--plane <k>", "plane of a cube (0-based along NAXIS3, default 0)")
    .option("--scale <interval>", "zscale | minmax | percentile:P | manual:VMIN:VMAX", "zscale")
    .option(
      "--stretch <name>",
      "linear | sqrt | squared | power:A | log[:A] | asinh[:A] | sinh[:A] | histeq",
      "linear",
    )
    .option(
      "--cmap <name>",
      "grey, viridis, magma, inferno, plasma, cubehelix, heat, hot, cool, rainbow, RdBu (add _r to reverse)",
      "grey",
    )
    .option("--alpha", "RGBA output with blank pixels transparent")
    .option(
      "--max-size <pixels>",
      "halve the image (NaN-aware block mean) until both sides fit, for previews",
    )
    .option("--json", "print JSON")
    .action(
      async (
        file: string,
        opts: {
          output: string;
          hdu?: string;
          plane?: string;
          scale: string;
          stretch: string;
          cmap: string;
          alpha?: boolean;
          maxSize?: string;
          json?: boolean;
        },
      ) => {
        await withImage(file, opts.hdu, async (f, hdu) => {
          const plane = parsePlane(opts.plane) ?? (imageAxes(hdu).length > 2 ? 0 : undefined);
          const maxSize = opts.maxSize === undefined ? undefined : Number(opts.maxSize);
          if (maxSize !== undefined && !(Number.isInteger(maxSize) && maxSize >= 1)) {
            throw new UsageError(`--max-size must be a positive integer, got "${opts.maxSize}"`);
          }
          const img = await f.readImage(hdu.index, plane === undefined ? {} : { plane });
          let [w = 1, h = 1] = img.axes;
          let data = toNumberArray(img.data as ArrayLike<number>);
          // Limits and histogram come from the full-resolution data, also for previews.
          const [lo, hi] = intervalLimits(data, parseInterval(opts.scale));
          const stretch = parseStretch(opts.stretch, data);
          while (maxSize !== undefined && (w > maxSize || h > maxSize)) {
            const half = downsample(data, w, h, "mean", 2);
            data = half.data;
            w = half.width;
            h = half.height;
          }
          const { png, vmin, vmax } = renderPng(data, w, h, {
            interval: { kind: "manual", vmin: lo, vmax: hi },
            stretch,
            cmap: opts.cmap,
            ...(opts.alpha === true ? { alpha: true } : {}),
            png: { deflate: (raw, level) => deflateSync(raw, { level }) },
          });
          await writeFile(opts.output, png);
          const result = {
            file,
            hdu: hdu.index,
            ...(plane !== undefined ? { plane } : {}),
            output: opts.output,
            width: w,
            height: h,
            vmin,
            vmax,
            bytes: png.length,
          };
          if (opts.json === true) printJson(result);
          else
            process.stdout.write(
              `wrote ${opts.output}: ${w}×${h}, ${opts.scale} [${fmt(vmin)}, ${fmt(vmax)}], ${opts.stretch}, ${opts.cmap}\n`,
            );
        });
      },
    );

  fits
    .command("xy2sky")
    .description(
      "pixel → sky like WCSTools xy2sky; pixels are FITS 1-based (centre of the first pixel = 1.0)",
    )
    .argument("<file>", "FITS file with a celestial WCS")
    .argument("<xy...>", "pixel coordinate pairs: X Y [X Y ...]")
    .option("--hdu <n>", "HDU index or EXTNAME (default: the first image HDU)")
    .option("--wcs <letter>", "alternate WCS description A–Z (default: the primary)")
    .option("--degrees", "print decimal degrees instead of sexagesimal")
    .option(
      "--frame <frame>",
      "convert the output to this frame (icrs, fk5, fk4, galactic, …; default: the image's)",
    )
    // Negative coordinates ("-12.5") must reach the action as operands, not options.
    .allowUnknownOption()
    .option("--json", "print JSON")
    .action(
      async (
        file: string,
        xy: string[],
        opts: { hdu?: string; wcs?: string; degrees?: boolean; frame?: string; json?: boolean },
      ) => {
        if (xy.length % 2 !== 0)
          throw new UsageError("xy2sky needs pixel coordinates in pairs: X Y [X Y ...]");
        const values = xy.map((v) => {
          const n = Number(v);
          if (!Number.isFinite(n)) throw new UsageError(`bad pixel coordinate "${v}"`);
          return n;
        });
        await withImage(file, opts.hdu, async (_f, hdu) => {
          const wcs = celestialWcs(hdu, opts.wcs);
          const n = values.length / 2;
          const pix = Array.from({ length: wcs.naxis }, (_, axis) =>
            Float64Array.from({ length: n }, (_, k) => (axis < 2 ? (values[2 * k + axis] as number) : 1)),
          );
          const world = wcs.pixelToWorld(pix);
          let label = systemLabel(wcs);
          let equatorial = wcs.axes[wcs.lngAxis]?.ctype.startsWith("RA") === true;
          if (opts.frame !== undefined) {
            const from = skyFrameOf(wcs);
            if (from === undefined)
              throw new UsageError(`--frame cannot convert from the image's frame ${wcs.frame}`);
            const lngs = world[wcs.lngAxis] as Float64Array;
            const lats = world[wcs.latAxis] as Float64Array;
            for (let k = 0; k < n; k++) {
              if (!Number.isFinite(lngs[k]) || !Number.isFinite(lats[k])) continue;
              const [a, b] = convertPosition(lngs[k] as number, lats[k] as number, from, opts.frame);
              lngs[k] = a;
              lats[k] = b;
            }
            label = opts.frame;
            equatorial = !/^(gal|sgal|supergal|ecl)/i.test(opts.frame);
          }
          const rows = Array.from({ length: n }, (_, k) => ({
            x: values[2 * k] as number,
            y: values[2 * k + 1] as number,
            lng: nullable((world[wcs.lngAxis] as Float64Array)[k] as number),
            lat: nullable((world[wcs.latAxis] as Float64Array)[k] as number),
            inImage: inImage(hdu, values[2 * k] as number, values[2 * k + 1] as number),
            // Every world axis (cubes: spectral/Stokes values at pixel 1 of the extra axes), SI units.
            world: world.map((w) => nullable(w[k] as number)),
          }));
          if (opts.json === true) {
            printJson({
              file,
              hdu: hdu.index,
              ctype: wcs.axes.map((a) => a.ctype),
              frame: wcs.frame,
              equinox: wcs.equinox ?? null,
              system: label,
              points: rows,
            });
            return;
          }
          for (const r of rows) {
            const sky =
              r.lng === null || r.lat === null
                ? "(no sky position)"
                : formatSky(equatorial, r.lng, r.lat, opts.degrees === true);
            process.stdout.write(
              `${sky} ${label.padEnd(8)} ${fmtPix(r.x)} ${fmtPix(r.y)}${r.inImage ? "" : " (off image)"}\n`,
            );
          }
        });
      },
    );

  fits
    .command("sky2xy")
    .description("sky → pixel like WCSTools sky2xy; prints FITS 1-based pixel coordinates")
    .argument("<file>", "FITS file with a celestial WCS")
    .argument(
      "<radec...>",
      "sky coordinate pairs: RA DEC [RA DEC ...] (RA in hours when sexagesimal, else degrees)",
    )
    .option("--hdu <n>", "HDU index or EXTNAME (default: the first image HDU)")
    .option("--wcs <letter>", "alternate WCS description A–Z (default: the primary)")
    .option(
      "--frame <frame>",
      "frame of the input coordinates (icrs, fk5, fk4, galactic, …; default: the image's)",
    )
    .option("--json", "print JSON")
    // Negative declinations ("-2:00:00") must reach the action as operands, not options.
    .allowUnknownOption()
    .action(
      async (
        file: string,
        radec: string[],
        opts: { hdu?: string; wcs?: string; frame?: string; json?: boolean },
      ) => {
        if (radec.length % 2 !== 0)
          throw new UsageError("sky2xy needs sky coordinates in pairs: RA DEC [RA DEC ...]");
        await withImage(file, opts.hdu, async (_f, hdu) => {
          const wcs = celestialWcs(hdu, opts.wcs);
          const equatorial = wcs.axes[wcs.lngAxis]?.ctype.startsWith("RA") === true;
          const hoursForSexagesimal =
            opts.frame === undefined ? equatorial : !/^(gal|sgal|supergal|ecl)/i.test(opts.frame);
          const n = radec.length / 2;
          const input = Array.from({ length: n }, (_, k) => {
            const lngText = radec[2 * k] as string;
            const latText = radec[2 * k + 1] as string;
            const lng = parseAngle(lngText, {
              unit: "deg",
              sexagesimal: hoursForSexagesimal ? "hour" : "deg",
            });
            const lat = parseLatitude(latText);
            return { lngText, latText, lng: Number(lng), lat: Number(lat) };
          });
          const native = input.map((p) => {
            if (opts.frame === undefined) return [p.lng, p.lat] as const;
            const to = skyFrameOf(wcs);
            if (to === undefined)
              throw new UsageError(`--frame cannot convert into the image's frame ${wcs.frame}`);
            return convertPosition(p.lng, p.lat, opts.frame, to);
          });
          const world = Array.from({ length: wcs.naxis }, (_, axis) =>
            Float64Array.from(native, ([lng, lat]) =>
              axis === wcs.lngAxis ? lng : axis === wcs.latAxis ? lat : (wcs.crval[axis] as number),
            ),
          );
          const pix = wcs.worldToPixel(world);
          const label = systemLabel(wcs);
          const rows = input.map((p, k) => {
            const x = nullable((pix[0] as Float64Array)[k] as number);
            const y = nullable((pix[1] as Float64Array)[k] as number);
            return { ra: p.lng, dec: p.lat, x, y, inImage: x !== null && y !== null && inImage(hdu, x, y) };
          });
          if (opts.json === true) {
            printJson({
              file,
              hdu: hdu.index,
              ctype: wcs.axes.map((a) => a.ctype),
              frame: wcs.frame,
              equinox: wcs.equinox ?? null,
              system: label,
              inputFrame: opts.frame ?? label,
              points: rows,
            });
            return;
          }
          rows.forEach((r, k) => {
            const p = input[k] as { lngText: string; latText: string };
            const xy =
              r.x === null || r.y === null
                ? "(not in projection)"
                : `${fmtPix(r.x)} ${fmtPix(r.y)}${r.inImage ? "" : " (off image)"}`;
            process.stdout.write(`${p.lngText} ${p.latText} ${opts.frame ?? label} -> ${xy}\n`);
          });
        });
      },
    );
}

function nullable(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e7) ? v.toExponential(6) : String(Number(v.toPrecision(8)));
}

function fmtPix(v: number): string {
  return v.toFixed(3).padStart(9);
}

function parsePlane(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--plane must be a non-negative integer, got "${text}"`);
  return n;
}

/** Pick the HDU: --hdu as index or EXTNAME, else the first HDU holding a ≥ 2-d image. */
function pickHdu(f: FitsFile, selector: string | undefined): HduInfo {
  if (selector !== undefined) {
    const n = Number(selector);
    return f.hdu(Number.isInteger(n) ? n : selector);
  }
  const isImage = (h: HduInfo) =>
    (h.kind === "primary" || h.kind === "image" || h.kind === "compressed-image") &&
    imageAxes(h).length >= 2 &&
    imageAxes(h).every((a) => a > 0);
  const found = f.hdus.find(isImage);
  if (found === undefined)
    throw new UsageError("no image HDU with two or more axes in this file (use --hdu)");
  return found;
}

/** Image dimensions (ZNAXISn for tile-compressed HDUs). */
function imageAxes(h: HduInfo): number[] {
  if (h.kind !== "compressed-image") return [...h.axes];
  const n = h.header.getNumber("ZNAXIS") ?? 0;
  return Array.from({ length: n }, (_, i) => h.header.getNumber(`ZNAXIS${i + 1}`) ?? 0);
}

async function withImage(
  file: string,
  hduSel: string | undefined,
  body: (f: FitsFile, hdu: HduInfo) => Promise<void>,
): Promise<void> {
  const f = await openFitsFile(file).catch((err: unknown) => {
    if (isFitsError(err)) throw err;
    throw new UsageError(`cannot open ${file}: ${(err as Error).message}`);
  });
  try {
    await body(f, pickHdu(f, hduSel));
  } finally {
    await f.close();
  }
}

function celestialWcs(hdu: HduInfo, key: string | undefined): Wcs {
  if (key !== undefined && !/^[A-Z]$/i.test(key))
    throw new UsageError(`--wcs must be one letter A–Z, got "${key}"`);
  const wcs = parseWcs(hdu.header, key === undefined ? {} : { key: key.toUpperCase() });
  if (!wcs.hasCelestial)
    throw new UsageError(
      `HDU ${hdu.index} has no celestial WCS (CTYPE ${wcs.axes.map((a) => a.ctype || "''").join(", ")})`,
    );
  return wcs;
}

function inImage(hdu: HduInfo, x: number, y: number): boolean {
  const [w = 0, h = 0] = imageAxes(hdu);
  return x >= 0.5 && x <= w + 0.5 && y >= 0.5 && y <= h + 0.5;
}

/** WCSTools-style system label: J2000, B1950, ICRS, galactic, ecliptic, … */
function systemLabel(wcs: Wcs): string {
  const eq = wcs.equinox;
  switch (wcs.frame as CelestialFrame) {
    case "FK5":
      return eq === undefined || eq === 2000 ? "J2000" : `J${eq}`;
    case "FK4":
    case "FK4-NO-E":
      return eq === undefined || eq === 1950 ? "B1950" : `B${eq}`;
    case "ICRS":
      return "ICRS";
    case "GALACTIC":
      return "galactic";
    case "ECLIPTIC":
      return "ecliptic";
    case "SUPERGALACTIC":
      return "supergalactic";
    default:
      return (wcs.frame ?? "native").toLowerCase();
  }
}

/** The @meridian/sky frame text of the image's celestial frame, when it has one. */
function skyFrameOf(wcs: Wcs): string | undefined {
  switch (wcs.frame) {
    case "ICRS":
      return "icrs";
    case "FK5":
      return `fk5(J${wcs.equinox ?? 2000})`;
    case "FK4":
      return `fk4(B${wcs.equinox ?? 1950})`;
    case "FK4-NO-E":
      return `fk4-no-e(B${wcs.equinox ?? 1950})`;
    case "GALACTIC":
      return "galactic";
    case "SUPERGALACTIC":
      return "supergalactic";
    case "ECLIPTIC":
      return `ecliptic(J${wcs.equinox ?? 2000})`;
    default:
      return undefined;
  }
}

function formatSky(equatorial: boolean, lng: number, lat: number, degrees: boolean): string {
  if (degrees || !equatorial)
    return `${lng.toFixed(6).padStart(11)} ${(lat >= 0 ? "+" : "") + lat.toFixed(6)}`;
  return `${formatSexagesimal(lng, { unit: "hour", precision: 3 })} ${formatSexagesimal(lat, { precision: 2, alwaysSign: true })}`;
}

function printStats(
  file: string,
  hdu: HduInfo,
  axes: readonly number[],
  type: string,
  plane: number | undefined,
  s: ImageStats,
  z: [number, number],
): void {
  const lines: [string, string][] = [
    [
      "image",
      `${file}[${hdu.index}]${plane !== undefined ? ` plane ${plane}` : ""}  ${axes.join(" × ")}  ${type}`,
    ],
    ["pixels", `${s.count} finite, ${s.blank} blank`],
    ["min", fmt(s.min)],
    ["max", fmt(s.max)],
    ["mean", fmt(s.mean)],
    ["std", fmt(s.std)],
    ["median", fmt(s.median)],
    ...s.percentiles.map(({ percentile, value }) => [`p${percentile}`, fmt(value)] as [string, string]),
    ["zscale", `${fmt(z[0])} .. ${fmt(z[1])}`],
  ];
  for (const [k, v] of lines) process.stdout.write(`${k.padEnd(8)} ${v}\n`);
}
