import type { Command } from "commander";

/** Register the `platform` command group. */
export function registerPlatformCommands(_program: Command): void {}
