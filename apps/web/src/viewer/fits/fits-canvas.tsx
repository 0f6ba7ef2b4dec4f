/**
 * One image pane: WebGL2 tiles underneath, a 2-d canvas for regions and catalogue on top. Pan by
 * dragging (mouse, pen or one finger), zoom with the wheel or a trackpad pinch (centred on the
 * cursor) or two fingers; double-click zooms in. Coarser tiles stay drawn under finer ones until
 * those arrive, and the previous channel's tiles until the new channel's do, so nothing flashes.
 * The container's data attributes (data-ready, data-level, data-bytes, data-tiles) let tests and
 * benchmarks see when a view is complete.
 */
import { useEffect, useRef, useState } from "react";
import type { ScaleName } from "./display-settings.js";
import type { GpuTile } from "./tile-renderer.js";
import { TileRenderer } from "./tile-renderer.js";
import { TileStore } from "./tile-store.js";
import {
  fitView,
  imageToScreen,
  type LevelInfo,
  levelFor,
  screenToImage,
  type View,
  visibleTiles,
  zoomAt,
} from "./view-transform.js";

export interface CanvasImage {
  readonly path: string;
  readonly hdu: number;
  readonly version: string;
  readonly tileSize: number;
  readonly axes: readonly number[];
  readonly levels: readonly LevelInfo[];
}

export interface Display {
  readonly vmin: number;
  readonly vmax: number;
  readonly scale: ScaleName;
  readonly parameter: number;
  readonly cmap: Uint8Array;
  readonly histeq: Float32Array | null;
}

/** What is under the cursor: FITS 1-based pixel coordinates and the value, if a tile has it. */
export interface Hover {
  readonly x: number;
  readonly y: number;
  readonly value: number | null;
  /** Pyramid level the value came from (0 = the pixel itself; L = mean of 2^L × 2^L pixels). */
  readonly level: number | null;
}

/** Draws overlays; `toScreen` takes FITS 1-based pixel coordinates. */
export type OverlayPainter = (
  ctx: CanvasRenderingContext2D,
  toScreen: (x: number, y: number) => [number, number],
  zoom: number,
) => void;

interface Props {
  readonly image: CanvasImage;
  readonly plane: string;
  readonly display: Display;
  readonly view: View | null;
  readonly onView: (view: View) => void;
  readonly onHover?: (hover: Hover | null) => void;
  readonly onClick?: (x: number, y: number) => void;
  /** Called after a frame in which every tile of the view was there, with the plane shown. */
  readonly onReady?: (plane: string) => void;
  readonly overlay?: OverlayPainter;
  readonly label?: string;
  readonly hidden?: boolean;
}

const BACKGROUND: [number, number, number] = [0.12, 0.13, 0.15];

