/**
 * Screen ↔ image geometry of the tiled view. Image coordinates are pixel edges: pixel (1, 1) of
 * FITS covers [0, 1) × [0, 1), so FITS pixel x = u + 0.5. The view keeps a centre (u, v) and a zoom
 * (CSS pixels per image pixel); screen y grows downwards, image y upwards (FITS row 1 at the bottom).
 */

export interface View {
  readonly cx: number;
  readonly cy: number;
  readonly zoom: number;
}

export interface LevelInfo {
  readonly level: number;
  readonly width: number;
  readonly height: number;
  readonly columns: number;
  readonly rows: number;
}

export const MIN_ZOOM = 1 / 256;
export const MAX_ZOOM = 256;

/** The whole image in a width×height box, centred. */
export function fitView(imageWidth: number, imageHeight: number, boxWidth: number, boxHeight: number): View {
  const zoom = Math.min(boxWidth / imageWidth, boxHeight / imageHeight) * 0.98;
  return { cx: imageWidth / 2, cy: imageHeight / 2, zoom: clampZoom(zoom) };
}

export function clampZoom(z: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
}

/** Screen (CSS pixels from the box's top left) → image pixel-edge coordinates. */
export function screenToImage(view: View, sx: number, sy: number, w: number, h: number): [number, number] {
  return [view.cx + (sx - w / 2) / view.zoom, view.cy - (sy - h / 2) / view.zoom];
}

/** Image pixel-edge coordinates → screen. */
export function imageToScreen(view: View, u: number, v: number, w: number, h: number): [number, number] {
  return [w / 2 + (u - view.cx) * view.zoom, h / 2 - (v - view.cy) * view.zoom];
}

/** Zoom by `factor` keeping the image point under (sx, sy) in place. */
export function zoomAt(view: View, factor: number, sx: number, sy: number, w: number, h: number): View {
  const zoom = clampZoom(view.zoom * factor);
  const [u, v] = screenToImage(view, sx, sy, w, h);
  return { zoom, cx: u - (sx - w / 2) / zoom, cy: v + (sy - h / 2) / zoom };
}

/**
 * The pyramid level to show at `zoom` (level L has 2^L image pixels per pixel): the coarsest whose
 * pixels appear at most 2^0.75 ≈ 1.7 screen pixels wide, so a fitted 4096² image needs 512² values
 * (1 MiB) rather than 1024² (4 MiB), and never blurs more than that.
 */
export function levelFor(zoom: number, levels: number): number {
  const l = Math.ceil(Math.log2(1 / zoom) - 0.25);
  return Math.max(0, Math.min(levels - 1, l));
}

/** Tiles of `level` that intersect the view. */
export function visibleTiles(
  view: View,
  w: number,
  h: number,
  level: LevelInfo,
  tileSize: number,
): { col: number; row: number }[] {
  const f = 2 ** level.level;
  const [u0, v1] = screenToImage(view, 0, 0, w, h);
  const [u1, v0] = screenToImage(view, w, h, w, h);
  const span = tileSize * f;
  const c0 = Math.max(0, Math.floor(u0 / span));
  const c1 = Math.min(level.columns - 1, Math.floor(u1 / span));
  const r0 = Math.max(0, Math.floor(v0 / span));
  const r1 = Math.min(level.rows - 1, Math.floor(v1 / span));
  const out: { col: number; row: number }[] = [];
  // Centre first, so the middle of the view appears first.
  const mc = (c0 + c1) / 2;
  const mr = (r0 + r1) / 2;
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) out.push({ col: c, row: r });
  out.sort((a, b) => Math.hypot(a.col - mc, a.row - mr) - Math.hypot(b.col - mc, b.row - mr));
  return out;
}
