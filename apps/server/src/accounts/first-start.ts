/**
 * First start: on an empty database create the first admin (password from MERIDIAN_ADMIN_PASSWORD
 * or generated) and, with MERIDIAN_DEMO on, a demo user. A generated admin password is also
 * written to `$MERIDIAN_HOME/initial-admin-password` (mode 0600) so later starts can point to it.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "../db/database.js";
import { isServerError } from "../errors.js";
import { createDemoPortal } from "../portal/demo.js";
import { recordAudit } from "./audit.js";
import { countUsers, createUser } from "./users.js";

/** Credentials created on first start, for the caller to print. */
export interface FirstStart {
  readonly adminUsername: string;
  readonly adminPassword: string;
  /** Whether the admin password came from MERIDIAN_ADMIN_PASSWORD or was generated. */
  readonly adminPasswordSource: "environment" | "generated";
  /** The demo user, when MERIDIAN_DEMO is on. */
  readonly demoUsername: string | null;
  readonly demoPassword: string | null;
}

export const ADMIN_USERNAME = "admin";
export const DEMO_USERNAME = "demo";
export const INITIAL_ADMIN_PASSWORD_FILE = "initial-admin-password";

/** A random password of 20 URL-safe characters (120 bits). */
export function generatePassword(): string {
  return randomBytes(15).toString("base64url");
}

/**
 * Create the first accounts when the database has no user yet; null when it already has users
 * (or another process created them first).
 */
export async function ensureFirstStart(
  db: Database,
  options: { home: string; adminPassword: string | null; demo: boolean },
): Promise<FirstStart | null> {
  if ((await countUsers(db)) > 0) return null;
  const adminPassword = options.adminPassword ?? generatePassword();
  try {
    const admin = await createUser(db, {
      username: ADMIN_USERNAME,
      password: adminPassword,
      displayName: "Administrator",
      isAdmin: true,
    });
    await recordAudit(db, { action: "user.created", target: admin.id, details: { firstStart: true } });
  } catch (err) {
    if (isServerError(err, "CONFLICT")) return null;
    throw err;
  }
  if (options.adminPassword === null) {
    await mkdir(options.home, { recursive: true });
    await writeFile(join(options.home, INITIAL_ADMIN_PASSWORD_FILE), `${adminPassword}\n`, { mode: 0o600 });
  }
  let demoPassword: string | null = null;
  if (options.demo) {
    demoPassword = generatePassword();
    const demo = await createUser(db, {
      username: DEMO_USERNAME,
      password: demoPassword,
      displayName: "Demo Astronomer",
      email: "demo@example.org",
    });
    await recordAudit(db, {
      action: "user.created",
      target: demo.id,
      details: { firstStart: true, demo: true },
    });
    await createDemoPortal(db, demo.id);
  }
  return {
    adminUsername: ADMIN_USERNAME,
    adminPassword,
    adminPasswordSource: options.adminPassword === null ? "generated" : "environment",
    demoUsername: options.demo ? DEMO_USERNAME : null,
    demoPassword,
  };
}
