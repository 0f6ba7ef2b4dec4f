/**
 * `meridian login URL`: check credentials against a server and save them for later commands in
 * `$XDG_CONFIG_HOME/meridian/config.json` (default `~/.config/meridian/config.json`), readable by
 * the owner only (0600, folder 0700): `{ "server": URL, "apiKey": secret, "portal": slug }`.
 * With `--username` it logs in once and creates an API key (read, write, upload) for this machine,
 * so no password is stored; with `--api-key-stdin` it saves a key made elsewhere.
 */
import { chmod, mkdir, rename, writeFile } from "node:fs/promises";
import { homedir, hostname } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { UsageError } from "../cli-error.js";
import { printJson } from "../output.js";
import { readSecretFromStdin } from "../read-stdin.js";

/** Where `meridian login` keeps its settings. */
export function cliConfigPath(): string {
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "meridian", "config.json");
}

/** What `meridian login` saves. */
export interface SavedLogin {
  readonly server: string;
  readonly apiKey: string;
  readonly portal?: string;
}

/** Write `login` to {@link cliConfigPath} atomically, mode 0600 (also when the file existed). */
export async function saveLogin(login: SavedLogin): Promise<string> {
  const path = cliConfigPath();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
  return path;
}

/** Server URL as typed → `http(s)://host[:port][/path]` without a trailing slash. */
export function normaliseServerUrl(text: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`"${text}" is not a server URL (e.g. https://meridian.example.org)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`"${text}": only http and https servers are supported`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

async function failure(res: Response, what: string): Promise<Error> {
  let message = `HTTP ${res.status}`;
  let code = `HTTP_${res.status}`;
  try {
    const body = (await res.json()) as { code?: string; message?: string };
    message = body.message ?? message;
    code = body.code ?? code;
  } catch {
    // not JSON
  }
  return Object.assign(new Error(`${what}: ${message}`), { code });
}

async function request(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw Object.assign(
      new Error(
        `${what}: cannot reach ${new URL(url).origin} (${cause?.code ?? cause?.message ?? (err as Error).message})`,
      ),
      {
        code: "UNREACHABLE",
      },
    );
  }
}

/** Read a password: from standard input when piped, else typed at a prompt without echo. */
async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) return readSecretFromStdin();
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stderr.write("password: ");
  muted._writeToOutput = () => {};
  try {
    return await new Promise<string>((resolve) => rl.question("", resolve));
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

/** Log in with a password and create an API key for this machine; the session is closed after. */
async function keyFromPassword(server: string, username: string, password: string): Promise<string> {
  const login = await request(
    `${server}/api/auth/login`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    },
    "log in",
  );
  if (!login.ok) throw await failure(login, "log in");
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = (login.headers.getSetCookie?.() ?? [])
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith("meridian_session="));
  if (cookie === undefined) throw new Error("log in: the server set no session cookie");
  const session = { cookie, "x-csrf-token": csrfToken };
  const created = await request(
    `${server}/api/apikeys`,
    {
      method: "POST",
      headers: { ...session, "content-type": "application/json" },
      body: JSON.stringify({ name: `meridian CLI on ${hostname()}`, scopes: ["read", "write", "upload"] }),
    },
    "create an API key",
  );
  if (!created.ok) throw await failure(created, "create an API key");
  const { secret } = (await created.json()) as { secret: string };
  await request(`${server}/api/auth/logout`, { method: "POST", headers: session }, "log out").catch(
    () => undefined,
  );
  return secret;
}

/** Who the key belongs to (checks it works). */
async function whoAmI(server: string, apiKey: string): Promise<{ username: string }> {
  const res = await request(
    `${server}/api/auth/me`,
    { headers: { authorization: `Bearer ${apiKey}` } },
    "check the API key",
  );
  if (!res.ok) throw await failure(res, "check the API key");
  const body = (await res.json()) as { user: { username: string } };
  return body.user;
}

interface LoginOptions {
  username?: string;
  passwordStdin?: boolean;
  apiKeyStdin?: boolean;
  portal?: string;
  json?: boolean;
}

/** `meridian login URL [--username NAME [--password-stdin] | --api-key-stdin] [--portal SLUG]`. */
export function registerLoginCommand(program: Command): void {
  program
    .command("login <url>")
    .description("save a server and an API key for the portal commands (files, upload, packages)")
    .option("--username <name>", "log in as this user and create an API key for this machine")
    .option("--password-stdin", "read the password from standard input (else it is asked for)")
    .option("--api-key-stdin", "read an existing API key (mk_…) from standard input instead")
    .option("--portal <slug>", "default portal for later commands")
    .option("--json", "print the result as JSON")
    .action(async (urlText: string, options: LoginOptions) => {
      const server = normaliseServerUrl(urlText);
      if ((options.username === undefined) === (options.apiKeyStdin !== true))
        throw new UsageError("give either --username NAME or --api-key-stdin");
      let apiKey: string;
      if (options.apiKeyStdin) {
        apiKey = (await readSecretFromStdin()).trim();
        if (!apiKey.startsWith("mk_"))
          throw new UsageError("the API key read from standard input does not start with mk_");
      } else {
        const password = await readPassword(options.passwordStdin === true);
        if (password === "") throw new UsageError("empty password");
        apiKey = await keyFromPassword(server, options.username!, password);
      }
      const user = await whoAmI(server, apiKey);
      if (options.portal !== undefined) {
        const res = await request(
          `${server}/api/portals/${encodeURIComponent(options.portal)}`,
          { headers: { authorization: `Bearer ${apiKey}` } },
          "check the portal",
        );
        if (!res.ok) throw await failure(res, `portal "${options.portal}"`);
      }
      const path = await saveLogin({
        server,
        apiKey,
        ...(options.portal === undefined ? {} : { portal: options.portal }),
      });
      if (options.json) {
        printJson({ server, username: user.username, portal: options.portal ?? null, config: path });
        return;
      }
      process.stdout.write(`logged in to ${server} as ${user.username}; settings saved in ${path}\n`);
    });
}
