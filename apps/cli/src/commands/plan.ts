/**
 * `meridian plan` (observability of targets from a site on a night) and `meridian satcheck`
 * (satellites crossing a field during an exposure).
 */
import { readFileSync, writeFileSync } from "node:fs";
import {
  airmassChartSvg,
  type Constraints,
  type ElementSet,
  isoSecond,
  nightDocument,
  nightSpan,
  type Pointing,
  parseElements,
  parseFieldShape,
  parseHorizonProfile,
  parseTargetList,
  parseTime,
  planNight,
  resolveSite,
  resolveTarget,
  SatelliteCatalogue,
  satcheck,
  satcheckDocument,
  type Target,
  type Twilight,
  targetDocument,
  yearlyDocument,
  yearlyObservability,
} from "@meridian/plan";
import { formatSexagesimal } from "@meridian/sky";
import type { Command } from "commander";
import { UsageError } from "../cli-error.js";
import { printJson, printTable } from "../output.js";

interface PlanOpts {
  site: string;
  date?: string;
  at?: string;
  utcOffset?: string;
  step?: string;
  maxAirmass?: string;
  minAlt?: string;
  moonSep?: string;
  twilight?: string;
  haMin?: string;
  haMax?: string;
  horizon?: string;
  targets?: string;
  pressure?: string;
  temperature?: string;
  plot?: string;
  yearly?: boolean;
  json?: boolean;
}

function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`${name} "${value}" is not a number`);
  return n;
}

const iso = isoSecond;

function hhmm(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "—" : new Date(ms).toISOString().slice(11, 16);
}

function constraintsOf(o: PlanOpts): Constraints {
  let twilight: Twilight | number | null | undefined;
  if (o.twilight !== undefined) {
    const t = o.twilight.toLowerCase();
    if (t === "none") twilight = null;
    else if (t === "civil" || t === "nautical" || t === "astronomical" || t === "sunset") twilight = t;
    else twilight = num(o.twilight, "--twilight");
  }
  const haMin = num(o.haMin, "--ha-min");
  const haMax = num(o.haMax, "--ha-max");
  const c: Constraints = {
    ...(o.maxAirmass !== undefined ? { maxAirmass: num(o.maxAirmass, "--max-airmass") as number } : {}),
    ...(o.minAlt !== undefined ? { minAltitude: num(o.minAlt, "--min-alt") as number } : {}),
    ...(o.moonSep !== undefined ? { minMoonSeparation: num(o.moonSep, "--moon-sep") as number } : {}),
    ...(twilight !== undefined ? { twilight } : {}),
    ...(haMin !== undefined || haMax !== undefined
      ? { hourAngle: { min: haMin ?? -12, max: haMax ?? 12 } }
      : {}),
    ...(o.horizon !== undefined ? { horizon: parseHorizonProfile(readFileSync(o.horizon, "utf8")) } : {}),
  };
  return c;
}

function targetsOf(args: string[], o: PlanOpts): Target[] {
  const targets = args.map((a) => resolveTarget(a));
  if (o.targets) targets.push(...parseTargetList(readFileSync(o.targets, "utf8")));
  if (targets.length === 0)
    throw new UsageError('give at least one target: a name ("M 31") or "RA Dec" (quoted)');
  return targets;
}

