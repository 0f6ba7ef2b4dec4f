/**
 * Cone search on the HEALPix index: a cone widened by the largest footprint radius becomes a few
 * NESTED index ranges at a coarse order, shifted to order 29 (the order of `data_files.healpix29`),
 * so PostgreSQL reads a handful of B-tree ranges; the angular-distance test then keeps files whose
 * footprint circle touches the cone, and the footprint polygon, when there is one, decides last.
 */
import { type PolygonRegion, queryDisc, regionsOverlap } from "@meridian/sky";
import { ServerError } from "../../errors.js";

/** A cone on the sky, degrees (ICRS). */
export interface Cone {
  readonly ra: number;
  readonly dec: number;
  readonly radius: number;
}

/** Resolution of order 0 pixels, degrees (√(4π/12) rad). */
const ORDER0_RESOLUTION_DEG = 58.6323;
/** Order of the index column. */
export const INDEX_ORDER = 29;

/** Check a cone's numbers. */
export function checkCone(cone: Cone): void {
  if (!(cone.ra >= 0 && cone.ra < 360))
    throw new ServerError("BAD_REQUEST", `ra ${cone.ra} is not in [0, 360) degrees`);
  if (!(cone.dec >= -90 && cone.dec <= 90))
    throw new ServerError("BAD_REQUEST", `dec ${cone.dec} is not in [-90, 90] degrees`);
  if (!(cone.radius > 0 && cone.radius <= 180))
    throw new ServerError("BAD_REQUEST", `radius ${cone.radius} is not in (0, 180] degrees`);
}

/**
 * Order-29 NESTED index ranges `[start, end)` covering every point within `radius` degrees of
 * (ra, dec): an inclusive disc query at the order whose pixels are about half the radius.
 */
export function coneRanges(ra: number, dec: number, radius: number): bigint[] {
  if (radius >= 180) return [0n, 12n * 4n ** 29n];
  const order = Math.max(0, Math.min(INDEX_ORDER, Math.floor(Math.log2(ORDER0_RESOLUTION_DEG / radius)) + 1));
  const ranges = queryDisc(order, ra, dec, radius, { inclusive: true }).rangesBig;
  const shift = 2n * BigInt(INDEX_ORDER - order);
  return ranges.map((v) => v << shift);
}

/** True when the polygon `footprint` ([ra, dec] corners, degrees) overlaps the cone. */
export function footprintTouchesCone(footprint: readonly (readonly [number, number])[], cone: Cone): boolean {
  if (footprint.length < 3) return true;
  const poly: PolygonRegion = { kind: "polygon", vertices: footprint.map((v) => [v[0], v[1]] as const) };
  try {
    return regionsOverlap({ kind: "circle", center: [cone.ra, cone.dec], radius: cone.radius }, poly);
  } catch {
    // A degenerate footprint (repeated corners) cannot be tested exactly; its circle test stands.
    return true;
  }
}
