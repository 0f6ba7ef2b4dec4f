import type { Command } from "commander";
import { registerApiKeyCommands } from "./apikeys.js";
import { registerServeCommand } from "./serve.js";
import { registerUserCommands } from "./users.js";

/** Register the platform commands: `serve`, `users`, `apikeys`. */
export function registerPlatformCommands(program: Command): void {
  registerServeCommand(program);
  registerUserCommands(program);
  registerApiKeyCommands(program);
}
