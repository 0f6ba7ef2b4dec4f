/**
 * Quoting for the remote shell. ssh hands one command line to the user's login shell (sh, bash,
 * zsh, csh, fish, …); every script here is a single line run as `sh -c '<script>'`, with single
 * quotes only, so it means the same to all of them.
 */

/** `s` as one POSIX shell word. */
export function shQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** A remote path as a shell word; `~` and `~/…` become the remote `$HOME`. */
export function remotePathWord(path: string): string {
  if (path === "~") return '"$HOME"';
  if (path.startsWith("~/")) return `"$HOME"/${shQuote(path.slice(2))}`;
  return shQuote(path);
}

/**
 * The command line for ssh that runs `script` (one line) with the remote POSIX sh; `label`
 * becomes its `$0`, so the process can be recognised in `ps` on the remote machine.
 */
export function shCommand(script: string, label = "sh"): string {
  if (script.includes("\n")) throw new Error("remote scripts must be one line (csh login shells)");
  return `sh -c ${shQuote(script)} ${shQuote(label)}`;
}
