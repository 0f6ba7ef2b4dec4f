/** CSV / SVG / PNG export buttons for a chart (PNG at twice the chart's size). */
import type { RefObject } from "react";
import { download, svgDocument, svgToPng } from "./chart-export.js";

export function ExportButtons({
  chart,
  name,
  csv,
  onError,
}: {
  chart: RefObject<SVGSVGElement | null>;
  /** File name without extension. */
  name: string;
  /** CSV text maker, when the data can be exported as a table. */
  csv?: () => string;
  onError(err: unknown): void;
}) {
  const svg = () => chart.current;
  return (
    <>
      {csv ? (
        <button
          className="button button-secondary button-small"
          type="button"
          onClick={() => download(new Blob([csv()], { type: "text/csv" }), `${name}.csv`)}
        >
          CSV
        </button>
      ) : null}
      <button
        className="button button-secondary button-small"
        type="button"
        onClick={() => {
          const s = svg();
          if (s) download(new Blob([svgDocument(s)], { type: "image/svg+xml" }), `${name}.svg`);
        }}
      >
        SVG
      </button>
      <button
        className="button button-secondary button-small"
        type="button"
        onClick={() => {
          const s = svg();
          if (s) void svgToPng(s).then((b) => download(b, `${name}.png`), onError);
        }}
      >
        PNG
      </button>
    </>
  );
}
