/**
 * The WCS of the image on screen, evaluated in the browser (@meridian/fits parseWcs on the header
 * cards) and converted between frames with @meridian/sky: pixel ↔ sky, the readout under the
 * cursor in ICRS, FK5 (J2000) and Galactic (degrees and sexagesimal), the spectral value of a
 * cube's channel, and the local pixel scale and north direction used to draw sky regions.
 * Pixel coordinates here are FITS 1-based (the centre of the first pixel is 1, 1).
 */
import { parseHeaderText, parseWcs, skyFrame, type Wcs } from "@meridian/fits";
import { convertPosition, convertPositions, type Frame, formatSexagesimal } from "@meridian/sky";

export type ReadoutFrame = "icrs" | "fk5" | "galactic";

export interface SkyPosition {
  readonly frame: ReadoutFrame;
  /** Degrees. */
  readonly lon: number;
  readonly lat: number;
  /** Sexagesimal: RA in hours for ICRS/FK5, degrees for Galactic. */
  readonly lonText: string;
  readonly latText: string;
}

export interface WcsReadout {
  readonly sky: SkyPosition[];
  /** World values along the axes beyond the first two (a cube's spectral axis, Stokes, …). */
  readonly extra: {
    readonly axis: number;
    readonly ctype: string;
    readonly value: number;
    readonly unit: string;
    readonly spectral: boolean;
  }[];
}

/** Where along NAXIS3 (a number) or NAXIS3, NAXIS4, … (an array) a plane is, 0-based. */
export type PlaneIndex = number | readonly number[];

/** The frame of a DS9 system as @meridian/sky text. */
export function ds9FrameText(system: string): string | null {
  switch (system) {
    case "fk5":
      return "fk5(J2000)";
    case "fk4":
      return "fk4(B1950)";
    case "icrs":
      return "icrs";
    case "galactic":
      return "galactic";
    case "ecliptic":
      return "ecliptic(J2000)";
    default:
      return null;
  }
}

export class ImageWcs {
  private constructor(
    readonly wcs: Wcs,
    /** The WCS's own celestial frame (null: not convertible). */
    readonly frame: Frame | null,
  ) {}

  /** Build from 80-character card images; throws when the header has no usable WCS. */
  static fromCards(cards: readonly string[]): ImageWcs {
    const header = parseHeaderText(cards.join("\n"));
    const wcs = parseWcs(header);
    return new ImageWcs(wcs, skyFrame(wcs) ?? null);
  }

  get celestial(): boolean {
    return this.wcs.hasCelestial;
  }

  private pixelVector(x: number, y: number, plane: PlaneIndex): number[] {
    const p = new Array<number>(this.wcs.naxis).fill(1);
    p[0] = x;
    if (p.length > 1) p[1] = y;
    const rest = typeof plane === "number" ? [plane] : plane;
    for (let i = 0; i < rest.length && i + 2 < p.length; i++) p[i + 2] = (rest[i] as number) + 1;
    return p;
  }

  /** World coordinates (degrees / SI units) of pixel (x, y) of the plane `channel`. */
  world(x: number, y: number, channel: PlaneIndex = 0): number[] {
    return this.wcs.pixelToWorldPoint(...this.pixelVector(x, y, channel));
  }

  /** [lon, lat] in the WCS's own frame (degrees), or null outside the projection. */
  pixelToNative(x: number, y: number, channel: PlaneIndex = 0): [number, number] | null {
    if (!this.celestial) return null;
    const w = this.world(x, y, channel);
    const lon = w[this.wcs.lngAxis] as number;
    const lat = w[this.wcs.latAxis] as number;
    return Number.isFinite(lon) && Number.isFinite(lat) ? [lon, lat] : null;
  }

