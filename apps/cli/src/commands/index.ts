/**
 * Every command group, loaded on demand: `meridian plan …` imports only the plan module (and what it
 * needs), so a command starts without loading the server, compute or array packages. Help, an
 * unknown command or no command at all load every group, so the full list and suggestions appear.
 */
import type { Command } from "commander";

type Register = (program: Command) => void;

/** Top-level command names → the module that registers them. Each group lives in its own module. */
const GROUPS: readonly { names: readonly string[]; load: () => Promise<Register> }[] = [
  {
    names: ["serve", "users", "apikeys"],
    load: async () => (await import("./platform.js")).registerPlatformCommands,
  },
  { names: ["sky"], load: async () => (await import("./sky.js")).registerSkyCommands },
  { names: ["fits"], load: async () => (await import("./fits.js")).registerFitsCommands },
  { names: ["plan", "satcheck"], load: async () => (await import("./plan.js")).registerPlanCommands },
  { names: ["view"], load: async () => (await import("./view.js")).registerViewCommands },
  { names: ["worker"], load: async () => (await import("./worker.js")).registerWorkerCommands },
  { names: ["cluster"], load: async () => (await import("./cluster.js")).registerClusterCommands },
  { names: ["remote"], load: async () => (await import("./remote.js")).registerRemoteCommands },
  { names: ["upload"], load: async () => (await import("./upload.js")).registerUploadCommands },
  { names: ["packages"], load: async () => (await import("./packages.js")).registerPackageCommands },
  { names: ["login"], load: async () => (await import("./login.js")).registerLoginCommand },
  { names: ["files"], load: async () => (await import("./files.js")).registerFilesCommands },
  { names: ["ndvi"], load: async () => (await import("./ndvi.js")).registerNdviCommands },
];

/** Every top-level command name, in help order. */
export const COMMAND_NAMES: readonly string[] = GROUPS.flatMap((group) => group.names);

/** The first word of `args` (process.argv without node and script) that is not an option. */
function firstOperand(args: readonly string[]): string | undefined {
  return args.find((arg) => !arg.startsWith("-"));
}

/**
 * Register command groups on `program`: only the group of the command named in `args`, or every
 * group when `args` is omitted or names none of them (help, typos), and none for a bare `--version`.
 */
export async function registerCommands(program: Command, args?: readonly string[]): Promise<void> {
  const name = args === undefined ? undefined : firstOperand(args);
  // `meridian --version` needs no command at all.
  if (args !== undefined && name === undefined && args.some((a) => a === "-V" || a === "--version")) return;
  const wanted = GROUPS.filter((group) => name !== undefined && group.names.includes(name));
  const groups = wanted.length > 0 ? wanted : GROUPS;
  const registers = await Promise.all(groups.map((group) => group.load()));
  for (const register of registers) register(program);
}
