/**
 * HEALPix pixel neighbours and pixel boundaries (Górski et al. 2005 §4; face adjacency as in
 * HEALPix C++ `neighbors` and `boundaries`).
 */
import {
  decodePixel,
  encodeXyf,
  HALF_PI,
  type HealpixScheme,
  JPLL,
  JRLL,
  type LonLat,
  xyfF,
  xyfX,
  xyfY,
} from "./healpix.js";
import type { Degrees } from "./units.js";

// Offsets of the 8 neighbours in (x, y) inside a face, in the order SW, W, NW, N, NE, E, SE, S.
const NB_X = [-1, -1, 0, 1, 1, 1, 0, -1] as const;
const NB_Y = [0, 1, 1, 1, 0, -1, -1, -1] as const;
// Face reached when stepping off face f in direction d (−1: no face there, a corner of the
// 8-fold vertices), indexed [d][f] with d = 4 + 3·Δy + Δx.
const NB_FACE: readonly (readonly number[])[] = [
  [8, 9, 10, 11, -1, -1, -1, -1, 10, 11, 8, 9],
  [5, 6, 7, 4, 8, 9, 10, 11, 9, 10, 11, 8],
  [-1, -1, -1, -1, 5, 6, 7, 4, -1, -1, -1, -1],
  [4, 5, 6, 7, 11, 8, 9, 10, 11, 8, 9, 10],
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  [1, 2, 3, 0, 0, 1, 2, 3, 5, 6, 7, 4],
  [-1, -1, -1, -1, 7, 4, 5, 6, -1, -1, -1, -1],
  [3, 0, 1, 2, 3, 0, 1, 2, 4, 5, 6, 7],
  [2, 3, 0, 1, -1, -1, -1, -1, 0, 1, 2, 3],
];
// How coordinates transform across that edge: bit 1 mirror x, bit 2 mirror y, bit 4 swap x/y;
// indexed [d][row of faces f >> 2].
const NB_SWAP: readonly (readonly number[])[] = [
  [0, 0, 3],
  [0, 0, 6],
  [0, 0, 0],
  [0, 0, 5],
  [0, 0, 0],
  [5, 0, 0],
  [0, 0, 0],
  [6, 0, 0],
  [3, 0, 0],
];

/**
 * The 8 neighbours of a pixel, in the order SW, W, NW, N, NE, E, SE, S (as healpy's
 * `get_all_neighbours`), in the same scheme and index type as `pix`. A missing neighbour (only
 * at the 8 corners where 3 faces meet) is −1 (or −1n).
 */
export function neighbours<T extends number | bigint>(
  order: number,
  pix: T,
  scheme: HealpixScheme = "nest",
): T[] {
  decodePixel(order, pix, scheme);
  const ix = xyfX;
  const iy = xyfY;
  const face = xyfF;
  const nside = 2 ** order;
  const missing = (typeof pix === "bigint" ? -1n : -1) as T;
  const out: T[] = [];
  for (let i = 0; i < 8; i++) {
    let x = ix + (NB_X[i] as number);
    let y = iy + (NB_Y[i] as number);
    let dir = 4;
    if (x < 0) {
      x += nside;
      dir -= 1;
    } else if (x >= nside) {
      x -= nside;
      dir += 1;
    }
    if (y < 0) {
      y += nside;
      dir -= 3;
    } else if (y >= nside) {
      y -= nside;
      dir += 3;
    }
    const f = (NB_FACE[dir] as readonly number[])[face] as number;
    if (f < 0) {
      out.push(missing);
      continue;
    }
    const bits = (NB_SWAP[dir] as readonly number[])[face >> 2] as number;
    if (bits & 1) x = nside - x - 1;
    if (bits & 2) y = nside - y - 1;
    if (bits & 4) {
      const t = x;
      x = y;
      y = t;
    }
    out.push(encodeXyf(order, x, y, f, scheme, pix));
  }
  return out;
}

/**
 * Point (x, y) ∈ [0, 1]² of base face `face` → unit vector written to out[k..k+2].
 * Górski et al. 2005 eqs. 19–20 (HEALPix C++ `xyf2loc`).
 */
function faceXyToVec(x: number, y: number, face: number, out: Float64Array, k: number): void {
  const jr = (JRLL[face] as number) - x - y;
  let nr: number;
  let z: number;
  let sth = 0;
  let haveSth = false;
  if (jr < 1) {
    nr = jr;
    const tmp = (nr * nr) / 3;
    z = 1 - tmp;
    if (z > 0.99) {
      sth = Math.sqrt(tmp * (2 - tmp));
      haveSth = true;
    }
  } else if (jr > 3) {
    nr = 4 - jr;
    const tmp = (nr * nr) / 3;
    z = tmp - 1;
    if (z < -0.99) {
      sth = Math.sqrt(tmp * (2 - tmp));
      haveSth = true;
    }
  } else {
    nr = 1;
    z = ((2 - jr) * 2) / 3;
  }
  let tmp = (JPLL[face] as number) * nr + x - y;
  if (tmp < 0) tmp += 8;
  if (tmp >= 8) tmp -= 8;
  const phi = nr < 1e-15 ? 0 : (0.5 * HALF_PI * tmp) / nr;
  if (!haveSth) sth = Math.sqrt((1 - z) * (1 + z));
  out[k] = sth * Math.cos(phi);
  out[k + 1] = sth * Math.sin(phi);
  out[k + 2] = z;
}

/**
 * Points along the boundary of a pixel as unit vectors (x, y, z interleaved, 4·step points):
 * `step` points per edge, starting at the north corner and going N → W → S → E, as healpy's
 * `boundaries`.
 */
export function pixelBoundaryVectors(
  order: number,
  pix: number | bigint,
  scheme: HealpixScheme = "nest",
  step = 1,
): Float64Array {
  decodePixel(order, pix, scheme);
  const nside = 2 ** order;
  const out = new Float64Array(12 * step);
  const dc = 0.5 / nside;
  const xc = (xyfX + 0.5) / nside;
  const yc = (xyfY + 0.5) / nside;
  const d = 1 / (step * nside);
  const f = xyfF;
  for (let i = 0; i < step; i++) {
    faceXyToVec(xc + dc - i * d, yc + dc, f, out, 3 * i);
    faceXyToVec(xc - dc, yc + dc - i * d, f, out, 3 * (i + step));
    faceXyToVec(xc - dc + i * d, yc - dc, f, out, 3 * (i + 2 * step));
    faceXyToVec(xc + dc, yc - dc + i * d, f, out, 3 * (i + 3 * step));
  }
  return out;
}

/** Points along the boundary of a pixel as (lon, lat) in degrees; see {@link pixelBoundaryVectors}. */
export function pixelBoundaries(
  order: number,
  pix: number | bigint,
  scheme: HealpixScheme = "nest",
  step = 1,
): LonLat[] {
  const v = pixelBoundaryVectors(order, pix, scheme, step);
  const out: LonLat[] = [];
  for (let k = 0; k < v.length; k += 3) {
    const x = v[k] as number;
    const y = v[k + 1] as number;
    const z = v[k + 2] as number;
    let lon = (Math.atan2(y, x) * 180) / Math.PI;
    if (lon < 0) lon += 360;
    const lat = (Math.atan2(z, Math.hypot(x, y)) * 180) / Math.PI;
    out.push({ lon: lon as Degrees, lat: lat as Degrees });
  }
  return out;
}
