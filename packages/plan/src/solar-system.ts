/**
 * Sun, Moon and planets from astronomy-engine, as topocentric unit vectors in the horizon frame at
 * every time of a grid. Geocentric apparent J2000 vectors (light time and aberration included) are
 * evaluated every `nodeMinutes` (default 30) and interpolated linearly — the chord error is < 1″ for
 * the Moon at 30 minutes — then rotated with the per-step matrices and shifted by the site's
 * geocentric position (diurnal parallax: up to 1° for the Moon).
 */
import { Body, GeoVector, Illumination, MakeTime } from "astronomy-engine";
import type { MatrixStack } from "./horizon-frame.js";

const KM_PER_AU = 149597870.7;

/** Bodies a target name can resolve to. */
export const SOLAR_SYSTEM_BODIES = [
  "Sun",
  "Moon",
  "Mercury",
  "Venus",
  "Mars",
  "Jupiter",
  "Saturn",
  "Uranus",
  "Neptune",
  "Pluto",
] as const;

/** A Solar System body name. */
export type SolarSystemBody = (typeof SOLAR_SYSTEM_BODIES)[number];

function toBody(name: SolarSystemBody): Body {
  return Body[name];
}

/** Horizon-frame topocentric unit vectors (3 per time) and distances (km) of a body. */
export interface BodyTrack {
  readonly vectors: Float64Array;
  readonly distanceKm: Float64Array;
}

/** Apparent geocentric position (EQJ axes, km) at a time (Unix ms UTC), e.g. of a comet's orbit. */
export type GeocentricPosition = (ms: number) => readonly [number, number, number];

/**
 * Track of `body` (a Solar System body, or any apparent geocentric position function) over
 * `timesMs` (Unix ms UTC) for a site whose geocentric horizon-frame position (km, from
 * `siteHorizonPosition`) is `sitePos`.
 */
export function bodyTrack(
  body: SolarSystemBody | GeocentricPosition,
  timesMs: Float64Array,
  matrices: MatrixStack,
  sitePos: readonly [number, number, number],
  nodeMinutes = 30,
): BodyTrack {
  const n = timesMs.length;
  const vectors = new Float64Array(3 * n);
  const distanceKm = new Float64Array(n);
  if (n === 0) return { vectors, distanceKm };
  const t0 = timesMs[0] ?? 0;
  const t1 = timesMs[n - 1] ?? 0;
  const step = nodeMinutes * 60000;
  const nNodes = Math.max(2, Math.ceil((t1 - t0) / step) + 1);
  const nodes = new Float64Array(3 * nNodes);
  const at: GeocentricPosition =
    typeof body === "function"
      ? body
      : (ms) => {
          const v = GeoVector(toBody(body), MakeTime(new Date(ms)), true);
          return [v.x * KM_PER_AU, v.y * KM_PER_AU, v.z * KM_PER_AU];
        };
  for (let j = 0; j < nNodes; j++) {
    const v = at(t0 + j * step);
    nodes[3 * j] = v[0];
    nodes[3 * j + 1] = v[1];
    nodes[3 * j + 2] = v[2];
  }
  for (let k = 0; k < n; k++) {
    const u = ((timesMs[k] ?? 0) - t0) / step;
    const j = Math.min(Math.floor(u), nNodes - 2);
    const f = u - j;
    const x = (nodes[3 * j] ?? 0) * (1 - f) + (nodes[3 * j + 3] ?? 0) * f;
    const y = (nodes[3 * j + 1] ?? 0) * (1 - f) + (nodes[3 * j + 4] ?? 0) * f;
    const z = (nodes[3 * j + 2] ?? 0) * (1 - f) + (nodes[3 * j + 5] ?? 0) * f;
    const o = 9 * k;
    const north =
      (matrices[o] ?? 0) * x + (matrices[o + 1] ?? 0) * y + (matrices[o + 2] ?? 0) * z - sitePos[0];
    const west =
      (matrices[o + 3] ?? 0) * x + (matrices[o + 4] ?? 0) * y + (matrices[o + 5] ?? 0) * z - sitePos[1];
    const up =
      (matrices[o + 6] ?? 0) * x + (matrices[o + 7] ?? 0) * y + (matrices[o + 8] ?? 0) * z - sitePos[2];
    const d = Math.hypot(north, west, up);
    distanceKm[k] = d;
    vectors[3 * k] = north / d;
    vectors[3 * k + 1] = west / d;
    vectors[3 * k + 2] = up / d;
  }
  return { vectors, distanceKm };
}

/** Illuminated fraction (0–1) of the Moon's disc at `ms` (Unix ms UTC). */
export function moonIllumination(ms: number): number {
  return Illumination(Body.Moon, MakeTime(new Date(ms))).phase_fraction;
}

/** Altitude (degrees) and azimuth from horizon unit vectors, 3 per time. */
export function vectorsToAltAz(vectors: Float64Array): { altitude: Float64Array; azimuth: Float64Array } {
  const n = Math.floor(vectors.length / 3);
  const altitude = new Float64Array(n);
  const azimuth = new Float64Array(n);
  const RAD = 180 / Math.PI;
  for (let k = 0; k < n; k++) {
    const north = vectors[3 * k] ?? 0;
    const west = vectors[3 * k + 1] ?? 0;
    const up = Math.max(-1, Math.min(1, vectors[3 * k + 2] ?? 0));
    altitude[k] = Math.asin(up) * RAD;
    azimuth[k] = (Math.atan2(-west, north) * RAD + 360) % 360;
  }
  return { altitude, azimuth };
}
