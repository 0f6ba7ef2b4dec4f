/**
 * `--auto-init`: install this Meridian into `~/.meridian` on the remote machine, without root and
 * without a package registry there. The built workspaces (dist/, bin/, the web app's build) and
 * the production dependencies they need (resolved the way Node resolves them, from this
 * installation's node_modules; all pure JavaScript or WebAssembly, so any OS and CPU will do) are
 * streamed as one tar.gz over the existing SSH connection, unpacked into `~/.meridian/app.new`,
 * swapped in, and `~/.meridian/bin/meridian` runs it with the remote `node`.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Transform } from "node:stream";
import { fileURLToPath } from "node:url";
import { cliVersion } from "../version.js";
import type { SshConnection } from "./ssh-connection.js";

/** The command --auto-init installs (a path from the remote home). */
export const INSTALLED_COMMAND = "~/.meridian/bin/meridian";

interface PackageJson {
  name?: string;
  workspaces?: unknown;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
}

/** The repository (or installation) root this CLI runs from: apps/cli/{src,dist}/remote → root. */
export function installationRoot(): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
  if (!existsSync(join(root, "package.json")) || readPackage(root).workspaces === undefined)
    throw new Error(`--auto-init needs a built Meridian checkout; ${root} is not one`);
  return root;
}

/** Where Node would find `name` when required from `fromDir` (walking up to `root`). */
function resolvePackageDir(name: string, fromDir: string, root: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === root || dir === dirname(dir)) return null;
  }
}

/** Paths (relative to `root`) that make a runnable `meridian`: workspaces' builds and the dependency closure. */
export function installationFiles(root: string): string[] {
  const paths = new Set<string>(["package.json"]);
  const seen = new Set<string>();
  const visit = (pkgDir: string) => {
    const real = realpathSync(pkgDir);
    if (seen.has(real)) return;
    seen.add(real);
    const pkg = readPackage(real);
    const relReal = relative(root, real);
    if (!relReal.split(sep).includes("node_modules")) {
      // A workspace: its manifest, its build, and the link node_modules/<name> → it.
      for (const part of ["package.json", "bin", "dist", "drizzle"])
        if (existsSync(join(real, part))) paths.add(join(relReal, part));
      paths.add(relative(root, pkgDir));
    } else {
      paths.add(relReal);
    }
    const deps = { ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies };
    for (const name of Object.keys(deps)) {
      if (name.startsWith("@types/")) continue; // type declarations: not needed to run
      const found = resolvePackageDir(name, real, root);
      if (found !== null) visit(found);
      else if (pkg.dependencies?.[name] !== undefined)
        throw new Error(
          `--auto-init: ${name} (needed by ${pkg.name}) is not installed here; run npm install`,
        );
    }
  };
  const cli = resolvePackageDir("@meridian/cli", root, root) ?? join(root, "apps/cli");
  visit(cli);
  // The viewer's page is the web app's build, found beside the server (apps/web/dist).
  if (existsSync(join(root, "apps/web/dist/viewer.html"))) paths.add("apps/web/dist");
  else throw new Error("--auto-init: the web app is not built (apps/web/dist); run npm run build");
  // Drop paths inside other listed paths (nested node_modules come with their parent).
  const sorted = [...paths].sort();
  return sorted.filter((p) => !sorted.some((q) => q !== p && p.startsWith(`${q}${sep}`)));
}

/** Files not needed to run (source maps, type declarations): a third of the size. */
const EXCLUDES = ["*.map", "*.d.ts", "*.d.cts", "*.d.mts", "*.tsbuildinfo"];

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Pack this installation and unpack it into ~/.meridian on the remote side, showing progress. */
export async function installRemoteMeridian(
  connection: SshConnection,
  report: (line: string) => void,
): Promise<void> {
  const root = installationRoot();
  const files = installationFiles(root);
  report(`Installing Meridian ${cliVersion()} into ~/.meridian on ${connection.destination} …`);
  const tar = spawn(
    "tar",
    ["-czf", "-", "-C", root, ...EXCLUDES.map((e) => `--exclude=${e}`), "--", ...files],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let tarError = "";
  tar.stderr.on("data", (d: Buffer) => {
    tarError += d.toString();
  });
  let sent = 0;
  let lastReport = Date.now();
  const counter = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      sent += chunk.length;
      if (Date.now() - lastReport > 1000) {
        lastReport = Date.now();
        report(`  ${megabytes(sent)} sent`);
      }
      callback(null, chunk);
    },
  });
  // One line of sh (see shell-quote.ts); \041 is "!" (csh would expand a literal one).
  const script = [
    "set -e",
    'd="$HOME/.meridian"',
    'mkdir -p "$d/bin"',
    'rm -rf "$d/app.new" "$d/app.old"',
    'mkdir "$d/app.new"',
    'tar -xzf - -C "$d/app.new"',
    'if [ -d "$d/app" ]; then mv "$d/app" "$d/app.old"; fi',
    'mv "$d/app.new" "$d/app"',
    'rm -rf "$d/app.old"',
    'n="$(command -v node)"',
    `printf '#\\041/bin/sh\\nexec "%s" "$HOME/.meridian/app/apps/cli/bin/meridian.js" "$@"\\n' "$n" > "$d/bin/meridian"`,
    'chmod 755 "$d/bin/meridian"',
  ].join("; ");
  const tarDone = new Promise<number | null>((r) => tar.once("close", r));
  const result = await connection.run(script, tar.stdout.pipe(counter));
  // The session can end before tar does (Ctrl-C, a dropped connection, a full remote disk):
  // then nobody reads tar's output any more, so stop it rather than leave it blocked.
  if (result.code !== 0 && tar.exitCode === null && tar.signalCode === null) tar.kill();
  const tarCode = await tarDone;
  if (result.code !== 0)
    throw new Error(
      `--auto-init: unpacking on ${connection.destination} failed: ${result.stderr.trim() || `exit ${result.code}`}`,
    );
  if (tarCode !== 0) throw new Error(`--auto-init: tar failed here: ${tarError.trim()}`);
  report(`  done (${megabytes(sent)})`);
}
