import {
  createApiKey,
  findUserByUsername,
  listApiKeys,
  revokeApiKey,
  SCOPES,
  type Scope,
} from "@meridian/server";
import { type Command, InvalidArgumentError } from "commander";
import { UsageError } from "../cli-error.js";
import { printJson, printTable } from "../output.js";
import { withDatabase } from "./with-database.js";

function parseScopes(text: string): Scope[] {
  const scopes = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const s of scopes) {
    if (!(SCOPES as readonly string[]).includes(s)) {
      throw new InvalidArgumentError(`unknown scope "${s}" (expected ${SCOPES.join(", ")})`);
    }
  }
  if (scopes.length === 0) throw new InvalidArgumentError("give at least one scope");
  return scopes as Scope[];
}

async function userId(db: Parameters<typeof findUserByUsername>[0], username: string): Promise<string> {
  const user = await findUserByUsername(db, username);
  if (user === null) throw new UsageError(`no user named "${username}"`);
  return user.id;
}

/** `meridian apikeys create|list|revoke`: manage a user's API keys in the configured database. */
export function registerApiKeyCommands(program: Command): void {
  const keys = program.command("apikeys").description("manage API keys (on the configured database)");
  keys
    .command("create")
    .description("create an API key; the secret is printed once and never stored")
    .requiredOption("--user <username>", "owner of the key")
    .requiredOption("--name <name>", "a name to recognise the key by")
    .option("--scopes <list>", `comma-separated scopes (${SCOPES.join(", ")})`, parseScopes, [
      "read",
    ] as Scope[])
    .option("--expires <iso-date>", "when the key stops working (ISO 8601)")
    .option("--json", "print the result as JSON")
    .action(
      async (options: { user: string; name: string; scopes: Scope[]; expires?: string; json?: boolean }) => {
        if (options.expires !== undefined && Number.isNaN(Date.parse(options.expires))) {
          throw new UsageError(`--expires: "${options.expires}" is not an ISO 8601 date`);
        }
        const result = await withDatabase(async (db) =>
          createApiKey(db, await userId(db, options.user), {
            name: options.name,
            scopes: options.scopes,
            expiresAt: options.expires ?? null,
          }),
        );
        if (options.json) {
          printJson(result);
          return;
        }
        process.stdout.write(
          `created API key ${result.apiKey.name} (${result.apiKey.id}) scopes ${result.apiKey.scopes.join(",")}\n`,
        );
        process.stdout.write(`secret (shown once, store it now): ${result.secret}\n`);
      },
    );
  keys
    .command("list")
    .description("list a user's API keys")
    .requiredOption("--user <username>", "owner of the keys")
    .option("--json", "print the result as JSON")
    .action(async (options: { user: string; json?: boolean }) => {
      const items = await withDatabase(async (db) => listApiKeys(db, await userId(db, options.user)));
      if (options.json) {
        printJson({ items });
        return;
      }
      printTable(
        ["ID", "NAME", "PREFIX", "SCOPES", "CREATED", "LAST USED", "STATUS"],
        items.map((k) => [
          k.id,
          k.name,
          k.prefix,
          k.scopes.join(","),
          k.createdAt,
          k.lastUsedAt ?? "never",
          k.revokedAt !== null
            ? "revoked"
            : k.expiresAt !== null && Date.parse(k.expiresAt) < Date.now()
              ? "expired"
              : "active",
        ]),
      );
    });
  keys
    .command("revoke <id>")
    .description("revoke an API key; it stops working at once")
    .requiredOption("--user <username>", "owner of the key")
    .option("--json", "print the result as JSON")
    .action(async (id: string, options: { user: string; json?: boolean }) => {
      const key = await withDatabase(async (db) => revokeApiKey(db, await userId(db, options.user), id));
      if (options.json) {
        printJson({ apiKey: key });
        return;
      }
      process.stdout.write(`revoked API key ${key.name} (${key.id})\n`);
    });
}
