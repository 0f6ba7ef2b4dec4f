/**
 * The sky footprint of an image: its outline (pixel edges, FITS 1-based: 0.5 … NAXISn + 0.5)
 * mapped through the WCS, in the image's celestial frame and converted to ICRS with
 * @meridian/sky's frame transformations (FK5 and FK4 at the header's EQUINOX, Galactic, …).
 */
import { convertPositions, type Frame, Time } from "@meridian/sky";
import { FitsError } from "./errors.js";
import type { CelestialFrame, Wcs } from "./wcs.js";

/** Options of {@link wcsFootprint}. */
export interface FootprintOptions {
  /** Points along each edge (default 1: the four corners only). More follow curved edges. */
  samplesPerEdge?: number;
  /** Use pixel centres of the corner pixels (astropy's calc_footprint default) instead of edges. */
  center?: boolean;
  /** Pixel coordinates (1-based) used for axes beyond the first two (default 1). */
  otherAxes?: readonly number[];
}

/** An image outline on the sky, degrees; vertices in pixel order (1,1) → (N1,1) → (N1,N2) → (1,N2). */
export interface Footprint {
  /** The image's own celestial frame. */
  frame: CelestialFrame;
  /** [longitude, latitude] vertices in that frame. */
  native: [number, number][];
  /** The same vertices in ICRS, or undefined when the frame has no ICRS equivalent (e.g. helioprojective). */
  icrs: [number, number][] | undefined;
}

/** The @meridian/sky frame of a WCS's celestial axes, or undefined when there is none. */
export function skyFrame(wcs: Wcs): Frame | undefined {
  const eq = wcs.equinox;
  switch (wcs.frame) {
    case "ICRS":
      return { name: "icrs" };
    case "FK5":
      return { name: "fk5", equinox: Time.fromJulianEpoch(eq ?? 2000) };
    case "FK4":
      return { name: "fk4", equinox: Time.fromBesselianEpoch(eq ?? 1950) };
    case "FK4-NO-E":
      return { name: "fk4-no-e", equinox: Time.fromBesselianEpoch(eq ?? 1950) };
    case "GALACTIC":
      return { name: "galactic" };
    case "SUPERGALACTIC":
      return { name: "supergalactic" };
    case "ECLIPTIC":
      return { name: "ecliptic", equinox: Time.fromJulianEpoch(eq ?? 2000) };
    default:
      return undefined;
  }
}

/** Outline of an image of `axes` pixels (NAXIS1, NAXIS2, …) through its celestial WCS. */
export function wcsFootprint(wcs: Wcs, axes: readonly number[], options: FootprintOptions = {}): Footprint {
  if (!wcs.hasCelestial || wcs.frame === undefined) {
    throw new FitsError("INVALID_ARGUMENT", "the image has no celestial WCS, so no sky footprint");
  }
  const [n1 = 1, n2 = 1] = axes;
  const lo = options.center === true ? 1 : 0.5;
  const hi1 = options.center === true ? n1 : n1 + 0.5;
  const hi2 = options.center === true ? n2 : n2 + 0.5;
  const k = Math.max(1, Math.floor(options.samplesPerEdge ?? 1));
  const xs: number[] = [];
  const ys: number[] = [];
  const edge = (x0: number, y0: number, x1: number, y1: number): void => {
    for (let i = 0; i < k; i++) {
      xs.push(x0 + ((x1 - x0) * i) / k);
      ys.push(y0 + ((y1 - y0) * i) / k);
    }
  };
  edge(lo, lo, hi1, lo);
  edge(hi1, lo, hi1, hi2);
  edge(hi1, hi2, lo, hi2);
  edge(lo, hi2, lo, lo);
  const pix = Array.from({ length: wcs.naxis }, (_, axis) =>
    axis === 0
      ? Float64Array.from(xs)
      : axis === 1
        ? Float64Array.from(ys)
        : new Float64Array(xs.length).fill(options.otherAxes?.[axis - 2] ?? 1),
  );
  const world = wcs.pixelToWorld(pix);
  const lng = world[wcs.lngAxis] as Float64Array;
  const lat = world[wcs.latAxis] as Float64Array;
  const keep: number[] = [];
  for (let i = 0; i < lng.length; i++) if (Number.isFinite(lng[i]) && Number.isFinite(lat[i])) keep.push(i);
  const native = keep.map((i) => [lng[i] as number, lat[i] as number] as [number, number]);
  const from = skyFrame(wcs);
  let icrs: [number, number][] | undefined;
  if (from !== undefined) {
    const c = convertPositions(
      native.map((v) => v[0]),
      native.map((v) => v[1]),
      from,
      { name: "icrs" },
    );
    icrs = native.map((_, i) => [c.lon[i] as number, c.lat[i] as number]);
  }
  return { frame: wcs.frame, native, icrs };
}
