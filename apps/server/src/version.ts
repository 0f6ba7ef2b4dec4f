/** The server's version, from its package.json (read once). */
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/** Version of @meridian/server. */
export const SERVER_VERSION: string = pkg.version;
