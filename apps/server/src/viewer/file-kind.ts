/**
 * What a file is, for choosing how to show it. From the name first (free), then, for names that
 * say nothing, from the first bytes (`SIMPLE  =` is FITS, a NUL byte is binary, else text).
 */

/** Kinds of entries the viewer knows how to show. */
export type FileKind =
  | "directory"
  | "casa-table"
  | "fits"
  | "image"
  | "pdf"
  | "html"
  | "log"
  | "text"
  | "csv"
  | "tsv"
  | "json"
  | "markdown"
  | "notebook"
  | "binary"
  | "unknown";

const BY_SUFFIX: ReadonlyArray<readonly [string, FileKind]> = [
  [".fits.gz", "fits"],
  [".fit.gz", "fits"],
  [".fts.gz", "fits"],
  [".fits.fz", "fits"],
  [".fits", "fits"],
  [".fit", "fits"],
  [".fts", "fits"],
  [".fz", "fits"],
  [".png", "image"],
  [".jpg", "image"],
  [".jpeg", "image"],
  [".gif", "image"],
  [".svg", "image"],
  [".webp", "image"],
  [".pdf", "pdf"],
  [".html", "html"],
  [".htm", "html"],
  [".log", "log"],
  [".out", "log"],
  [".err", "log"],
  [".stdout", "log"],
  [".stderr", "log"],
  [".txt", "text"],
  [".text", "text"],
  [".cfg", "text"],
  [".conf", "text"],
  [".ini", "text"],
  [".toml", "text"],
  [".yaml", "text"],
  [".yml", "text"],
  [".xml", "text"],
  [".vot", "text"],
  [".reg", "text"],
  [".py", "text"],
  [".sh", "text"],
  [".parset", "text"],
  [".csv", "csv"],
  [".tsv", "tsv"],
  [".tab", "tsv"],
  [".json", "json"],
  [".md", "markdown"],
  [".markdown", "markdown"],
  [".ipynb", "notebook"],
];

/** Kind from the file name alone; "unknown" when the name does not tell. */
export function kindFromName(name: string): FileKind {
  const lower = name.toLowerCase();
  for (const [suffix, kind] of BY_SUFFIX) if (lower.endsWith(suffix)) return kind;
  return "unknown";
}

/** Kind from the first bytes of a file whose name did not tell (FITS 4.0 §3.3.1: `SIMPLE  =`). */
export function kindFromBytes(head: Uint8Array): FileKind {
  if (head.length >= 9 && new TextDecoder("latin1").decode(head.subarray(0, 9)) === "SIMPLE  =")
    return "fits";
  if (head.length === 0) return "text";
  const n = Math.min(head.length, 1024);
  for (let i = 0; i < n; i++) if (head[i] === 0) return "binary";
  return "text";
}

/** True for kinds shown as lines of text (head, tail, follow, search). */
export function isTextKind(kind: FileKind): boolean {
  return (
    kind === "log" ||
    kind === "text" ||
    kind === "csv" ||
    kind === "tsv" ||
    kind === "json" ||
    kind === "markdown" ||
    kind === "html"
  );
}

/** Content type to serve a file with, by name. */
export function contentTypeOf(name: string): string {
  const lower = name.toLowerCase();
  const ext = lower.slice(lower.lastIndexOf(".") + 1);
  switch (ext) {
    case "png":
      return "image/png";
    case "jpg":
    case "jpeg":
      return "image/jpeg";
    case "gif":
      return "image/gif";
    case "svg":
      return "image/svg+xml";
    case "webp":
      return "image/webp";
    case "pdf":
      return "application/pdf";
    case "html":
    case "htm":
      return "text/html; charset=utf-8";
    case "css":
      return "text/css; charset=utf-8";
    case "js":
    case "mjs":
      return "text/javascript; charset=utf-8";
    case "json":
    case "ipynb":
      return "application/json; charset=utf-8";
    case "woff2":
      return "font/woff2";
    case "fits":
    case "fit":
    case "fts":
    case "fz":
      return "application/fits";
    case "gz":
      return "application/gzip";
    default: {
      const kind = kindFromName(name);
      return kind === "unknown" || kind === "binary"
        ? "application/octet-stream"
        : "text/plain; charset=utf-8";
    }
  }
}
