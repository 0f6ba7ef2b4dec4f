/**
 * The spherical projection interface of FITS WCS Paper II (Calabretta & Greisen 2002, §2): a map
 * between native spherical coordinates (φ, θ) and intermediate (projection-plane) coordinates (x, y),
 * all in degrees with the default r0 = 180/π.
 */

/** A point in the projection plane or on the native sphere; NaN components mean "no solution". */
export interface Point2 {
  a: number;
  b: number;
}

/** A spherical projection (one of the three-letter codes of Paper II). */
export interface Projection {
  /** Three-letter code, e.g. "TAN". */
  readonly code: string;
  /** Native longitude of the fiducial point, degrees (Paper II §2.5). */
  readonly phi0: number;
  /** Native latitude of the fiducial point, degrees. */
  readonly theta0: number;
  /**
   * Native (φ, θ) → plane (x, y), degrees. Writes into `out`; NaN when the point has no image
   * (beyond a boundary or on the far side).
   */
  project(phi: number, theta: number, out: Point2): void;
  /** Plane (x, y) → native (φ, θ), degrees, φ in [-180, 180]. NaN outside the projection's domain. */
  deproject(x: number, y: number, out: Point2): void;
}

/** Projection parameters PVi_m of the latitude axis (index m), as in Paper II Table 13. */
export type ProjectionParameters = ReadonlyMap<number, number>;

/** Write NaN into both components. */
export function setInvalid(out: Point2): void {
  out.a = Number.NaN;
  out.b = Number.NaN;
}
