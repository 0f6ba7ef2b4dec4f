import type { Command } from "commander";

/** Register the `sky` command group. */
export function registerSkyCommands(_program: Command): void {}
