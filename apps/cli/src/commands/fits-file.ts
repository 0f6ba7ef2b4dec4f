import type { Command } from "commander";

/** Register `meridian fits info|header|verify` under the `fits` group. */
export function registerFitsFileCommands(_fits: Command): void {}
