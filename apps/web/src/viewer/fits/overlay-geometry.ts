/**
 * DS9 regions and catalogue positions placed on the image: everything becomes FITS pixel
 * coordinates (1-based) of the image shown, through its WCS for sky systems. Sky sizes use the
 * local pixel scale and sky angles the local direction of north (as DS9 and astropy-regions do
 * for small shapes). "physical" is taken as image pixels (LTM/LTV are not applied).
 */
import type { Ds9Region } from "./ds9-regions.js";
import { ds9FrameText, type ImageWcs, type PlaneIndex } from "./image-wcs.js";

interface Style {
  readonly color: string | null;
  readonly text: string | null;
  readonly exclude: boolean;
  readonly line: number;
}

export type PixelShape = Style &
  (
    | { readonly kind: "circle"; readonly x: number; readonly y: number; readonly r: number }
    | {
        readonly kind: "ellipse" | "box";
        readonly x: number;
        readonly y: number;
        /** Semi-axes (ellipse) or full width and height (box), pixels. */
        readonly a: number;
        readonly b: number;
        /** Degrees counter-clockwise from +x. */
        readonly angle: number;
      }
    | { readonly kind: "polygon" | "line"; readonly points: [number, number][] }
    | { readonly kind: "point"; readonly x: number; readonly y: number; readonly marker: string }
    | { readonly kind: "text"; readonly x: number; readonly y: number }
  );

/** Place one region on the image; null when it cannot be placed (no WCS, outside projection). */
export function regionToPixels(
  region: Ds9Region,
  wcs: ImageWcs | null,
  channel: PlaneIndex = 0,
): PixelShape | null {
  const style: Style = { color: region.color, text: region.text, exclude: region.exclude, line: region.line };
  const sky = region.system !== "image" && region.system !== "physical";
  const frame = sky ? ds9FrameText(region.system) : null;
  if (sky && (wcs === null || frame === null)) return null;
  const place = ([a, b]: [number, number]): [number, number] | null =>
    sky ? (wcs as ImageWcs).skyToPixel(a, b, frame as string, channel) : [a, b];
  const points: [number, number][] = [];
  for (const p of region.points) {
    const q = place(p);
    if (q === null) return null;
    points.push(q);
  }
  const [x, y] = points[0] as [number, number];
  let degPerPixel = 1;
  let north = 0;
  if (sky) {
    const local = (wcs as ImageWcs).localScale(x, y, channel);
    if (local === null) return null;
    degPerPixel = local.degPerPixel;
    north = local.north;
  }
  const size = (i: number): number => {
    const s = region.sizes[i];
    if (s === undefined) return 0;
    return s.unit === "pixel" ? s.value : s.value / degPerPixel;
  };
  const angle = region.angle + (sky ? north : 0);
  switch (region.shape) {
    case "circle":
      return { ...style, kind: "circle", x, y, r: size(0) };
    case "ellipse":
    case "box":
      return { ...style, kind: region.shape, x, y, a: size(0), b: size(1), angle };
    case "polygon":
    case "line":
      return { ...style, kind: region.shape, points };
    case "point":
      return { ...style, kind: "point", x, y, marker: region.marker ?? "circle" };
    case "text":
      return { ...style, kind: "text", x, y };
  }
}

/** Catalogue positions (ICRS degrees) as pixels; points off the projection are left out. */
export function cataloguePixels(
  ra: readonly number[],
  dec: readonly number[],
  wcs: ImageWcs,
  channel: PlaneIndex = 0,
): { x: Float64Array; y: Float64Array; index: Uint32Array } {
  const all = wcs.skyToPixelMany(ra, dec, "icrs", channel);
  const xs: number[] = [];
  const ys: number[] = [];
  const idx: number[] = [];
  for (let i = 0; i < ra.length; i++) {
    const px = all.x[i] as number;
    const py = all.y[i] as number;
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    xs.push(px);
    ys.push(py);
    idx.push(i);
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys), index: Uint32Array.from(idx) };
}
