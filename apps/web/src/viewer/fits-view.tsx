/**
 * FITS files: image HDUs open in the interactive viewer (fits/fits-image-view.tsx); tables as
 * sortable pages; every HDU's header with a search box. Overview thumbnails use the server-rendered
 * previews (zscale or percentile limits, a stretch and a colormap, cached outside the tree).
 */
import { useEffect, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { FitsImageView, prefetchFirstImage } from "./fits/fits-image-view.js";
import { HduSelect, type HduSummary, HeaderCards } from "./fits/hdu-controls.js";
import { TableView } from "./table-view.js";

export type FitsHdu = HduSummary;

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

export function FitsView({ path }: { path: string }) {
  const [hdus, setHdus] = useState<FitsHdu[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [hdu, setHdu] = useState(0);
  useEffect(() => {
    let live = true;
    // Start the first image's pyramid and statistics on the server while the headers load.
    prefetchFirstImage(path);
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
  if (isImage) return <FitsImageView path={path} hdus={hdus} hdu={hdu} onHdu={setHdu} />;
  return (
    <div className="fits-view">
      <div className="viewer-toolbar">
        <HduSelect hdus={hdus} hdu={hdu} onHdu={setHdu} />
      </div>
      {isTable ? <TableView key={hdu} path={path} fitsHdu={hdu} /> : null}
      <HeaderCards cards={current?.cards ?? []} />
    </div>
  );
}
