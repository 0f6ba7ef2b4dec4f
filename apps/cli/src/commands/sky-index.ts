import type { Command } from "commander";

/** Register `meridian sky healpix` and `meridian sky moc` under the `sky` group. */
export function registerSkyIndexCommands(_sky: Command): void {}
