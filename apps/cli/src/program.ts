import { Command, CommanderError } from "commander";
import { formatCliError } from "./cli-error.js";
import { registerCommands } from "./commands/index.js";
import { cliVersion } from "./version.js";

/**
 * Build the `meridian` program. With `argv` (process.argv form), only the command group that argv
 * names is loaded, which keeps start-up fast; without it, every command is registered.
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command("meridian")
    .description("Meridian: an open science platform for astronomy")
    .version(cliVersion(), "-V, --version", "print the version and exit")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  await registerCommands(program, argv?.slice(2));
  return program;
}

/** Run the CLI on `argv` (process.argv form). Returns the exit code; errors are printed as one line. */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit with 0; usage errors (already printed by commander) exit with 2.
      return err.exitCode === 0 ? 0 : 2;
    }
    const { message, exitCode } = formatCliError(err);
    process.stderr.write(`meridian: ${message}\n`);
    return exitCode;
  }
}
