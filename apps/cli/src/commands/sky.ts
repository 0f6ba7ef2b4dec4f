import { readFileSync } from "node:fs";
import {
  convertPosition,
  type Frame,
  formatFrame,
  formatSexagesimal,
  parseCoordinates,
  parseFrame,
  positionAngle,
  separation,
  Time,
} from "@meridian/sky";
import type { Command } from "commander";
import { UsageError } from "../cli-error.js";
import { printJson } from "../output.js";
import { registerSkyIndexCommands } from "./sky-index.js";

const EQUATORIAL = new Set(["icrs", "fk5", "fk4", "fk4-no-e"]);

function frameWithEpoch(text: string, epoch: string | undefined): Frame {
  const frame = parseFrame(text);
  if (
    epoch !== undefined &&
    (frame.name === "fk4" || frame.name === "fk4-no-e") &&
    frame.obstime === undefined
  ) {
    frame.obstime = Time.parse(/^[jb]/i.test(epoch) ? epoch.toUpperCase() : epoch, "tt");
  }
  return frame;
}

function coordsOf(parts: string[], frame: Frame): [number, number] {
  if (parts.length === 0) throw new UsageError('give the coordinates, e.g. "12:34:42.5 +47:22:52"');
  // Equatorial frames read bare sexagesimal longitudes as hours (RA); others as degrees.
  return parseCoordinates(parts.join(" "), { lonSexagesimal: EQUATORIAL.has(frame.name) ? "hour" : "deg" });
}

function describe(lon: number, lat: number, frame: Frame) {
  const eq = EQUATORIAL.has(frame.name);
  return {
    lon,
    lat,
    lonSexagesimal: formatSexagesimal(lon, {
      unit: eq ? "hour" : "deg",
      precision: eq ? 4 : 3,
      pad: eq ? 2 : 3,
    }),
    latSexagesimal: formatSexagesimal(lat, { precision: 3, alwaysSign: true }),
  };
}

/** Register the `meridian sky` command group (convert, sep; healpix and moc via sky-index.ts). */
export function registerSkyCommands(program: Command): void {
  const sky = program.command("sky").description("angles, frames, separations, HEALPix and MOC");

  sky
    .command("convert")
    .description(
      "convert a position between frames (icrs, fk5, fk4, galactic, supergalactic, ecliptic, …), like WCSTools skycoor",
    )
    .argument(
      "[coords...]",
      'position: "12:34:42.5 +47:22:52", "12h34m42.5s +47d22m52s" or "188.677 47.381" (quote it)',
    )
    .requiredOption(
      "--from <frame>",
      "input frame: icrs, fk5, fk5(J1975), J2000, fk4, B1950, galactic, supergalactic, ecliptic(J2024.5), …",
    )
    .requiredOption("--to <frame>", "output frame (same names)")
    .option("--epoch <epoch>", "epoch of observation for FK4 frames (e.g. J1983.5 or 1983-07-01)")
    .option(
      "--file <path>",
      "read positions from a file, one per line ('#' starts a comment), instead of arguments",
    )
    .option("--json", "print JSON")
    .action(
      (
        coords: string[],
        opts: { from: string; to: string; epoch?: string; file?: string; json?: boolean },
      ) => {
        const from = frameWithEpoch(opts.from, opts.epoch);
        const to = frameWithEpoch(opts.to, opts.epoch);
        const inputs: { text: string; line?: number }[] = [];
        if (opts.file !== undefined) {
          if (coords.length > 0)
            throw new UsageError("give positions either as arguments or with --file, not both");
          const lines = readFileSync(opts.file, "utf8").split(/\r?\n/);
          lines.forEach((l, i) => {
            const text = l.replace(/#.*/, "").trim();
            if (text !== "") inputs.push({ text, line: i + 1 });
          });
        } else {
          if (coords.length === 0)
            throw new UsageError('give the position, e.g. "12:34:42.5 +47:22:52", or --file');
          inputs.push({ text: coords.join(" ") });
        }
        const results = inputs.map(({ text, line }) => {
          let lonLat: [number, number];
          try {
            lonLat = coordsOf([text], from);
          } catch (err) {
            if (line !== undefined && err instanceof Error)
              err.message = `${opts.file}:${line}: ${err.message}`;
            throw err;
          }
          const [l2, b2] = convertPosition(lonLat[0], lonLat[1], from, to);
          return {
            input: { frame: formatFrame(from), ...describe(lonLat[0], lonLat[1], from) },
            output: { frame: formatFrame(to), ...describe(l2, b2, to) },
          };
        });
        if (opts.json) {
          printJson(opts.file === undefined ? results[0] : results);
          return;
        }
        for (const { output } of results) {
          process.stdout.write(
            `${output.lonSexagesimal} ${output.latSexagesimal}  ${output.lon.toFixed(8)} ${output.lat >= 0 ? "+" : ""}${output.lat.toFixed(8)}  ${output.frame}\n`,
          );
        }
      },
    );

  sky
    .command("sep")
    .description("angular separation (Vincenty) and position angle from <a> to <b>, both in one frame")
    .argument("<a>", 'first position, e.g. "12:34:42.5 +47:22:52" or "188.677 47.381"')
    .argument("<b>", "second position")
    .option(
      "--frame <frame>",
      "frame of both positions (decides whether bare sexagesimal longitudes are hours)",
      "icrs",
    )
    .option("--json", "print JSON")
    .action((a: string, b: string, opts: { frame: string; json?: boolean }) => {
      const frame = parseFrame(opts.frame);
      const [l1, b1] = coordsOf([a], frame);
      const [l2, b2] = coordsOf([b], frame);
      const sep = separation(l1, b1, l2, b2);
      const pa = positionAngle(l1, b1, l2, b2);
      if (opts.json) {
        printJson({
          frame: formatFrame(frame),
          a: { lon: l1, lat: b1 },
          b: { lon: l2, lat: b2 },
          separation: { deg: sep, arcmin: sep * 60, arcsec: sep * 3600 },
          positionAngle: pa,
        });
        return;
      }
      process.stdout.write(
        `${sep.toFixed(9)} deg  ${(sep * 60).toFixed(7)} arcmin  ${(sep * 3600).toFixed(5)} arcsec  PA ${pa.toFixed(6)} deg\n`,
      );
    });

  registerSkyIndexCommands(sky);
}
