import { loadConfig, startServer } from "@meridian/server";
import type { Command } from "commander";

interface ServeOptions {
  host?: string;
  port?: string;
  home?: string;
}

/** `meridian serve`: start the platform server and print where to reach it. */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("start the Meridian server (embedded PGlite and local storage unless DATABASE_URL is set)")
    .option("--host <host>", "interface to listen on (env HOST, default 127.0.0.1)")
    .option("--port <port>", "TCP port (env PORT, default 8080; 0 picks a free one)")
    .option("--home <dir>", "data directory (env MERIDIAN_HOME, default ./.meridian)")
    .action(async (options: ServeOptions) => {
      const env = { ...process.env };
      if (options.host !== undefined) env.HOST = options.host;
      if (options.port !== undefined) env.PORT = options.port;
      if (options.home !== undefined) env.MERIDIAN_HOME = options.home;
      const config = loadConfig(env);
      const server = await startServer(config);
      const out = process.stdout;
      out.write(`\nMeridian is running at ${server.url}\n`);
      out.write(
        `  database: ${server.database.kind}${config.databaseUrl === null ? ` (${config.pgliteDir})` : ""}\n`,
      );
      out.write(`  storage:  ${config.storageDir}\n`);
      out.write(`  API docs: ${server.url}/api/docs\n`);
      const first = server.firstStart;
      if (first !== null) {
        out.write("\nFirst start: accounts created\n");
        out.write(`  admin user:     ${first.adminUsername}\n`);
        out.write(`  admin password: ${first.adminPassword}\n`);
        if (first.demoUsername !== null && first.demoPassword !== null) {
          out.write(`  demo user:      ${first.demoUsername} / ${first.demoPassword}\n`);
        }
        if (first.adminPasswordSource === "generated") {
          out.write(`  (the admin password is also saved in ${server.adminPasswordFile ?? config.home})\n`);
        }
      } else if (server.adminPasswordFile !== null) {
        out.write(`\nLog in as admin; the first admin password is in ${server.adminPasswordFile}\n`);
      }
      out.write("\nPress Ctrl-C to stop.\n\n");
      await new Promise<void>((resolveStopped) => {
        server.app.server.once("close", () => resolveStopped());
      });
    });
}
