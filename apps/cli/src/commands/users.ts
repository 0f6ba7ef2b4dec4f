import { randomBytes } from "node:crypto";
import {
  createUser,
  deleteOtherSessions,
  findUserByUsername,
  listUsers,
  setPassword,
} from "@meridian/server";
import type { Command } from "commander";
import { UsageError } from "../cli-error.js";
import { printJson, printTable } from "../output.js";
import { readSecretFromStdin } from "../read-stdin.js";
import { withDatabase } from "./with-database.js";

interface CreateOptions {
  password?: string;
  passwordStdin?: boolean;
  admin?: boolean;
  displayName?: string;
  email?: string;
  json?: boolean;
}

/** `meridian users create|list`: manage accounts directly in the configured database. */
export function registerUserCommands(program: Command): void {
  const users = program.command("users").description("manage user accounts (on the configured database)");
  users
    .command("create <username>")
    .description("create a user; prints a generated password unless one is given")
    .option(
      "--password <password>",
      "the password (prefer --password-stdin: arguments are visible to other users)",
    )
    .option("--password-stdin", "read the password from standard input")
    .option("--admin", "make the user an administrator")
    .option("--display-name <name>", "name shown in the web app")
    .option("--email <email>", "e-mail address")
    .option("--json", "print the result as JSON")
    .action(async (username: string, options: CreateOptions) => {
      const given = options.passwordStdin ? await readSecretFromStdin() : options.password;
      const password = given ?? randomBytes(15).toString("base64url");
      const user = await withDatabase((db) =>
        createUser(db, {
          username,
          password,
          isAdmin: options.admin === true,
          ...(options.displayName === undefined ? {} : { displayName: options.displayName }),
          ...(options.email === undefined ? {} : { email: options.email }),
        }),
      );
      const generated = given === undefined ? password : null;
      if (options.json) {
        printJson({ user, ...(generated === null ? {} : { password: generated }) });
        return;
      }
      process.stdout.write(`created user ${user.username}${user.isAdmin ? " (admin)" : ""} id=${user.id}\n`);
      if (generated !== null) process.stdout.write(`password: ${generated}\n`);
    });
  users
    .command("set-password <username>")
    .description("set a new password (ends the user's sessions); prints a generated one unless given")
    .option("--password-stdin", "read the new password from standard input")
    .option("--json", "print the result as JSON")
    .action(async (username: string, options: { passwordStdin?: boolean; json?: boolean }) => {
      const given = options.passwordStdin ? await readSecretFromStdin() : undefined;
      const password = given ?? randomBytes(15).toString("base64url");
      await withDatabase(async (db) => {
        const user = await findUserByUsername(db, username);
        if (user === null) throw new UsageError(`no user named "${username}"`);
        await setPassword(db, user.id, password);
        await deleteOtherSessions(db, user.id, null);
      });
      const generated = given === undefined ? password : null;
      if (options.json) {
        printJson({ username, ...(generated === null ? {} : { password: generated }) });
        return;
      }
      process.stdout.write(`new password set for ${username}\n`);
      if (generated !== null) process.stdout.write(`password: ${generated}\n`);
    });
  users
    .command("list")
    .description("list users")
    .option("--json", "print the result as JSON")
    .action(async (options: { json?: boolean }) => {
      const { items, total } = await withDatabase((db) => listUsers(db, { limit: 1000 }));
      if (options.json) {
        printJson({ items, total });
        return;
      }
      printTable(
        ["USERNAME", "ADMIN", "NAME", "CREATED"],
        items.map((u) => [u.username, u.isAdmin ? "yes" : "no", u.displayName, u.createdAt]),
      );
    });
}
