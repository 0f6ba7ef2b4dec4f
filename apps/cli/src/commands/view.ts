import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { startViewer } from "@meridian/server";
import type { Command } from "commander";
import { UsageError } from "../cli-error.js";

interface ViewOptions {
  host?: string;
  port?: string;
  browser?: boolean;
}

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const full = join(dir, command);
    try {
      accessSync(full, constants.X_OK);
      return full;
    } catch {
      // not here
    }
  }
  return null;
}

/** Open `url` in the desktop browser when there is a way to (xdg-open, open); never fails. */
export function openBrowser(url: string): boolean {
  const opener = process.platform === "darwin" ? onPath("open") : onPath("xdg-open");
  if (opener === null) return false;
  try {
    const child = spawn(opener, [url], { stdio: "ignore", detached: true });
    child.on("error", () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/** `meridian view DIR`: browse a directory tree of products in the browser. */
export function registerViewCommands(program: Command): void {
  program
    .command("view")
    .description(
      "browse a directory of pipeline products (logs, plots, FITS, tables, reports) in the browser",
    )
    .argument("<dir>", "directory to serve (read-only; nothing is written inside it)")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--port <port>", "TCP port (0 picks a free one)", "0")
    .option("--no-browser", "do not open a browser; just print the URL")
    .action(async (dir: string, options: ViewOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UsageError(
          `--port must be an integer from 0 to 65535, not ${JSON.stringify(options.port)}`,
        );
      }
      const viewer = await startViewer({ dir, host: options.host ?? "127.0.0.1", port });
      const out = process.stdout;
      out.write(`\nMeridian viewer for ${viewer.root}\n`);
      out.write(`  ${viewer.openUrl}\n`);
      if (options.host !== undefined && options.host !== "127.0.0.1" && options.host !== "localhost") {
        out.write(
          `  (listening on ${options.host}: anyone who can reach this port and has the token can read the tree)\n`,
        );
      }
      if (options.browser !== false && !openBrowser(viewer.openUrl)) {
        out.write("  (no browser opener found: open the URL above yourself)\n");
      }
      out.write("\nPress Ctrl-C to stop.\n\n");
      await new Promise<void>((resolveStopped) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          viewer.close().then(resolveStopped, resolveStopped);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });
}
