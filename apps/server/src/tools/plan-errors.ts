/** `PlanError`s from `@meridian/plan` become client errors (400) with the package's message. */
import { isPlanError } from "@meridian/plan";
import { isServerError, ServerError } from "../errors.js";

/** A thrown value as a {@link ServerError} when it is a planning input problem; others unchanged. */
export function planErrorToServer(err: unknown): unknown {
  if (isServerError(err)) return err;
  if (isPlanError(err)) {
    const where =
      err.line !== undefined
        ? ` (line ${err.line}${err.column !== undefined ? `, column ${err.column}` : ""})`
        : "";
    return new ServerError("BAD_REQUEST", `${err.code}: ${err.message}${where}`, { cause: err });
  }
  return err;
}

/** Run `fn`, turning planning errors into 400s. */
export async function asClientErrors<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw planErrorToServer(err);
  }
}
