/** The CLI loads only the command group it runs; every command stays reachable that way. */
import { Command } from "commander";
import { expect, test } from "vitest";
import { COMMAND_NAMES, registerCommands } from "../src/commands/index.js";
import { runCaptured } from "./capture.js";

function names(program: Command): string[] {
  return program.commands.map((command) => command.name()).sort();
}

test("with no arguments every group registers, and the registered commands are exactly COMMAND_NAMES", async () => {
  const program = new Command("meridian");
  await registerCommands(program);
  expect(names(program)).toEqual([...COMMAND_NAMES].sort());
});

test.each(COMMAND_NAMES)("`meridian %s …` loads a group that registers %s", async (name) => {
  const program = new Command("meridian");
  await registerCommands(program, ["--json", name, "x"]);
  expect(names(program)).toContain(name);
  expect(names(program).length).toBeLessThan(COMMAND_NAMES.length);
});

test("help and unknown commands see every command; a bare --version loads none", async () => {
  for (const args of [["--help"], ["nosuch"], []]) {
    const program = new Command("meridian");
    await registerCommands(program, args);
    expect(names(program)).toEqual([...COMMAND_NAMES].sort());
  }
  const program = new Command("meridian");
  await registerCommands(program, ["--version"]);
  expect(names(program)).toEqual([]);
});

test("the full help lists every command", async () => {
  const result = await runCaptured(["--help"]);
  for (const name of COMMAND_NAMES) expect(result.stdout).toContain(name);
});
