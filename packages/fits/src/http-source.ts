/**
 * A {@link ByteSource} over HTTP range requests (RFC 9110 §14), with `fetch` (browsers, Node ≥ 18):
 * opening a remote FITS file and reading a plane fetches only those bytes.
 */
import type { ByteSource } from "./byte-source.js";
import { FitsError } from "./errors.js";

/** Options of {@link httpSource}. */
export interface HttpSourceOptions {
  /** Extra request headers (e.g. Authorization). */
  headers?: Record<string, string>;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** Open `url` for ranged reads. The server must answer range requests with 206. */
export async function httpSource(url: string, options: HttpSourceOptions = {}): Promise<ByteSource> {
  const doFetch = options.fetch ?? fetch;
  const get = async (start: number, end: number): Promise<Response> => {
    let res: Response;
    try {
      res = await doFetch(url, { headers: { ...options.headers, Range: `bytes=${start}-${end}` } });
    } catch (err) {
      throw new FitsError("IO", `GET ${url} failed`, { offset: start }, { cause: err });
    }
    if (res.status !== 206) {
      await res.body?.cancel();
      throw new FitsError(
        res.status === 404 ? "NOT_FOUND" : "IO",
        `GET ${url} bytes ${start}-${end} answered ${res.status}, not 206 Partial Content`,
        { offset: start },
      );
    }
    return res;
  };
  // The total size is the part after "/" in Content-Range of a one-byte request.
  const first = await get(0, 0);
  const range = first.headers.get("content-range") ?? "";
  await first.arrayBuffer();
  const m = /\/(\d+)\s*$/.exec(range);
  if (!m) throw new FitsError("IO", `GET ${url}: no total size in Content-Range "${range}"`);
  const size = Number(m[1]);
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (length === 0) return new Uint8Array(0);
      const res = await get(offset, offset + length - 1);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}
