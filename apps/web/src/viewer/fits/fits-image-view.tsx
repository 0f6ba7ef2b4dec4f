/**
 * The interactive FITS image viewer: float32 tiles from the server's lazy pyramid, scaled and
 * coloured on the GPU, so stretch, limits and colormap change instantly without a request. Pan and
 * zoom, pixel value and WCS readout (ICRS, FK5, Galactic) under the cursor, cube channels with a
 * slider and animation, histogram, side-by-side or blink comparison with locked WCS and scales,
 * DS9 regions and catalogue overlays, header with search.
 */
import { makeStretch, parseStretch } from "@meridian/fits";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ErrorAlert } from "../../components/error-alert.js";
import { viewerApi } from "../viewer-api.js";
import type { NameEntry } from "../viewer-types.js";
import {
  COLORMAPS,
  colormapRgba,
  formatValue,
  histeqTable,
  type LimitMode,
  limitsOf,
  PERCENT_LIMITS,
  type PlaneStats,
  SCALE_PARAMETER,
  SCALES,
  type ScaleName,
} from "./display-settings.js";
import { parseDs9Regions } from "./ds9-regions.js";
import {
  type Catalogue,
  type FitsImageInfo,
  fetchCatalogue,
  fetchImageInfo,
  fetchPixel,
  fetchProgress,
  fetchText,
} from "./fits-api.js";
import { type Display, FitsCanvas, type Hover, type OverlayPainter } from "./fits-canvas.js";
import { HduSelect, type HduSummary, HeaderCards } from "./hdu-controls.js";
import { HistogramPlot } from "./histogram-plot.js";
import { ImageWcs, type WcsReadout } from "./image-wcs.js";
import { mapView } from "./locked-view.js";
import { cataloguePixels, type PixelShape, regionToPixels } from "./overlay-geometry.js";
import { cataloguePainter, regionPainter } from "./overlay-painter.js";
import { clampZoom, fitView, type View } from "./view-transform.js";
import "./fits-viewer.css";

interface Props {
  readonly path: string;
  readonly hdus: readonly HduSummary[];
  readonly hdu: number;
  readonly onHdu: (hdu: number) => void;
  /** Initial scale and colormap (e.g. from a report layout). */
  readonly initialScale?: string;
  readonly initialCmap?: string;
}

type CompareMode = "off" | "side" | "blink";

/** Descriptions asked for before the HDU list arrived, by path (used once, for a few seconds). */
const prefetched = new Map<string, { at: number; info: Promise<FitsImageInfo | null> }>();
const PREFETCH_TTL_MS = 10_000;

/**
 * Ask the server for the first image HDU's description without waiting for the HDU list, so the
 * pyramid and statistics are being built while the headers load; the viewer then uses this answer
 * when it is for the HDU and plane it shows. Errors (a file without images) are ignored here.
 */
export function prefetchFirstImage(path: string): void {
  const known = prefetched.get(path);
  if (known !== undefined && Date.now() - known.at < PREFETCH_TTL_MS) return;
  prefetched.set(path, { at: Date.now(), info: fetchImageInfo(path, null, "").catch(() => null) });
  if (prefetched.size > 8) prefetched.delete(prefetched.keys().next().value as string);
}

function takePrefetched(path: string): Promise<FitsImageInfo | null> {
  const known = prefetched.get(path);
  prefetched.delete(path);
  return known !== undefined && Date.now() - known.at < PREFETCH_TTL_MS ? known.info : Promise.resolve(null);
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

function wcsOf(cards: readonly string[] | undefined): ImageWcs | null {
  if (cards === undefined) return null;
  try {
    return ImageWcs.fromCards(cards);
  } catch {
    return null;
  }
}

/** Load one image's description, following its plane; keeps the last one while the next loads. */
function useImageInfo(
  path: string | null,
  hdu: number | null,
  plane: string,
): { info: FitsImageInfo | null; error: unknown } {
  const [info, setInfo] = useState<FitsImageInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (path === null) {
      setInfo(null);
      return;
    }
    const abort = new AbortController();
    takePrefetched(path)
      .then((i) =>
        i !== null && i.hdu === hdu && i.plane.join(",") === plane
          ? i
          : fetchImageInfo(path, hdu, plane, abort.signal),
      )
      .then((i) => {
        if (abort.signal.aborted) return;
        setInfo(i);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setError(err);
      });
    return () => abort.abort();
  }, [path, hdu, plane]);
  return { info, error };
}

