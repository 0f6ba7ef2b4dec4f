/** `[user@]host:DIR` as given to `meridian remote`. */
import { UsageError } from "../cli-error.js";

export interface RemoteTarget {
  /** What ssh connects to: `user@host`, `host`, or an alias from ssh_config. */
  readonly destination: string;
  /** The directory on the remote machine, as typed (`~/…` and relative paths are from the home). */
  readonly dir: string;
}

/**
 * Split `[user@]host:DIR`. An IPv6 address goes in brackets (`[::1]:/data`); an empty DIR means
 * the remote home directory.
 */
export function parseRemoteTarget(text: string): RemoteTarget {
  let host: string;
  let rest: string;
  const at = text.indexOf("@");
  const hostStart = at >= 0 && at < text.indexOf(":") ? at + 1 : 0;
  if (text[hostStart] === "[") {
    const close = text.indexOf("]", hostStart);
    if (close < 0 || text[close + 1] !== ":")
      throw new UsageError(
        `expected [user@]host:DIR, not ${JSON.stringify(text)} (no "]:" after the IPv6 address)`,
      );
    host = `${text.slice(0, hostStart)}${text.slice(hostStart + 1, close)}`;
    rest = text.slice(close + 2);
  } else {
    const colon = text.indexOf(":", hostStart);
    if (colon < 0) throw new UsageError(`expected [user@]host:DIR, not ${JSON.stringify(text)} (no ":")`);
    host = text.slice(0, colon);
    rest = text.slice(colon + 1);
  }
  if (host === "" || host.endsWith("@") || /[\s'"`$\\;&|<>]/.test(host) || host.startsWith("-"))
    throw new UsageError(`not a usable ssh destination: ${JSON.stringify(host)}`);
  if (rest.includes("\0")) throw new UsageError("the remote directory contains a NUL character");
  return { destination: host, dir: rest === "" ? "~" : rest };
}
