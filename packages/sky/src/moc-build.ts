/**
 * Building spatial MOCs from regions (MOC 2.0 §2: a MOC of a region covers every cell that
 * overlaps it). Discs, convex polygons and boxes use the HEALPix inclusive queries; any other
 * region (ellipse, concave polygon, …) is covered by hierarchical refinement of its `contains`
 * test.
 */
import { SkyError } from "./errors.js";
import { pix2ang } from "./healpix.js";
import { pixelBoundaries } from "./healpix-neighbours.js";
import { queryBox, queryDisc, queryPolygon } from "./healpix-query.js";
import type { HealpixRanges } from "./healpix-ranges.js";
import { cellSpan, Moc } from "./moc.js";
import { asPolygon, boundingCircle, type Region, regionContains } from "./region.js";

/** Options of the region → MOC builders. */
export interface MocBuildOptions {
  /**
   * Cover every cell that overlaps the region (default, as MOC 2.0 prescribes) or, when false,
   * only the cells whose centre lies inside it.
   */
  inclusive?: boolean;
}

function fromRanges(order: number, r: HealpixRanges): Moc {
  const span = cellSpan(order);
  return new Moc(
    order,
    r.rangesBig.map((v) => v * span),
  );
}

/** MOC of a disc centred at (lon, lat) with `radius`, all in degrees. */
export function mocFromDisc(
  lon: number,
  lat: number,
  radius: number,
  order: number,
  opts: MocBuildOptions = {},
): Moc {
  return fromRanges(
    order,
    queryDisc(order, lon, lat, radius, { inclusive: opts.inclusive ?? true, fact: factFor(order) }),
  );
}

/** MOC of a convex spherical polygon (vertices in degrees, great-circle edges). */
export function mocFromConvexPolygon(
  vertices: readonly { lon: number; lat: number }[],
  order: number,
  opts: MocBuildOptions = {},
): Moc {
  return fromRanges(
    order,
    queryPolygon(order, vertices, { inclusive: opts.inclusive ?? true, fact: factFor(order) }),
  );
}

/** MOC of a lon/lat box (a "range" region): lon1 → lon2 eastward, lat1..lat2, degrees. */
export function mocFromBox(
  lon1: number,
  lon2: number,
  lat1: number,
  lat2: number,
  order: number,
  opts: MocBuildOptions = {},
): Moc {
  return fromRanges(
    order,
    queryBox(order, lon1, lon2, lat1, lat2, { inclusive: opts.inclusive ?? true, fact: factFor(order) }),
  );
}

/** Oversampling for inclusive tests: 4 while the deeper order exists (order ≤ 27). */
function factFor(order: number): number {
  return order <= 27 ? 4 : 2 ** (29 - order);
}

/** Any region with a point-in-region test (lon, lat in degrees). */
export interface ContainsRegion {
  contains(lon: number, lat: number): boolean;
  /** A circle (degrees) enclosing the region, to skip far cells; optional. */
  boundingCircle?(): { lon: number; lat: number; radius: number };
}

/**
 * MOC of any region with a `contains` test, by hierarchical refinement: a cell is kept whole when
 * its centre and `samples` points along each edge are inside, dropped when none is inside and it
 * cannot hold the region's bounding circle, and split otherwise, down to `order`. At `order`,
 * cells with any sample inside are kept (and the cell holding the region's centre). Sampling
 * can miss features thinner than 1/`samples` of a cell.
 */