  /** The cursor readout at pixel (x, y). */
  readout(x: number, y: number, channel: PlaneIndex = 0): WcsReadout {
    const w = this.world(x, y, channel);
    const extra: WcsReadout["extra"] = [];
    for (let i = 2; i < this.wcs.naxis; i++) {
      const axis = this.wcs.axes[i];
      if (axis === undefined || i === this.wcs.lngAxis || i === this.wcs.latAxis) continue;
      extra.push({
        axis: i + 1,
        ctype: axis.ctype,
        value: w[i] as number,
        unit: axis.unit,
        spectral: i === this.wcs.specAxis,
      });
    }
    const native = this.pixelToNative(x, y, channel);
    const sky: SkyPosition[] = [];
    if (native !== null && this.frame !== null) {
      for (const frame of ["icrs", "fk5", "galactic"] as const) {
        const [lon, lat] = convertPosition(
          native[0],
          native[1],
          this.frame,
          frame === "fk5" ? "fk5(J2000)" : frame,
        );
        const equatorial = frame !== "galactic";
        sky.push({
          frame,
          lon,
          lat,
          lonText: formatSexagesimal(
            lon,
            equatorial ? { unit: "hour", precision: 3 } : { precision: 2, pad: 3 },
          ),
          latText: formatSexagesimal(lat, { precision: 2, alwaysSign: true }),
        });
      }
    }
    return { sky, extra };
  }

  /** Pixel (x, y) of a sky position given in `frame` (a @meridian/sky frame or its text), or null. */
  skyToPixel(
    lon: number,
    lat: number,
    frame: Frame | string,
    channel: PlaneIndex = 0,
  ): [number, number] | null {
    if (!this.celestial || this.frame === null) return null;
    let p: [number, number];
    try {
      p = frame === this.frame ? [lon, lat] : convertPosition(lon, lat, frame, this.frame);
    } catch {
      return null;
    }
    const world = new Array<number>(this.wcs.naxis).fill(0);
    const ref = this.world(1, 1, channel);
    for (let i = 0; i < world.length; i++) world[i] = ref[i] as number;
    world[this.wcs.lngAxis] = p[0];
    world[this.wcs.latAxis] = p[1];
    const pix = this.wcs.worldToPixelPoint(...world);
    const x = pix[0] as number;
    const y = pix[1] as number;
    return Number.isFinite(x) && Number.isFinite(y) ? [x, y] : null;
  }

  /** Many sky positions (degrees in `frame`) to pixels at once; NaN where there is none. */
  skyToPixelMany(
    lon: ArrayLike<number>,
    lat: ArrayLike<number>,
    frame: Frame | string,
    channel: PlaneIndex = 0,
  ): { x: Float64Array; y: Float64Array } {
    const n = lon.length;
    if (!this.celestial || this.frame === null)
      return { x: new Float64Array(n).fill(Number.NaN), y: new Float64Array(n).fill(Number.NaN) };
    const native = frame === this.frame ? { lon, lat } : convertPositions(lon, lat, frame, this.frame);
    const ref = this.world(1, 1, channel);
    const world: ArrayLike<number>[] = ref.map((v, i) =>
      i === this.wcs.lngAxis ? native.lon : i === this.wcs.latAxis ? native.lat : new Float64Array(n).fill(v),
    );
    const pix = this.wcs.worldToPixel(world);
    return { x: pix[0] as Float64Array, y: pix[1] as Float64Array };
  }

  /**
   * Degrees per pixel and the direction of north near pixel (x, y): `north` is the angle in
   * degrees from the image +y axis towards −x (0 for north up).
   */
  localScale(x: number, y: number, channel: PlaneIndex = 0): { degPerPixel: number; north: number } | null {
    const c = this.pixelToNative(x, y, channel);
    if (c === null || this.frame === null) return null;
    const eps = 1 / 3600;
    const up = this.skyToPixel(c[0], Math.min(90, c[1] + eps), this.frame, channel);
    if (up === null) return null;
    const dx = up[0] - x;
    const dy = up[1] - y;
    const pixels = Math.hypot(dx, dy);
    if (!(pixels > 0)) return null;
    return { degPerPixel: eps / pixels, north: (Math.atan2(-dx, dy) * 180) / Math.PI };
  }
}
