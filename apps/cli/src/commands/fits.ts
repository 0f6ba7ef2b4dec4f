import type { Command } from "commander";
import { registerFitsFileCommands } from "./fits-file.js";

/** Register the `meridian fits` command group (stats, render, xy2sky, sky2xy; info/header/verify via fits-file.ts). */
export function registerFitsCommands(program: Command): void {
  const fits = program.command("fits").description("inspect, verify and render FITS files");
  registerFitsFileCommands(fits);
}
