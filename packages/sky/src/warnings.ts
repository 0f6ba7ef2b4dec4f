/**
 * Non-fatal warnings (an expired leap-second table, a date outside the Earth-orientation table).
 * Each distinct warning is reported once per process; the handler is replaceable.
 */

/** Receives each warning once: a stable `key` and a readable `message`. */
export type SkyWarningHandler = (key: string, message: string) => void;

let handler: SkyWarningHandler = (_key, message) => {
  console.warn(`@meridian/sky: ${message}`);
};
const seen = new Set<string>();

/** Replace the warning handler (for example to collect warnings or silence them). Returns the old one. */
export function setSkyWarningHandler(next: SkyWarningHandler): SkyWarningHandler {
  const old = handler;
  handler = next;
  return old;
}

/** Report a warning once per `key`. */
export function warnOnce(key: string, message: string): void {
  if (seen.has(key)) return;
  seen.add(key);
  handler(key, message);
}
