/**
 * FITS files: a server-rendered preview (zscale or percentile limits, a stretch and a colormap,
 * cached outside the tree) and the headers of every HDU with a search box. The interactive viewer
 * (float tiles, WebGL2 scaling, WCS readout) is a later step.
 */
import { useEffect, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { TableView } from "./table-view.js";

export interface FitsHdu {
  index: number;
  kind: string;
  name: string;
  axes: number[];
  bitpix: number;
  cards: string[];
}

/** URL of a rendered preview of a FITS image. */
export function fitsPreviewUrl(
  path: string,
  options: { size?: number; stretch?: string; cmap?: string; hdu?: number; interval?: string } = {},
): string {
  const q = new URLSearchParams({ path });
  if (options.size !== undefined) q.set("size", String(options.size));
  if (options.stretch) q.set("stretch", options.stretch);
  if (options.cmap) q.set("cmap", options.cmap);
  if (options.hdu !== undefined) q.set("hdu", String(options.hdu));
  if (options.interval) q.set("interval", options.interval);
  return `/api/fits/preview?${q}`;
}

const STRETCHES = ["linear", "sqrt", "squared", "log", "asinh", "sinh", "power", "histeq"];
const CMAPS = [
  "grey",
  "viridis",
  "magma",
  "inferno",
  "plasma",
  "cividis",
  "cubehelix",
  "heat",
  "hot",
  "cool",
  "rainbow",
  "RdBu",
  "RdBu_r",
];
const LIMITS: [string, string][] = [
  ["zscale", "zscale"],
  ["minmax", "min/max"],
  ["percentile:90", "90%"],
  ["percentile:95", "95%"],
  ["percentile:99", "99%"],
  ["percentile:99.5", "99.5%"],
  ["percentile:99.9", "99.9%"],
  ["percentile:99.99", "99.99%"],
];

export function FitsView({ path }: { path: string }) {
  const [hdus, setHdus] = useState<FitsHdu[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [hdu, setHdu] = useState(0);
  const [stretch, setStretch] = useState("linear");
  const [cmap, setCmap] = useState("grey");
  const [interval, setLimits] = useState("zscale");
  const [filter, setFilter] = useState("");
  useEffect(() => {
    let live = true;
    fetch(`/api/fits/info?path=${encodeURIComponent(path)}`, { credentials: "same-origin" })
      .then(async (res) => {
        const body = (await res.json()) as { hdus?: FitsHdu[]; code?: string; message?: string };
        if (!res.ok) throw new Error(body.message ?? `HTTP ${res.status}`);
        if (!live) return;
        const list = body.hdus ?? [];
        setHdus(list);
        const first =
          list.find((h) => h.kind === "image" && h.axes.length >= 2) ??
          list.find((h) => h.kind === "bintable" || h.kind === "table");
        if (first) setHdu(first.index);
      })
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [path]);
  if (error) return <ErrorAlert error={error} />;
  if (hdus === null) return <p className="muted">Reading FITS headers…</p>;
  const current = hdus.find((h) => h.index === hdu);
  const isImage = current !== undefined && current.kind === "image" && current.axes.length >= 2;
  const isTable = current !== undefined && (current.kind === "bintable" || current.kind === "table");
  const cards = (current?.cards ?? []).filter(
    (c) => filter === "" || c.toLowerCase().includes(filter.toLowerCase()),
  );
  return (
    <div className="fits-view">
      <div className="viewer-toolbar">
        <label className="field-inline">
          HDU
          <select className="input input-small" value={hdu} onChange={(e) => setHdu(Number(e.target.value))}>
            {hdus.map((h) => (
              <option key={h.index} value={h.index}>
                {h.index}: {h.name || (h.index === 0 ? "PRIMARY" : h.kind)} ({h.kind}
                {h.axes.length > 0 ? ` ${h.axes.join("×")}` : ""})
              </option>
            ))}
          </select>
        </label>
        {isImage ? (
          <>
            <label className="field-inline">
              Stretch
              <select
                className="input input-small"
                value={stretch}
                onChange={(e) => setStretch(e.target.value)}
              >
                {STRETCHES.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
            <label className="field-inline">
              Colormap
              <select className="input input-small" value={cmap} onChange={(e) => setCmap(e.target.value)}>
                {CMAPS.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
            <label className="field-inline">
              Limits
              <select
                className="input input-small"
                value={interval}
                onChange={(e) => setLimits(e.target.value)}
              >
                {LIMITS.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : null}
      </div>
      {isTable ? <TableView key={hdu} path={path} fitsHdu={hdu} /> : null}
      <div className="fits-layout">
        {isImage ? (
          <div className="fits-preview">
            <img
              src={fitsPreviewUrl(path, { hdu, stretch, cmap, interval, size: 1024 })}
              alt={`${path} HDU ${hdu}`}
            />
          </div>
        ) : null}
        <div className="fits-header card">
          <input
            className="input input-small"
            type="search"
            placeholder="Search header"
            aria-label="Search header"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <pre className="header-cards">{cards.join("\n")}</pre>
        </div>
      </div>
    </div>
  );
}
