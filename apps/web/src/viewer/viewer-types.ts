/** Shapes of the viewer API's answers (apps/server/src/viewer). */

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

export interface NameEntry {
  path: string;
  name: string;
  kind: FileKind;
}

export interface Listing {
  path: string;
  entries: NameEntry[];
  truncated: boolean;
}

export interface DetailEntry {
  path: string;
  size: number;
  mtimeMs: number;
  kind: FileKind;
}

export interface FileInfo {
  path: string;
  name: string;
  kind: FileKind;
  size: number;
  mtimeMs: number;
  reportUrl?: string;
}

export interface LineRun {
  lines: string[];
  startOffset: number;
  endOffset: number;
  firstLine: number | null;
  partial: string;
  size: number;
  bytesRead: number;
}

export interface SearchHit {
  line: number;
  offset: number;
  text: string;
}

export interface SearchResult {
  matches: number;
  hits: SearchHit[];
  complete: boolean;
  bytesScanned: number;
}

export interface TablePage {
  columns: string[];
  rows: string[][];
  start: number | null;
  total: number | null;
  next: string | null;
  sortable: boolean;
}

export interface LogTail {
  lines: string[];
  firstLine: number | null;
  errors: number;
  warnings: number;
}

export type Display = "gallery" | "table" | "log-tail" | "fits" | "reports" | "list";

export interface OverviewItem {
  path: string;
  name: string;
  kind: FileKind;
  size: number;
  mtimeMs: number;
  tail?: LogTail;
  title?: string;
  entries?: number;
  reportUrl?: string;
}

export interface OverviewSection {
  title: string;
  display: Display;
  total: number;
  items: OverviewItem[];
  stretch?: string;
  cmap?: string;
  lines?: number;
}

export interface Overview {
  title: string | null;
  fromLayout: boolean;
  problems: string[];
  sections: OverviewSection[];
  files: number;
  truncated: boolean;
}