export function FitsCanvas(props: Props) {
  const box = useRef<HTMLDivElement>(null);
  const glCanvas = useRef<HTMLCanvasElement>(null);
  const overlayCanvas = useRef<HTMLCanvasElement>(null);
  const renderer = useRef<TileRenderer | null>(null);
  const store = useRef<TileStore | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const frame = useRef(0);
  const lastPlane = useRef<string>(props.plane);
  const lastDraw = useRef<{ key: string; cmap: Uint8Array | null; histeq: Float32Array | null }>({
    key: "",
    cmap: null,
    histeq: null,
  });
  const [error, setError] = useState<string | null>(null);

  const schedule = (): void => {
    if (frame.current !== 0) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      paint();
    });
  };

  const paint = (): void => {
    const r = renderer.current;
    const s = store.current;
    const el = box.current;
    const p = latest.current;
    if (r === null || s === null || el === null || p.view === null) return;
    const w = el.clientWidth;
    const h = el.clientHeight;
    if (w === 0 || h === 0) return;
    const levels = p.image.levels;
    const target = levelFor(p.view.zoom, levels.length);
    const top = levels.length - 1;
    const switching = lastPlane.current !== p.plane;
    const targetTiles = visibleTiles(p.view, w, h, levels[target]!, p.image.tileSize);
    const wanted: { plane: string; level: number; col: number; row: number }[] = [];
    // The coarsest level is the backdrop of a first view; while switching channels the previous
    // channel's tiles are, so only the tiles of the view are asked for.
    if (top !== target && !switching)
      for (const t of visibleTiles(p.view, w, h, levels[top]!, p.image.tileSize))
        wanted.push({ plane: p.plane, level: top, ...t });
    for (const t of targetTiles) wanted.push({ plane: p.plane, level: target, ...t });
    s.want(wanted);
    const complete = targetTiles.every((t) => s.has(p.plane, target, t.col, t.row));
    const d = p.display;
    const drawKey = `${p.view.cx},${p.view.cy},${p.view.zoom},${w},${h},${d.vmin},${d.vmax},${d.scale},${d.parameter}`;
    // Mid-switch with nothing else changed: keep the previous channel on screen rather than
    // repainting a mix of channels as each tile arrives.
    if (
      switching &&
      !complete &&
      drawKey === lastDraw.current.key &&
      d.cmap === lastDraw.current.cmap &&
      d.histeq === lastDraw.current.histeq
    )
      return;
    const draw: GpuTile[] = [];
    const levelsToDraw = complete
      ? [target]
      : [top, target + 1, target].filter((l, i, a) => l <= top && a.indexOf(l) === i);
    for (const level of levelsToDraw) {
      for (const t of level === target
        ? targetTiles
        : visibleTiles(p.view, w, h, levels[level]!, p.image.tileSize)) {
        const here = s.get(p.plane, level, t.col, t.row);
        const tile = here ?? (switching ? s.get(lastPlane.current, level, t.col, t.row) : undefined);
        if (tile !== undefined) draw.push(tile.gpu);
      }
    }
    lastDraw.current = { key: drawKey, cmap: d.cmap, histeq: d.histeq };
    if (complete) lastPlane.current = p.plane;
    if (complete) p.onReady?.(p.plane);
    if (d.histeq !== null) r.setHisteq(d.histeq);
    r.setColormap(d.cmap);
    r.draw(
      draw,
      {
        vmin: d.vmin,
        vmax: d.vmax,
        scale: d.scale,
        parameter: d.parameter,
        cx: p.view.cx,
        cy: p.view.cy,
        zoom: p.view.zoom,
      },
      BACKGROUND,
    );
    el.dataset.ready = complete ? "1" : "0";
    el.dataset.level = String(target);
    el.dataset.bytes = String(s.bytes);
    el.dataset.tiles = String(s.loaded);
    el.dataset.plane = p.plane;
    el.dataset.view = `${p.view.cx},${p.view.cy},${p.view.zoom}`;
    if (s.errors.length > 0) setError(s.errors[s.errors.length - 1]!);
    const oc = overlayCanvas.current;
    if (oc !== null) {
      const ratio = window.devicePixelRatio || 1;
      if (oc.width !== Math.round(w * ratio) || oc.height !== Math.round(h * ratio)) {
        oc.width = Math.round(w * ratio);
        oc.height = Math.round(h * ratio);
      }
      const ctx = oc.getContext("2d");
      if (ctx !== null) {
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.clearRect(0, 0, w, h);
        const view = p.view;
        p.overlay?.(ctx, (x, y) => imageToScreen(view, x - 0.5, y - 0.5, w, h), view.zoom);
      }
    }
  };

  // Renderer and tile store live as long as the image (path, HDU, version).
  // biome-ignore lint/correctness/useExhaustiveDependencies: one renderer per image version
  useEffect(() => {
    const c = glCanvas.current;
    if (c === null) return;
    let r: TileRenderer;
    try {
      r = new TileRenderer(c);
    } catch (err) {
      setError((err as Error).message);
      return;
    }
    renderer.current = r;
    const img = latest.current.image;
    store.current = new TileStore(
      r,
      { path: img.path, hdu: img.hdu, version: img.version, tileSize: img.tileSize },
      schedule,
    );
    schedule();
    return () => {
      store.current?.dispose();
      store.current = null;
      renderer.current = null;
      if (frame.current !== 0) cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, [props.image.path, props.image.hdu, props.image.version]);

  // Fit the image when there is no view yet.
  useEffect(() => {
    const el = box.current;
    if (props.view === null && el !== null && el.clientWidth > 0) {
      props.onView(fitView(props.image.axes[0]!, props.image.axes[1]!, el.clientWidth, el.clientHeight));
    }
  });

  // Redraw whenever anything shown changes.
  useEffect(() => {
    schedule();
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: observer set up once
  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const observer = new ResizeObserver(() => schedule());
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Pointer gestures: one pointer pans, two pinch-zoom.
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const moved = useRef(false);
  const local = (e: { clientX: number; clientY: number }): [number, number] => {
    const rect = box.current!.getBoundingClientRect();
    return [e.clientX - rect.left, e.clientY - rect.top];
  };

  const hoverAt = (sx: number, sy: number): void => {
    const p = latest.current;
    const el = box.current;
    if (p.view === null || el === null) return;
    const [u, v] = screenToImage(p.view, sx, sy, el.clientWidth, el.clientHeight);
    const inside = u >= 0 && v >= 0 && u < p.image.axes[0]! && v < p.image.axes[1]!;
    if (!inside) {
      p.onHover?.(null);
      return;
    }
    const hit = store.current?.valueAt(p.plane, u, v, p.image.levels.length) ?? null;
    p.onHover?.({ x: u + 0.5, y: v + 0.5, value: hit?.value ?? null, level: hit?.level ?? null });
  };

  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>): void => {
    e.currentTarget.setPointerCapture(e.pointerId);
    if (e.pointerType === "mouse") pointers.current.clear();
    const [x, y] = local(e);
    pointers.current.set(e.pointerId, { x, y });
    moved.current = false;
  };

  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>): void => {
    const [x, y] = local(e);
    const p = latest.current;
    const el = box.current!;
    const prev = pointers.current.get(e.pointerId);
    if (prev === undefined || p.view === null) {
      hoverAt(x, y);
      return;
    }
    const w = el.clientWidth;
    const h = el.clientHeight;
    if (pointers.current.size === 1) {
      const dx = x - prev.x;
      const dy = y - prev.y;
      if (Math.abs(dx) + Math.abs(dy) > 0) moved.current = true;
      p.onView({ ...p.view, cx: p.view.cx - dx / p.view.zoom, cy: p.view.cy + dy / p.view.zoom });
    } else if (pointers.current.size >= 2) {
      // The most recently added other pointer: a stale entry (a lost pointerup) cannot block a pinch.
      const others = [...pointers.current.entries()].filter(([id]) => id !== e.pointerId);
      const other = others[others.length - 1]![1];
      const before = Math.hypot(prev.x - other.x, prev.y - other.y);
      const after = Math.hypot(x - other.x, y - other.y);
      moved.current = true;
      if (before > 0) {
        const mx = (x + other.x) / 2;
        const my = (y + other.y) / 2;
        const zoomed = zoomAt(p.view, after / before, mx, my, w, h);
        const pdx = (x - prev.x) / 2;
        const pdy = (y - prev.y) / 2;
        p.onView({ ...zoomed, cx: zoomed.cx - pdx / zoomed.zoom, cy: zoomed.cy + pdy / zoomed.zoom });
      }
    }
    pointers.current.set(e.pointerId, { x, y });
  };

  const onPointerUp = (e: React.PointerEvent<HTMLCanvasElement>): void => {
    const wasSingle = pointers.current.size === 1;
    pointers.current.delete(e.pointerId);
    const p = latest.current;
    if (wasSingle && !moved.current && p.onClick && p.view !== null) {
      const [x, y] = local(e);
      const el = box.current!;
      const [u, v] = screenToImage(p.view, x, y, el.clientWidth, el.clientHeight);
      p.onClick(u + 0.5, v + 0.5);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: listener set up once
  useEffect(() => {
    const c = overlayCanvas.current;
    if (c === null) return;
    // Non-passive, so the page does not scroll while zooming.
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const p = latest.current;
      const el = box.current;
      if (p.view === null || el === null) return;
      const [x, y] = local(e);
      const w = el.clientWidth;
      const h = el.clientHeight;
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? h : 1;
      if (!e.ctrlKey && Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        // Two-finger horizontal swipe on a trackpad: pan.
        p.onView({ ...p.view, cx: p.view.cx + (e.deltaX * unit) / p.view.zoom });
        return;
      }
      // Wheel and pinch (ctrlKey) zoom about the cursor.
      const factor = Math.exp(-e.deltaY * unit * (e.ctrlKey ? 0.01 : 0.002));
      p.onView(zoomAt(p.view, factor, x, y, w, h));
    };
    c.addEventListener("wheel", onWheel, { passive: false });
    return () => c.removeEventListener("wheel", onWheel);
  }, []);

  const onDoubleClick = (e: React.MouseEvent<HTMLCanvasElement>): void => {
    const p = latest.current;
    const el = box.current;
    if (p.view === null || el === null) return;
    const [x, y] = local(e);
    p.onView(zoomAt(p.view, e.shiftKey ? 0.5 : 2, x, y, el.clientWidth, el.clientHeight));
  };

  // Keyboard: arrows pan by a tenth of the view, + and − zoom about the centre.
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    const p = latest.current;
    const el = box.current;
    if (p.view === null || el === null) return;
    const step = Math.min(el.clientWidth, el.clientHeight) / 10 / p.view.zoom;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    const move = moves[e.key];
    if (move !== undefined) p.onView({ ...p.view, cx: p.view.cx + move[0], cy: p.view.cy + move[1] });
    else if (e.key === "+" || e.key === "=")
      p.onView(zoomAt(p.view, 2, el.clientWidth / 2, el.clientHeight / 2, el.clientWidth, el.clientHeight));
    else if (e.key === "-")
      p.onView(zoomAt(p.view, 0.5, el.clientWidth / 2, el.clientHeight / 2, el.clientWidth, el.clientHeight));
    else return;
    e.preventDefault();
  };

  return (
    <div
      ref={box}
      className="fits-canvas"
      data-testid="fits-canvas"
      style={props.hidden ? { visibility: "hidden" } : undefined}
      aria-label={`${props.label || "FITS image"}: drag or arrow keys to pan, wheel or +/− to zoom`}
      role="application"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the image is panned and zoomed with the keyboard
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <canvas ref={glCanvas} className="fits-canvas-gl" />
      <canvas
        ref={overlayCanvas}
        className="fits-canvas-overlay"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={(e) => pointers.current.delete(e.pointerId)}
        onPointerLeave={() => {
          if (pointers.current.size === 0) latest.current.onHover?.(null);
        }}
        onDoubleClick={onDoubleClick}
      />
      {props.label ? <span className="fits-canvas-label">{props.label}</span> : null}
      {error ? <p className="alert alert-error fits-canvas-error">{error}</p> : null}
    </div>
  );
}
