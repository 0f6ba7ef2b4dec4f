import { Command, CommanderError } from "commander";
import { formatCliError } from "./cli-error.js";
import { registerCommands } from "./commands/index.js";
import { cliVersion } from "./version.js";

/** Build the `meridian` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command("meridian")
    .description("Meridian: an open science platform for astronomy")
    .version(cliVersion(), "-V, --version", "print the version and exit")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Run the CLI on `argv` (process.argv form). Returns the exit code; errors are printed as one line. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
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
