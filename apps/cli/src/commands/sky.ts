import type { Command } from "commander";
import { registerSkyIndexCommands } from "./sky-index.js";

/** Register the `meridian sky` command group (convert, sep; healpix and moc via sky-index.ts). */
export function registerSkyCommands(program: Command): void {
  const sky = program.command("sky").description("angles, frames, separations, HEALPix and MOC");
  registerSkyIndexCommands(sky);
}