/** While the first description of an image is on its way, how far the server's build has got. */
function useBuildProgress(path: string, hdu: number, plane: string, waiting: boolean): number | null {
  const [fraction, setFraction] = useState<number | null>(null);
  useEffect(() => {
    if (!waiting) {
      setFraction(null);
      return;
    }
    let live = true;
    const t = setInterval(() => {
      fetchProgress(path, hdu, plane)
        .then((p) => live && setFraction(p.fraction))
        .catch(() => undefined);
    }, 300);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [path, hdu, plane, waiting]);
  return fraction;
}

function useSiblings(path: string): NameEntry[] {
  const [entries, setEntries] = useState<NameEntry[]>([]);
  useEffect(() => {
    let live = true;
    viewerApi
      .list(dirOf(path), { recursive: true })
      .then((l) => live && setEntries(l.entries))
      .catch(() => live && setEntries([]));
    return () => {
      live = false;
    };
  }, [path]);
  return entries;
}

function ReadoutPanel({
  hover,
  readout,
  bunit,
  wcsError,
}: {
  hover: Hover | null;
  readout: WcsReadout | null;
  bunit: string | null;
  wcsError: string | null;
}) {
  const names = { icrs: "ICRS", fk5: "FK5 J2000", galactic: "Galactic" } as const;
  return (
    <section className="fits-readout card" aria-label="Cursor readout">
      <dl>
        <dt>Pixel</dt>
        <dd data-testid="readout-pixel">{hover ? `${hover.x.toFixed(2)}, ${hover.y.toFixed(2)}` : "—"}</dd>
        <dt>Value</dt>
        <dd data-testid="readout-value">
          {hover
            ? hover.value === null
              ? "…"
              : `${formatValue(hover.value)}${bunit ? ` ${bunit}` : ""}${hover.level ? ` (mean of ${2 ** hover.level}×${2 ** hover.level})` : ""}`
            : "—"}
        </dd>
        {(readout?.sky ?? []).map((s) => (
          <div key={s.frame} className="fits-readout-row">
            <dt>{names[s.frame]}</dt>
            <dd data-testid={`readout-${s.frame}`}>
              <span className="mono" data-testid={`readout-${s.frame}-sexagesimal`}>
                {s.lonText} {s.latText}
              </span>
              <span className="mono muted" data-testid={`readout-${s.frame}-degrees`}>
                {s.lon.toFixed(7)}° {s.lat >= 0 ? "+" : ""}
                {s.lat.toFixed(7)}°
              </span>
            </dd>
          </div>
        ))}
        {(readout?.extra ?? []).map((a) => (
          <div key={a.axis} className="fits-readout-row">
            <dt>{a.ctype || `axis ${a.axis}`}</dt>
            <dd data-testid={a.spectral ? "readout-spectral" : `readout-axis-${a.axis}`}>
              {Number.isFinite(a.value) ? String(Number(a.value.toPrecision(10))) : "—"} {a.unit}
            </dd>
          </div>
        ))}
      </dl>
      {wcsError ? <p className="muted">No sky coordinates: {wcsError}</p> : null}
    </section>
  );
}

export function FitsImageView(props: Props) {
  const { path, hdus, hdu } = props;
  const current = hdus.find((h) => h.index === hdu);
  const axes = current?.axes ?? [];
  // The channel axis is the first axis beyond the image plane with more than one pixel (NAXIS3 of
  // most cubes; NAXIS4 when NAXIS3 is a single Stokes plane).
  const extraAxes = axes.slice(2);
  const channelAxis = extraAxes.findIndex((n) => n > 1);
  const channels = channelAxis >= 0 ? (extraAxes[channelAxis] as number) : 1;
  const [channel, setChannel] = useState(() => 0);
  const extraCount = extraAxes.length;
  const planeIndex = useMemo(
    () => Array.from({ length: extraCount }, (_, i) => (i === channelAxis ? channel : 0)),
    [extraCount, channelAxis, channel],
  );
  const plane = planeIndex.join(",");
  const { info, error } = useImageInfo(path, hdu, plane);
  const building = useBuildProgress(path, hdu, plane, info === null && !error);
  const [scale, setScale] = useState<ScaleName>(() =>
    SCALES.includes(props.initialScale as ScaleName) ? (props.initialScale as ScaleName) : "linear",
  );
  const [parameters, setParameters] = useState<Record<string, number>>({});
  const [limitMode, setLimitMode] = useState<LimitMode>("zscale");
  const [manual, setManual] = useState<[number, number]>([0, 1]);
  const [cmap, setCmap] = useState(() =>
    props.initialCmap && COLORMAPS.includes(props.initialCmap) ? props.initialCmap : "grey",
  );
  const [reverse, setReverse] = useState(false);
  const [view, setView] = useState<View | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const [serverValue, setServerValue] = useState<{ x: number; y: number; value: number | null } | null>(null);
  const [playing, setPlaying] = useState(false);
  const [fps, setFps] = useState(8);
  const [lockChannelLimits, setLockChannelLimits] = useState(false);
  const [lockedStats, setLockedStats] = useState<PlaneStats | null>(null);
  const [gotoText, setGotoText] = useState("");
  const [compareMode, setCompareMode] = useState<CompareMode>("off");
  const [comparePath, setComparePath] = useState<string>("");
  const [blinkMs, setBlinkMs] = useState(800);
  const [blinkB, setBlinkB] = useState(false);
  const [regionFile, setRegionFile] = useState("");
  const [regions, setRegions] = useState<{ shapes: PixelShape[]; skipped: number; unplaced: number } | null>(
    null,
  );
  const [regionError, setRegionError] = useState<string | null>(null);
  const [catalogueFile, setCatalogueFile] = useState("");
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [catalogueError, setCatalogueError] = useState<string | null>(null);
  const readyPlane = useRef<string | null>(null);

  const siblings = useSiblings(path);
  const fitsFiles = siblings.filter((e) => e.kind === "fits" && e.path !== path);
  const regionFiles = siblings.filter((e) => /\.reg$/i.test(e.name));
  const catalogueFiles = siblings.filter(
    (e) =>
      e.kind === "csv" ||
      e.kind === "tsv" ||
      /\.(vot|votable|xml)$/i.test(e.name) ||
      (e.kind === "fits" && /tab|cat|src|source/i.test(e.name)),
  );

  // Reset per image.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the image changes
  useEffect(() => {
    setView(null);
    setChannel(0);
    setLockedStats(null);
  }, [path, hdu]);

  const cardsA = info?.cards;
  const wcs = useMemo(() => wcsOf(cardsA), [cardsA]);
  const stats = lockChannelLimits && lockedStats !== null ? lockedStats : (info?.stats ?? null);
  const [vmin, vmax] = stats ? limitsOf(stats, limitMode, manual) : [0, 1];
  const parameter = parameters[scale] ?? SCALE_PARAMETER[scale] ?? 1;
  const cmapRgba = useMemo(() => colormapRgba(cmap, reverse), [cmap, reverse]);
  const histeq = useMemo(
    () => (scale === "histeq" && stats ? histeqTable(stats.quantiles, vmin, vmax) : null),
    [scale, stats, vmin, vmax],
  );
  const display: Display = { vmin, vmax, scale, parameter, cmap: cmapRgba, histeq };
  const curve = useMemo(() => {
    if (scale === "histeq") {
      const t = histeq ?? new Float32Array([0, 1]);
      return (x: number) => {
        const f = x * (t.length - 1);
        const i = Math.min(t.length - 2, Math.floor(f));
        return (t[i] as number) + ((t[i + 1] as number) - (t[i] as number)) * (f - i);
      };
    }
    const spec = SCALE_PARAMETER[scale] === null ? scale : `${scale}:${parameter}`;
    return makeStretch(parseStretch(spec));
  }, [scale, parameter, histeq]);

  // The comparison image, its WCS and the view mapped onto it.
  // The comparison file's first image HDU (its first plane for a cube).
  const compare = useImageInfo(compareMode !== "off" && comparePath !== "" ? comparePath : null, null, "");
  const cardsB = compare.info?.cards;
  const wcsB = useMemo(() => wcsOf(cardsB), [cardsB]);
  const viewB = view !== null && compare.info !== null ? mapView(view, wcs, wcsB, planeIndex) : null;
  const onViewB = useCallback(
    (v: View) => {
      setView(mapView(v, wcsB, wcs));
    },
    [wcs, wcsB],
  );

  useEffect(() => {
    if (compareMode !== "blink") return;
    const t = setInterval(() => setBlinkB((b) => !b), Math.max(100, blinkMs));
    return () => clearInterval(t);
  }, [compareMode, blinkMs]);

  // Cube animation: the next channel once the current one is drawn.
  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => {
      if (readyPlane.current === plane) setChannel((c) => (c + 1) % channels);
    }, 1000 / fps);
    return () => clearInterval(t);
  }, [playing, fps, plane, channels]);

  useEffect(() => {
    if (lockChannelLimits && lockedStats === null && info) setLockedStats(info.stats);
    if (!lockChannelLimits && lockedStats !== null) setLockedStats(null);
  }, [lockChannelLimits, lockedStats, info]);

  // A value for the readout when no level-0 tile holds it: ask the server for that one pixel.
  useEffect(() => {
    if (hover === null || hover.level === 0) return;
    const x = Math.floor(hover.x + 0.5);
    const y = Math.floor(hover.y + 0.5);
    const abort = new AbortController();
    const t = setTimeout(() => {
      fetchPixel(path, hdu, plane, x, y, abort.signal)
        .then((r) => setServerValue({ x, y, value: r.value }))
        .catch(() => undefined);
    }, 120);
    return () => {
      clearTimeout(t);
      abort.abort();
    };
  }, [hover, path, hdu, plane]);

  const hoverShown: Hover | null = useMemo(() => {
    if (hover === null) return null;
    const x = Math.floor(hover.x + 0.5);
    const y = Math.floor(hover.y + 0.5);
    if (hover.level !== 0 && serverValue !== null && serverValue.x === x && serverValue.y === y)
      return { ...hover, value: serverValue.value, level: 0 };
    return hover;
  }, [hover, serverValue]);
  const readout = useMemo(() => {
    if (hover === null || wcs === null) return null;
    try {
      return wcs.readout(hover.x, hover.y, planeIndex);
    } catch {
      return null;
    }
  }, [hover, wcs, planeIndex]);

  // Regions: parse in the browser and place on this image.
  useEffect(() => {
    if (regionFile === "") {
      setRegions(null);
      setRegionError(null);
      return;
    }
    let live = true;
    fetchText(regionFile)
      .then((text) => {
        if (!live) return;
        const parsed = parseDs9Regions(text);
        const shapes: PixelShape[] = [];
        let unplaced = 0;
        for (const r of parsed.regions) {
          const s = regionToPixels(r, wcs, planeIndex);
          if (s === null) unplaced++;
          else shapes.push(s);
        }
        setRegions({ shapes, skipped: parsed.skipped.length, unplaced });
        setRegionError(null);
      })
      .catch((err: unknown) => {
        if (!live) return;
        setRegions(null);
        setRegionError((err as Error).message);
      });
    return () => {
      live = false;
    };
  }, [regionFile, wcs, planeIndex]);

  useEffect(() => {
    if (catalogueFile === "") {
      setCatalogue(null);
      setCatalogueError(null);
      return;
    }
    let live = true;
    fetchCatalogue(catalogueFile)
      .then((c) => {
        if (!live) return;
        setCatalogue(c);
        setCatalogueError(null);
      })
      .catch((err: unknown) => {
        if (!live) return;
        setCatalogue(null);
        setCatalogueError((err as Error).message);
      });
    return () => {
      live = false;
    };
  }, [catalogueFile]);

  const cataloguePx = useMemo(
    () =>
      catalogue !== null && wcs !== null
        ? cataloguePixels(catalogue.ra, catalogue.dec, wcs, planeIndex)
        : null,
    [catalogue, wcs, planeIndex],
  );

  const overlay: OverlayPainter | undefined = useMemo(() => {
    const painters: OverlayPainter[] = [];
    if (regions !== null) painters.push(regionPainter(regions.shapes));
    if (cataloguePx !== null && catalogue !== null)
      painters.push(cataloguePainter(cataloguePx.x, cataloguePx.y, catalogue.labels, cataloguePx.index));
    if (painters.length === 0) return undefined;
    return (ctx, toScreen, zoom) => {
      for (const p of painters) p(ctx, toScreen, zoom);
    };
  }, [regions, cataloguePx, catalogue]);

  const zoomBy = (f: number) => view && setView({ ...view, zoom: clampZoom(view.zoom * f) });
  const fit = () => {
    const el = document.querySelector<HTMLElement>(".fits-stage .fits-canvas");
    if (el && info) setView(fitView(info.axes[0]!, info.axes[1]!, el.clientWidth, el.clientHeight));
  };
  const goTo = (e: React.FormEvent) => {
    e.preventDefault();
    const m = /^\s*([0-9.+-]+)[\s,]+([0-9.+-]+)\s*$/.exec(gotoText);
    if (m === null || view === null) return;
    setView({ ...view, cx: Number(m[1]) - 0.5, cy: Number(m[2]) - 0.5 });
  };
  const onLimit = (which: "min" | "max", v: number) => {
    setManual(which === "min" ? [v, vmax] : [vmin, v]);
    setLimitMode("manual");
  };

  const showB = compareMode === "blink" && blinkB && compare.info !== null;

  return (
    <div className="fits-viewer">
      <div className="viewer-toolbar fits-toolbar">
        <HduSelect hdus={hdus} hdu={hdu} onHdu={props.onHdu} />
        <label className="field-inline">
          Scale
          <select
            aria-label="Scale"
            className="input input-small"
            value={scale}
            onChange={(e) => setScale(e.target.value as ScaleName)}
          >
            {SCALES.map((s) => (
              <option key={s} value={s}>
                {s === "histeq" ? "histogram equalisation" : s}
              </option>
            ))}
          </select>
        </label>
        {SCALE_PARAMETER[scale] !== null ? (
          <label className="field-inline">
            {scale === "power" ? "Exponent" : "a"}
            <input
              className="input input-small fits-number"
              type="number"
              step="any"
              min="0"
              value={parameter}
              onChange={(e) => {
                const v = Number(e.target.value);
                if (v > 0) setParameters({ ...parameters, [scale]: v });
              }}
            />
          </label>
        ) : null}
        <label className="field-inline">
          Limits
          <select
            aria-label="Limits"
            className="input input-small"
            value={limitMode}
            onChange={(e) => {
              if (e.target.value === "manual") setManual([vmin, vmax]);
              setLimitMode(e.target.value);
            }}
          >
            <option value="minmax">min/max</option>
            <option value="zscale">zscale</option>
            {PERCENT_LIMITS.map((p) => (
              <option key={p} value={`percentile:${p}`}>
                {p}%
              </option>
            ))}
            <option value="manual">manual</option>
          </select>
        </label>
        {limitMode === "manual" ? (
          <>
            <input
              className="input input-small fits-number"
              type="number"
              step="any"
              aria-label="Lower limit"
              value={manual[0]}
              onChange={(e) => setManual([Number(e.target.value), manual[1]])}
            />
            <input
              className="input input-small fits-number"
              type="number"
              step="any"
              aria-label="Upper limit"
              value={manual[1]}
              onChange={(e) => setManual([manual[0], Number(e.target.value)])}
            />
          </>
        ) : null}
        <label className="field-inline">
          Colormap
          <select
            aria-label="Colormap"
            className="input input-small"
            value={cmap}
            onChange={(e) => setCmap(e.target.value)}
          >
            {COLORMAPS.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          <input type="checkbox" checked={reverse} onChange={(e) => setReverse(e.target.checked)} /> reverse
        </label>
        <span className="fits-zoom">
          <button type="button" className="btn btn-small" onClick={() => zoomBy(0.5)} aria-label="Zoom out">
            −
          </button>
          <button type="button" className="btn btn-small" onClick={() => zoomBy(2)} aria-label="Zoom in">
            +
          </button>
          <button type="button" className="btn btn-small" onClick={fit}>
            Fit
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => view && setView({ ...view, zoom: 1 })}
          >
            1:1
          </button>
          <span className="muted" data-testid="zoom-level">
            {view ? `${view.zoom >= 1 ? view.zoom.toFixed(2) : `1/${(1 / view.zoom).toFixed(2)}`}×` : ""}
          </span>
        </span>
        <form className="field-inline" onSubmit={goTo}>
          <input
            className="input input-small"
            aria-label="Go to pixel"
            placeholder="x y"
            size={10}
            value={gotoText}
            onChange={(e) => setGotoText(e.target.value)}
          />
          <button type="submit" className="btn btn-small">
            Go
          </button>
        </form>
      </div>
      {channels > 1 ? (
        <div className="viewer-toolbar fits-cube">
          <button type="button" className="btn btn-small" onClick={() => setPlaying(!playing)}>
            {playing ? "Pause" : "Play"}
          </button>
          <label className="field-inline fits-channel">
            Channel
            <input
              type="range"
              min={0}
              max={channels - 1}
              value={channel}
              aria-label="Channel"
              onChange={(e) => setChannel(Number(e.target.value))}
            />
            <input
              className="input input-small fits-number"
              type="number"
              min={1}
              max={channels}
              aria-label="Channel number"
              value={channel + 1}
              onChange={(e) => {
                const v = Number(e.target.value) - 1;
                if (Number.isInteger(v) && v >= 0 && v < channels) setChannel(v);
              }}
            />
            <span className="muted">of {channels}</span>
          </label>
          <label className="field-inline">
            fps
            <input
              className="input input-small fits-number"
              type="number"
              min={1}
              max={30}
              value={fps}
              onChange={(e) => setFps(Math.max(1, Math.min(30, Number(e.target.value) || 1)))}
            />
          </label>
          <label className="field-inline">
            <input
              type="checkbox"
              checked={lockChannelLimits}
              onChange={(e) => setLockChannelLimits(e.target.checked)}
            />{" "}
            same limits for all channels
          </label>
        </div>
      ) : null}
      <ErrorAlert error={error} />
      <div className="fits-body">
        <div className={`fits-stage${compareMode === "side" && compare.info ? " fits-stage-split" : ""}`}>
          {info ? (
            <FitsCanvas
              image={info}
              plane={plane}
              display={display}
              view={view}
              onView={setView}
              onHover={setHover}
              onReady={(p) => {
                readyPlane.current = p;
              }}
              {...(overlay ? { overlay } : {})}
              label={compareMode !== "off" ? path : ""}
              hidden={showB}
            />
          ) : (
            <p className="muted fits-building" data-testid="fits-building">
              {building === null ? (
                "Reading the image…"
              ) : (
                <>
                  Building the image pyramid and statistics… <progress max={1} value={building} />{" "}
                  {Math.round(building * 100)} %
                </>
              )}
            </p>
          )}
          {compareMode !== "off" && compare.info ? (
            <div className={compareMode === "blink" ? "fits-blink-layer" : "fits-side"}>
              <FitsCanvas
                image={compare.info}
                plane=""
                display={display}
                view={viewB}
                onView={onViewB}
                onHover={(h) => {
                  if (h === null || wcsB === null || wcs === null) return setHover(null);
                  const v = mapView({ cx: h.x - 0.5, cy: h.y - 0.5, zoom: 1 }, wcsB, wcs);
                  setHover({ x: v.cx + 0.5, y: v.cy + 0.5, value: null, level: null });
                }}
                label={comparePath}
                hidden={compareMode === "blink" && !showB}
              />
            </div>
          ) : null}
        </div>
        <aside className="fits-side-panel">
          <ReadoutPanel
            hover={hoverShown}
            readout={readout}
            bunit={info?.bunit ?? null}
            wcsError={info?.wcsError ?? null}
          />
          {stats && stats.quantiles.length > 1 ? (
            <HistogramPlot
              quantiles={stats.quantiles}
              vmin={vmin}
              vmax={vmax}
              curve={curve}
              colormap={cmapRgba}
              onLimit={onLimit}
            />
          ) : null}
          {stats ? (
            <p className="muted fits-stats" data-testid="fits-limits">
              limits {formatValue(vmin)} … {formatValue(vmax)} · min {formatValue(stats.min)} · max{" "}
              {formatValue(stats.max)}
              {stats.blank > 0 ? ` · ${stats.blank} blank` : ""}
              {stats.sampleStride > 1 ? ` · percentiles from every ${stats.sampleStride}th pixel` : ""}
            </p>
          ) : null}
          <section className="card fits-overlays" aria-label="Compare and overlays">
            <label className="field-inline">
              Compare
              <select
                aria-label="Compare mode"
                className="input input-small"
                value={compareMode}
                onChange={(e) => setCompareMode(e.target.value as CompareMode)}
              >
                <option value="off">off</option>
                <option value="side">side by side</option>
                <option value="blink">blink</option>
              </select>
            </label>
            {compareMode !== "off" ? (
              <>
                <select
                  className="input input-small"
                  aria-label="Image to compare"
                  value={comparePath}
                  onChange={(e) => setComparePath(e.target.value)}
                >
                  <option value="">choose an image…</option>
                  {fitsFiles.map((f) => (
                    <option key={f.path} value={f.path}>
                      {f.path}
                    </option>
                  ))}
                </select>
                {compareMode === "blink" ? (
                  <label className="field-inline">
                    every
                    <input
                      className="input input-small fits-number"
                      type="number"
                      min={100}
                      step={100}
                      value={blinkMs}
                      onChange={(e) => setBlinkMs(Number(e.target.value) || 800)}
                    />
                    ms
                  </label>
                ) : null}
                <p className="muted">Sky position, angular zoom and display scales are locked.</p>
                <ErrorAlert error={compare.error} />
              </>
            ) : null}
            <label className="field-inline">
              Regions
              <select
                aria-label="Regions file"
                className="input input-small"
                value={regionFile}
                onChange={(e) => setRegionFile(e.target.value)}
              >
                <option value="">none</option>
                {regionFiles.map((f) => (
                  <option key={f.path} value={f.path}>
                    {f.path}
                  </option>
                ))}
              </select>
            </label>
            {regions ? (
              <p className="muted" data-testid="region-count">
                {regions.shapes.length} region{regions.shapes.length === 1 ? "" : "s"} shown
                {regions.unplaced > 0 ? `, ${regions.unplaced} not placed (no sky coordinates)` : ""}
                {regions.skipped > 0 ? `, ${regions.skipped} not drawn` : ""}
              </p>
            ) : null}
            {regionError ? <p className="alert alert-error">{regionError}</p> : null}
            <label className="field-inline">
              Catalogue
              <select
                aria-label="Catalogue file"
                className="input input-small"
                value={catalogueFile}
                onChange={(e) => setCatalogueFile(e.target.value)}
              >
                <option value="">none</option>
                {catalogueFiles.map((f) => (
                  <option key={f.path} value={f.path}>
                    {f.path}
                  </option>
                ))}
              </select>
            </label>
            {catalogue && cataloguePx ? (
              <p className="muted" data-testid="catalogue-count">
                {catalogue.ra.length} sources ({catalogue.raColumn}, {catalogue.decColumn}),{" "}
                {cataloguePx.x.length} placed
                {catalogue.truncated ? ", first rows only" : ""}
              </p>
            ) : null}
            {catalogueError ? <p className="alert alert-error">{catalogueError}</p> : null}
          </section>
          <HeaderCards cards={current?.cards ?? info?.cards ?? []} />
        </aside>
      </div>
    </div>
  );
}
