/** A small glyph per kind of file, so a long listing can be scanned by eye. */
import type { FileKind } from "./viewer-types.js";

const GLYPHS: Record<FileKind, string> = {
  directory: "▸",
  "casa-table": "▦",
  fits: "✦",
  image: "▣",
  pdf: "▤",
  html: "◈",
  log: "≡",
  text: "≡",
  csv: "▦",
  tsv: "▦",
  json: "{}",
  markdown: "¶",
  notebook: "◧",
  binary: "·",
  unknown: "·",
};

export function KindIcon({ kind }: { kind: FileKind }) {
  return (
    <span className={`kind-icon kind-${kind}`} aria-hidden="true">
      {GLYPHS[kind]}
    </span>
  );
}
