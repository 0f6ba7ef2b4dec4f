/** Pieces shared by the FITS views: the HDU chooser and the header with a search box. */
import { useState } from "react";

export interface HduSummary {
  readonly index: number;
  readonly kind: string;
  readonly name: string;
  readonly axes: number[];
  readonly bitpix: number;
  readonly cards: string[];
}

export function HduSelect({
  hdus,
  hdu,
  onHdu,
}: {
  hdus: readonly HduSummary[];
  hdu: number;
  onHdu: (hdu: number) => void;
}) {
  return (
    <label className="field-inline">
      HDU
      <select
        aria-label="HDU"
        className="input input-small"
        value={hdu}
        onChange={(e) => onHdu(Number(e.target.value))}
      >
        {hdus.map((h) => (
          <option key={h.index} value={h.index}>
            {h.index}: {h.name || (h.index === 0 ? "PRIMARY" : h.kind)} ({h.kind}
            {h.axes.length > 0 ? ` ${h.axes.join("×")}` : ""})
          </option>
        ))}
      </select>
    </label>
  );
}

/** 80-character header cards, filtered by a case-insensitive search. */
export function HeaderCards({ cards }: { cards: readonly string[] }) {
  const [filter, setFilter] = useState("");
  const shown = cards.filter((c) => filter === "" || c.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section className="fits-header card" aria-label="Header">
      <input
        className="input input-small"
        type="search"
        placeholder="Search header"
        aria-label="Search header"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <pre className="header-cards">{shown.join("\n")}</pre>
    </section>
  );
}