export function mocFromContains(region: ContainsRegion, order: number, samples = 4): Moc {
  if (!Number.isInteger(samples) || samples < 1) {
    throw new SkyError("INVALID_ARGUMENT", `samples must be a positive integer, got ${samples}`);
  }
  if (!(Number.isInteger(order) && order >= 0 && order <= 24)) {
    throw new SkyError(
      "INVALID_ORDER",
      `a MOC built from a contains test is limited to orders 0..24, got ${order}`,
    );
  }
  const bc = region.boundingCircle?.();
  const cand: { o: number; p: number }[] = [];
  const startOrder = Math.min(order, 3);
  if (bc) {
    for (const p of queryDisc(startOrder, bc.lon, bc.lat, bc.radius, { inclusive: true }).pixels()) {
      cand.push({ o: startOrder, p });
    }
  } else {
    for (let p = 0; p < 12 * 4 ** startOrder; p++) cand.push({ o: startOrder, p });
  }
  const keep: bigint[] = [];
  const centreCell = bc ? queryDisc(order, bc.lon, bc.lat, 0, { inclusive: true }) : null;
  const stack = cand.reverse();
  while (stack.length > 0) {
    const { o, p } = stack.pop() as { o: number; p: number };
    const pts = [pix2ang(o, p, "nest"), ...pixelBoundaries(o, p, "nest", samples)];
    let inside = 0;
    for (const q of pts) if (region.contains(q.lon, q.lat)) inside++;
    const span = cellSpan(o);
    if (inside === pts.length) {
      keep.push(BigInt(p) * span, BigInt(p + 1) * span);
    } else if (o < order) {
      if (inside > 0 || bc === undefined || cellMayHold(o, p, bc)) {
        for (let k = 3; k >= 0; k--) stack.push({ o: o + 1, p: 4 * p + k });
      }
    } else if (inside > 0) {
      keep.push(BigInt(p) * span, BigInt(p + 1) * span);
    }
  }
  if (centreCell && bc && region.contains(bc.lon, bc.lat)) {
    const span = cellSpan(order);
    for (const p of centreCell.pixels()) keep.push(BigInt(p) * span, BigInt(p + 1) * span);
  }
  return new Moc(order, keep);
}

/** Could cell (o, p) overlap the bounding circle? (cell centre within circle + cell radius) */
function cellMayHold(o: number, p: number, bc: { lon: number; lat: number; radius: number }): boolean {
  const c = pix2ang(o, p, "nest");
  const r = Math.PI / 180;
  const cosd =
    Math.sin(c.lat * r) * Math.sin(bc.lat * r) +
    Math.cos(c.lat * r) * Math.cos(bc.lat * r) * Math.cos((c.lon - bc.lon) * r);
  const d = Math.acos(Math.max(-1, Math.min(1, cosd))) / r;
  // Largest centre-to-corner distance of any cell at order o is below 60°/2^o + margin.
  return d <= bc.radius + 70 / 2 ** o;
}

/**
 * MOC of any {@link Region} (circle, polygon, box, ellipse, range) at `order`. Circles, ranges and
 * convex polygons (interior "smaller") are exact HEALPix covers; other shapes (concave polygons,
 * rotated boxes that are not convex on the sphere, ellipses) use {@link mocFromContains}.
 * The region's frame is not converted: the MOC is in the region's own frame.
 */
export function mocFromRegion(region: Region, order: number, opts: MocBuildOptions = {}): Moc {
  switch (region.kind) {
    case "circle":
      return mocFromDisc(region.center[0], region.center[1], region.radius, order, opts);
    case "range":
      return mocFromBox(region.lon[0], region.lon[1], region.lat[0], region.lat[1], order, opts);
    default: {
      const poly = region.kind === "polygon" ? region : region.kind === "box" ? asPolygon(region) : undefined;
      if (poly && (poly.interior ?? "smaller") === "smaller") {
        try {
          return mocFromConvexPolygon(
            poly.vertices.map(([lon, lat]) => ({ lon, lat })),
            order,
            opts,
          );
        } catch (e) {
          if (!(e instanceof SkyError && e.code === "INVALID_ARGUMENT")) throw e;
        }
      }
      const bc = boundingCircle(region);
      return mocFromContains(
        {
          contains: (lon, lat) => regionContains(region, lon, lat),
          boundingCircle: () => ({ lon: bc.center[0], lat: bc.center[1], radius: bc.radius }),
        },
        order,
      );
    }
  }
}
