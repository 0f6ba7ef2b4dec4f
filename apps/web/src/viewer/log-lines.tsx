/** Lines of a log with line numbers, ANSI colours, and error/warning lines marked. */
import { memo } from "react";
import { parseAnsi, stripAnsi } from "./ansi.js";

const ERROR =
  /\b(error|errors|fatal|exception|traceback|failed|failure|severe|critical|segmentation fault|killed)\b/i;
const WARNING = /\b(warn|warning|warnings|deprecated)\b/i;

/** "error", "warning" or null for a line (after removing escape codes). */
export function lineSeverity(line: string): "error" | "warning" | null {
  const plain = stripAnsi(line);
  if (ERROR.test(plain)) return "error";
  if (WARNING.test(plain)) return "warning";
  return null;
}

export interface NumberedLine {
  /** 1-based line number, or null when unknown. */
  n: number | null;
  text: string;
  /** Unique key (line number or byte offset). */
  key: string;
  partial?: boolean;
}

export const AnsiLine = memo(function AnsiLine({ text }: { text: string }) {
  return (
    <>
      {parseAnsi(text).map((seg, i) =>
        seg.classes.length === 0 && seg.color === undefined && seg.background === undefined ? (
          seg.text
        ) : (
          <span
            // biome-ignore lint/suspicious/noArrayIndexKey: segments of one line never reorder.
            key={i}
            className={seg.classes.join(" ")}
            style={
              seg.color !== undefined || seg.background !== undefined
                ? { color: seg.color, background: seg.background }
                : undefined
            }
          >
            {seg.text}
          </span>
        ),
      )}
    </>
  );
});

export function LogLines({
  lines,
  highlight,
  current,
  className,
}: {
  lines: readonly NumberedLine[];
  highlight?: RegExp | null;
  /** Line number to mark as the current search hit. */
  current?: number | null;
  className?: string;
}) {
  return (
    <div className={`log-lines ${className ?? ""}`} role="log">
      {lines.map((l) => {
        const severity = lineSeverity(l.text);
        const hit = highlight?.test(stripAnsi(l.text)) ?? false;
        const classes = ["log-line"];
        if (severity) classes.push(`log-${severity}`);
        if (hit) classes.push("log-hit");
        if (l.n !== null && l.n === current) classes.push("log-current");
        if (l.partial) classes.push("log-partial");
        return (
          <div key={l.key} className={classes.join(" ")} data-line={l.n ?? undefined}>
            <span className="log-n" aria-hidden="true">
              {l.n ?? ""}
            </span>
            <span className="log-text">
              <AnsiLine text={l.text} />
            </span>
          </div>
        );
      })}
    </div>
  );
}
