import type { Command } from "commander";

/** Register `meridian plan` and `meridian satcheck`. */
export function registerPlanCommands(_program: Command): void {}
