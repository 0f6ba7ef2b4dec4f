import type { Command } from "commander";
import { registerFitsCommands } from "./fits.js";
import { registerPlanCommands } from "./plan.js";
import { registerPlatformCommands } from "./platform.js";
import { registerRemoteCommands } from "./remote.js";
import { registerSkyCommands } from "./sky.js";
import { registerViewCommands } from "./view.js";

/** Register every command group. Each group lives in its own module. */
export function registerCommands(program: Command): void {
  registerPlatformCommands(program);
  registerSkyCommands(program);
  registerFitsCommands(program);
  registerPlanCommands(program);
  registerViewCommands(program);
  registerRemoteCommands(program);
}
