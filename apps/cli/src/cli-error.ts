/** Map any thrown value to one line and an exit code (1: failure, 2: bad input). */
export function formatCliError(err: unknown): { message: string; exitCode: number } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const isInput = typeof code === "string" && /^(INVALID|BAD|PARSE|NOT_FOUND|USAGE)/.test(code);
    const firstLine = err.message.split("\n")[0] ?? err.message;
    return {
      message: typeof code === "string" ? `${firstLine} [${code}]` : firstLine,
      exitCode: isInput ? 2 : 1,
    };
  }
  return { message: String(err), exitCode: 1 };
}
