/**
 * Fetch element-set text (TLE or OMM) from a URL a user gives, with limits: http(s) only, at most
 * `maxBytes` (streamed and cut off, never buffered past the limit), `timeoutMs` for the whole
 * exchange, a few redirects, and — unless allowed — no loopback, private, link-local or multicast
 * addresses. Names are resolved once and the connection goes to the checked address, so a DNS
 * answer cannot change between the check and the connection (rebinding).
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP } from "node:net";
import { ServerError } from "../errors.js";

/** Limits of {@link fetchElementsText}. */
export interface FetchLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  /** Allow loopback and private addresses (tests, or a server inside a trusted network). */
  readonly allowPrivate: boolean;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  maxBytes: 32 * 1024 * 1024,
  timeoutMs: 20_000,
  maxRedirects: 3,
  allowPrivate: false,
};

/** Limits from the environment: MERIDIAN_TOOLS_FETCH_MAX_BYTES, _TIMEOUT_MS, _ALLOW_PRIVATE. */
export function fetchLimitsFromEnv(env: NodeJS.ProcessEnv): FetchLimits {
  const int = (name: string, fallback: number) => {
    const v = env[name];
    const n = v === undefined ? Number.NaN : Number(v);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    maxBytes: int("MERIDIAN_TOOLS_FETCH_MAX_BYTES", DEFAULT_FETCH_LIMITS.maxBytes),
    timeoutMs: int("MERIDIAN_TOOLS_FETCH_TIMEOUT_MS", DEFAULT_FETCH_LIMITS.timeoutMs),
    maxRedirects: DEFAULT_FETCH_LIMITS.maxRedirects,
    allowPrivate: env.MERIDIAN_TOOLS_FETCH_ALLOW_PRIVATE === "true",
  };
}

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** True for addresses a server should not fetch from on a user's behalf. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1]) return blocked.check(mapped[1], "ipv4");
    return blocked.check(address, "ipv6");
  }
  return true;
}

function refuse(message: string): ServerError {
  return new ServerError("BAD_REQUEST", `elements URL: ${message}`);
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback) => {
    dnsLookup(
      hostname,
      { all: true, ...(options.family ? { family: options.family } : {}) },
      (err, addresses) => {
        if (err) {
          callback(err, []);
          return;
        }
        const ok = addresses.filter((a) => allowPrivate || !isPrivateAddress(a.address));
        if (ok.length === 0) {
          const e = Object.assign(new Error(`${hostname} resolves to a private or local address`), {
            code: "EPRIVATE",
          }) as NodeJS.ErrnoException;
          callback(e, []);
          return;
        }
        if (options.all) callback(null, ok);
        else callback(null, ok[0]?.address ?? "", ok[0]?.family);
      },
    );
  };
}

function once(
  url: URL,
  limits: FetchLimits,
  deadline: number,
): Promise<{ redirect?: string; text?: string }> {
  return new Promise((resolve, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      reject(refuse(`no complete answer within ${limits.timeoutMs} ms`));
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host) && !limits.allowPrivate && isPrivateAddress(host)) {
      reject(refuse(`${host} is a private or local address`));
      return;
    }
    let done = false;
    // Settle once; a body cut short by a limit is never returned in part.
    const finish = (err: Error | null, value?: { redirect?: string; text?: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(err instanceof ServerError ? err : refuse(`${url.host}: ${err.message}`));
      } else resolve(value ?? {});
    };
    const make = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = make(url, {
      method: "GET",
      lookup: guardedLookup(limits.allowPrivate) as never,
      headers: {
        accept: "text/plain, application/json, application/xml, text/csv, */*",
        "user-agent": "meridian-satcheck",
      },
    });
    const timer = setTimeout(
      () => finish(refuse(`no complete answer within ${limits.timeoutMs} ms`)),
      remaining,
    );
    req.on("error", (err) => finish(err));
    req.on("response", (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      res.on("error", (err) => finish(err));
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        finish(null, { redirect: new URL(res.headers.location, url).toString() });
        return;
      }
      if (status !== 200) {
        res.resume();
        finish(refuse(`${url.host} answered HTTP ${status}`));
        return;
      }
      const declared = Number(res.headers["content-length"]);
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        finish(refuse(`${declared} bytes is more than the limit of ${limits.maxBytes}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) finish(refuse(`more than the limit of ${limits.maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on("end", () => {
        if (size > limits.maxBytes) return;
        finish(null, { text: new TextDecoder("utf-8").decode(Buffer.concat(chunks)) });
      });
    });
    req.end();
  });
}

/** GET `text` of element sets from `url` within `limits`. */
export async function fetchElementsText(url: string, limits: FetchLimits): Promise<string> {
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw refuse(`"${url}" is not a URL`);
  }
  const deadline = Date.now() + limits.timeoutMs;
  for (let hop = 0; hop <= limits.maxRedirects; hop++) {
    if (current.protocol !== "http:" && current.protocol !== "https:") {
      throw refuse(`only http and https URLs are fetched, not ${current.protocol}`);
    }
    if (current.username !== "" || current.password !== "")
      throw refuse("URLs with credentials are not fetched");
    const r = await once(current, limits, deadline);
    if (r.text !== undefined) return r.text;
    current = new URL(r.redirect ?? "");
  }
  throw refuse(`more than ${limits.maxRedirects} redirects`);
}
