/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {
  readonly code = "USAGE";
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Codes (from any package's tagged errors) that mean the input was wrong: exit code 2. */
const INPUT_CODE =
  /^(USAGE|INVALID|BAD|PARSE|NOT_FOUND|CONFLICT|VALIDATION|CONFIG|UNKNOWN|MALFORMED|TRUNCATED)/;

/** Map any thrown value to one line and an exit code (1: failure, 2: bad input). */
export function formatCliError(err: unknown): { message: string; exitCode: number } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const firstLine = err.message.split("\n")[0] ?? err.message;
    if (err instanceof UsageError) return { message: firstLine, exitCode: 2 };
    const isInput = typeof code === "string" && INPUT_CODE.test(code);
    return {
      message: typeof code === "string" ? `${firstLine} [${code}]` : firstLine,
      exitCode: isInput ? 2 : 1,
    };
  }
  return { message: String(err), exitCode: 1 };
}
