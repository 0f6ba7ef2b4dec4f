import type { Command } from "commander";
import { registerClusterCommands } from "./cluster.js";
import { registerFilesCommands } from "./files.js";
import { registerFitsCommands } from "./fits.js";
import { registerLoginCommand } from "./login.js";
import { registerNdviCommands } from "./ndvi.js";
import { registerPackageCommands } from "./packages.js";
import { registerPlanCommands } from "./plan.js";
import { registerPlatformCommands } from "./platform.js";
import { registerRemoteCommands } from "./remote.js";
import { registerSkyCommands } from "./sky.js";
import { registerUploadCommands } from "./upload.js";
import { registerViewCommands } from "./view.js";
import { registerWorkerCommands } from "./worker.js";

/** Register every command group. Each group lives in its own module. */
export function registerCommands(program: Command): void {
  registerPlatformCommands(program);
  registerSkyCommands(program);
  registerFitsCommands(program);
  registerPlanCommands(program);
  registerViewCommands(program);
  registerWorkerCommands(program);
  registerClusterCommands(program);
  registerRemoteCommands(program);
  registerUploadCommands(program);
  registerPackageCommands(program);
  registerLoginCommand(program);
  registerFilesCommands(program);
  registerNdviCommands(program);
}
