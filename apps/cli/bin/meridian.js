#!/usr/bin/env node
// Entry point for `meridian` / `npx meridian`: runs the built CLI.

// `meridian … | head` closes our stdout early: stop quietly, as Unix tools do.
process.stdout.on("error", (err) => {
  if (err && err.code === "EPIPE") process.exit(0);
  throw err;
});

import("../dist/main.js").catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/main.js")) {
    console.error(
      "meridian: the CLI is not built; run `npm install` (or `npm run build`) at the repository root",
    );
    process.exit(2);
  }
  throw err;
});