function runPlan(args: string[], o: PlanOpts): void {
  const site = resolveSite(o.site);
  const targets = targetsOf(args, o);
  const constraints = constraintsOf(o);
  const utcOffset =
    num(o.utcOffset, "--utc-offset") ?? ("utcOffsetHours" in site ? site.utcOffsetHours : undefined);
  const pressure = num(o.pressure, "--pressure");
  const weather =
    pressure !== undefined
      ? { pressureHpa: pressure, temperatureC: num(o.temperature, "--temperature") ?? 0 }
      : undefined;
  const common = { constraints, ...(weather ? { weather } : {}) };

  if (o.at !== undefined) {
    const t = parseTime(o.at);
    const plan = planNight(targets, site, { start: t, end: t + 60000 }, { ...common, stepMinutes: 1 });
    const rows = plan.targets.map((p) => ({
      name: p.target.name,
      altitude: p.altitude[0] ?? 0,
      azimuth: p.azimuth[0] ?? 0,
      airmass: Number.isFinite(p.airmass[0] ?? Number.NaN) ? (p.airmass[0] ?? 0) : null,
      airmassKastenYoung: Number.isFinite(p.airmassKastenYoung[0] ?? Number.NaN)
        ? (p.airmassKastenYoung[0] ?? 0)
        : null,
      hourAngle: p.hourAngle[0] ?? 0,
      moonSeparation: p.moonSeparation[0] ?? 0,
      observable: p.observable[0] === 1,
    }));
    const sun = plan.night.sunAltitude[0] ?? 0;
    const moon = plan.night.moonAltitude[0] ?? 0;
    if (o.json) {
      printJson({
        site,
        time: iso(t),
        sunAltitude: sun,
        moonAltitude: moon,
        moonIllumination: plan.night.moonIllumination,
        targets: rows,
      });
      return;
    }
    process.stdout.write(
      `${iso(t)}  Sun ${sun.toFixed(1)}°  Moon ${moon.toFixed(1)}° (${Math.round(plan.night.moonIllumination * 100)}% lit)\n`,
    );
    printTable(
      ["target", "alt", "az", "airmass", "HA", "moon sep", "ok"],
      rows.map((r) => [
        r.name,
        `${r.altitude.toFixed(2)}°`,
        `${r.azimuth.toFixed(2)}°`,
        r.airmass === null ? "—" : r.airmass.toFixed(3),
        formatSexagesimal(r.hourAngle * 15, { unit: "hour", precision: 0, alwaysSign: true }),
        `${r.moonSeparation.toFixed(1)}°`,
        r.observable ? "yes" : "no",
      ]),
    );
    return;
  }

  if (o.date === undefined)
    throw new UsageError("give --date YYYY-MM-DD (the night starting that local noon) or --at TIME");
  if (o.yearly) {
    const y = yearlyObservability(targets, site, o.date, {
      ...common,
      ...(utcOffset !== undefined ? { utcOffsetHours: utcOffset } : {}),
    });
    const doc = yearlyDocument(
      y,
      targets.map((t) => t.name),
    );
    const perTarget = doc.targets;
    if (o.json) {
      printJson({ site, ...doc });
      return;
    }
    const months = perTarget[0]?.monthly.map((m) => m.month) ?? [];
    printTable(
      ["target", ...months],
      perTarget.map((t) => [t.name, ...t.monthly.map((m) => m.meanHours.toFixed(1))]),
    );
    return;
  }

  const span = nightSpan(o.date, site.longitude, utcOffset);
  const step = num(o.step, "--step") ?? 1;
  const plan = planNight(targets, site, span, { ...common, stepMinutes: step });
  if (o.plot) writeFileSync(o.plot, airmassChartSvg(plan));
  const ev = plan.night.events;
  if (o.json) {
    printJson({
      site,
      night: nightDocument(plan, span),
      constraints: { ...constraints, horizon: constraints.horizon ? o.horizon : undefined },
      targets: plan.targets.map((t) => targetDocument(t, plan.night.times, true)),
    });
    return;
  }
  process.stdout.write(
    `Night ${o.date} at ${"name" in site && site.name ? `${site.name}, ` : ""}${site.latitude}°, ${site.longitude}° (${site.elevation} m), times UTC\n` +
      `  sunset ${hhmm(ev.sunset)}  civil ${hhmm(ev.civilDusk)}  nautical ${hhmm(ev.nauticalDusk)}  astronomical ${hhmm(ev.astronomicalDusk)}\n` +
      `  astronomical ${hhmm(ev.astronomicalDawn)}  nautical ${hhmm(ev.nauticalDawn)}  civil ${hhmm(ev.civilDawn)}  sunrise ${hhmm(ev.sunrise)}\n` +
      `  moonrise ${hhmm(ev.moonrise)}  moonset ${hhmm(ev.moonset)}  illuminated ${Math.round(plan.night.moonIllumination * 100)}%\n\n`,
  );
  printTable(
    ["target", "rise", "transit", "set", "max alt", "observable", "best window", "moon"],
    plan.targets.map((t) => [
      t.target.name,
      hhmm(t.rise),
      hhmm(t.transit),
      hhmm(t.set),
      `${t.maxAltitude.toFixed(1)}°`,
      `${(t.observableMinutes / 60).toFixed(2)} h`,
      t.bestWindow ? `${hhmm(t.bestWindow.start)}–${hhmm(t.bestWindow.end)}` : "—",
      `${t.moonSeparationDeg.toFixed(0)}°`,
    ]),
  );
  if (o.plot) process.stdout.write(`\nairmass chart written to ${o.plot}\n`);
}

interface SatOpts {
  site: string;
  ra?: string;
  dec?: string;
  alt?: string;
  az?: string;
  fov: string;
  pa?: string;
  start: string;
  duration: string;
  tle: string;
  maxAge?: string;
  sunlitOnly?: boolean;
  fineStep?: string;
  json?: boolean;
}

