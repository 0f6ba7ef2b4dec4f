/** `meridian` command entry: builds the program and maps errors to one line and an exit code. */
import { runCli } from "./program.js";

process.exitCode = await runCli(process.argv);
