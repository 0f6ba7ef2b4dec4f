import type { Command } from "commander";

/** Register the `fits` command group. */
export function registerFitsCommands(_program: Command): void {}
