/**
 * Debian tools that tests use as oracles (fitsverify, fpack, astropy through /usr/bin/python3).
 * When a tool is missing and `CI=true`, it is installed with apt-get; otherwise the caller skips
 * with the printed reason.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const PATH_DIRS = ["/usr/bin", "/usr/local/bin", "/bin"];

function find(binary: string): string | null {
  if (binary.startsWith("/")) return existsSync(binary) ? binary : null;
  for (const d of PATH_DIRS) if (existsSync(`${d}/${binary}`)) return `${d}/${binary}`;
  return null;
}

function aptInstall(aptPackage: string): void {
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const cmd = root ? "apt-get" : "sudo";
  const args = root ? ["install", "-y", aptPackage] : ["apt-get", "install", "-y", aptPackage];
  const r = spawnSync(cmd, args, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (r.status !== 0) {
    spawnSync(cmd, root ? ["update"] : ["apt-get", "update"], { stdio: "inherit" });
    spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  }
}

/**
 * Absolute path of `binary`, installing `aptPackage` first when it is missing and `CI=true`.
 * Returns null (and prints why) when the tool is not available.
 */
export function ensureDebianTool(binary: string, aptPackage: string): string | null {
  let path = find(binary);
  if (path === null && process.env.CI === "true") {
    aptInstall(aptPackage);
    path = find(binary);
  }
  if (path === null) console.warn(`skipping: ${binary} not found (Debian package ${aptPackage})`);
  return path;
}

/**
 * `/usr/bin/python3` when it can import `module`, installing `aptPackage` when missing and
 * `CI=true`; otherwise null with the reason printed.
 */
export function ensureDebianPython(module: string, aptPackage: string): string | null {
  const python = ensureDebianTool("/usr/bin/python3", "python3");
  if (python === null) return null;
  const ok = () => spawnSync(python, ["-c", `import ${module}`], { stdio: "ignore" }).status === 0;
  if (!ok() && process.env.CI === "true") aptInstall(aptPackage);
  if (!ok()) {
    console.warn(`skipping: python module ${module} not importable (Debian package ${aptPackage})`);
    return null;
  }
  return python;
}

/** Run a tool and return stdout (stderr folded in), never throwing on a non-zero exit. */
export function runTool(
  binary: string,
  args: readonly string[],
  input?: string,
): { status: number; output: string } {
  try {
    const output = execFileSync(binary, [...args], {
      input,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    });
    return { status: 0, output };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    return { status: e.status ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}