function runSatcheck(o: SatOpts): void {
  const site = resolveSite(o.site);
  let pointing: Pointing;
  if (o.ra !== undefined && o.dec !== undefined) {
    const c = resolveTarget(`${o.ra} ${o.dec}`);
    if (c.kind !== "fixed") throw new UsageError("--ra/--dec must be coordinates");
    pointing = { ra: c.ra, dec: c.dec };
  } else if (o.alt !== undefined && o.az !== undefined) {
    pointing = { alt: num(o.alt, "--alt") as number, az: num(o.az, "--az") as number };
  } else {
    throw new UsageError("give the pointing as --ra and --dec, or --alt and --az");
  }
  const field = parseFieldShape(o.fov, num(o.pa, "--pa") ?? 0);
  const start = parseTime(o.start);
  const duration = num(o.duration, "--duration") as number;
  if (!(duration > 0)) throw new UsageError("--duration must be a positive number of seconds");
  const parsed = parseElements(readFileSync(o.tle, "utf8"));
  for (const p of parsed.problems) process.stderr.write(`meridian: ${o.tle}: ${p.message} (skipped)\n`);
  const catalogue = new SatelliteCatalogue(parsed.records as ElementSet[], {
    maxAgeDays: num(o.maxAge, "--max-age") ?? 3,
  });
  const mid = start + (duration * 1000) / 2;
  const res = satcheck({
    site,
    pointing,
    field,
    start,
    duration,
    elements: catalogue.allAt(mid),
    ...(o.sunlitOnly ? { sunlitOnly: true } : {}),
    ...(o.fineStep !== undefined ? { fineStep: num(o.fineStep, "--fine-step") as number } : {}),
  });
  if (o.json) {
    printJson({
      site,
      pointing,
      field,
      start: iso(start),
      duration,
      ...satcheckDocument(res, parsed.problems),
    });
    return;
  }
  process.stdout.write(
    `${res.crossings.length} crossing(s) of ${res.stats.objects} objects in ${res.stats.milliseconds.toFixed(0)} ms\n`,
  );
  if (res.crossings.length === 0) return;
  printTable(
    ["satellite", "norad", "entry (UTC)", "exit (UTC)", "rate °/s", "range km", "sunlit", "TLE age d"],
    res.crossings.map((c) => [
      c.name,
      c.satnum,
      new Date(c.entry.time).toISOString().slice(11, 23),
      new Date(c.exit.time).toISOString().slice(11, 23),
      c.angularRate.toFixed(3),
      c.rangeKm.toFixed(0),
      c.sunlit ? "yes" : "no",
      `${c.elements.ageDays.toFixed(2)}${c.elements.stale ? " (old)" : ""}`,
    ]),
  );
}

/** Register `meridian plan` and `meridian satcheck`. */
export function registerPlanCommands(program: Command): void {
  program
    .command("plan")
    .description(
      "observability of targets from a site on a night: rise/transit/set, twilights, Moon, airmass, best windows",
    )
    .argument("[targets...]", 'names ("M 31", "Vega", "Jupiter") or "RA Dec" ("12:30:00 -30:00:00", quoted)')
    .requiredOption(
      "--site <site>",
      "lat,lon[,elevation_m] in degrees (east positive) and metres, or an observatory id/name (ctio, paranal, …)",
    )
    .option("--date <date>", "night starting at local noon of this date (YYYY-MM-DD)")
    .option("--at <time>", "positions at one instant (ISO 8601 UTC) instead of a whole night")
    .option(
      "--utc-offset <hours>",
      "local time offset for the night boundaries (default: longitude/15 rounded)",
    )
    .option("--step <minutes>", "grid step in minutes (default 1)")
    .option("--max-airmass <X>", "maximum airmass (sec z)")
    .option("--min-alt <deg>", "minimum altitude in degrees (default 0)")
    .option("--moon-sep <deg>", "minimum Moon separation in degrees")
    .option(
      "--twilight <which>",
      "sun below: sunset, civil, nautical, astronomical (default), none, or degrees",
    )
    .option("--ha-min <hours>", "minimum hour angle")
    .option("--ha-max <hours>", "maximum hour angle")
    .option("--horizon <file>", "horizon profile: lines of 'azimuth altitude' in degrees")
    .option("--targets <file>", "CSV target list (name,ra,dec)")
    .option("--pressure <hPa>", "refract altitudes for this pressure (default: no refraction)")
    .option("--temperature <C>", "temperature for refraction (default 0 °C)")
    .option("--plot <file.svg>", "write an SVG airmass chart")
    .option("--yearly", "hours observable per night for a year from --date (monthly means)")
    .option("--json", "print JSON (per-minute series included)")
    .action((targets: string[], opts: PlanOpts) => runPlan(targets, opts));

  program
    .command("satcheck")
    .description("satellites crossing a field of view during an exposure (TLE or OMM input)")
    .requiredOption("--site <site>", "lat,lon[,elevation_m] or an observatory id/name")
    .option("--ra <ra>", "field centre RA (ICRS): hours as 12:30:00 or degrees as 187.5")
    .option("--dec <dec>", "field centre Dec (ICRS) in degrees")
    .option("--alt <deg>", "field centre altitude (telescope not tracking)")
    .option("--az <deg>", "field centre azimuth (north through east)")
    .requiredOption("--fov <fov>", "radius in degrees, or WxH in degrees")
    .option("--pa <deg>", "position angle of the H side, east of north (rectangles)")
    .requiredOption("--start <time>", "exposure start (ISO 8601 UTC)")
    .requiredOption("--duration <seconds>", "exposure length in seconds")
    .requiredOption("--tle <file>", "element sets: TLE (2/3-line) or OMM (JSON, XML, CSV)")
    .option("--max-age <days>", "flag element sets older than this (default 3)")
    .option("--sunlit-only", "only satellites lit by the Sun")
    .option("--fine-step <seconds>", "fine propagation step (default 1)")
    .option("--json", "print JSON (with tracks)")
    .action((opts: SatOpts) => runSatcheck(opts));
}
