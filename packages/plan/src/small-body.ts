/**
 * Comets and asteroids from osculating orbital elements (JPL SBDB: heliocentric, ecliptic and
 * equinox J2000), propagated as two-body Keplerian orbits — elliptic, parabolic and hyperbolic —
 * about the Sun. Planetary perturbations are neglected: positions drift from the truth by
 * arcseconds to arcminutes over months away from the elements' epoch, so fresh elements matter more
 * than the propagator. Geocentric directions include light time and annual aberration.
 */
import { BaryState, Body, HelioVector, MakeTime } from "astronomy-engine";

const DEG = Math.PI / 180;
/** Gaussian gravitational constant k (rad/day; IAU 1976): GM☉ = k² AU³/d². */
const GAUSS_K = 0.01720209895;
/** Speed of light in AU/day. */
const C_AU_PER_DAY = (299792.458 * 86400) / 149597870.7;
const KM_PER_AU = 149597870.7;
/** Obliquity of the ecliptic at J2000 (IAU 1976, 84381.448″), as JPL's ecliptic elements use. */
const EPS_J2000 = (84381.448 / 3600) * DEG;
const JD_J2000 = 2451545.0;

/** Osculating elements in perihelion form (angles in degrees, ecliptic and equinox J2000). */
export interface OrbitalElements {
  /** Eccentricity (< 1 ellipse, 1 parabola, > 1 hyperbola). */
  readonly e: number;
  /** Perihelion distance, AU. */
  readonly q: number;
  /** Inclination. */
  readonly i: number;
  /** Longitude of the ascending node Ω. */
  readonly node: number;
  /** Argument of perihelion ω. */
  readonly peri: number;
  /** Time of perihelion passage, Julian date (TDB). */
  readonly tp: number;
}

/** A comet or asteroid resolved by name. */
export interface OrbitObject {
  readonly kind: "orbit";
  /** Designation as written by the source (`1 Ceres`, `1P/Halley`, `C/2020 F3 (NEOWISE)`). */
  readonly name: string;
  readonly aliases: readonly string[];
  readonly source: "JPL SBDB";
  readonly type: "asteroid" | "comet";
  readonly elements: OrbitalElements;
  /** Epoch of osculation, Julian date (TDB): positions are best near it. */
  readonly epoch: number;
}

/** Elements from the mean-anomaly form (asteroids): a (AU), e, i, Ω, ω, M (degrees) at `epochJd`. */
export function elementsFromMeanAnomaly(
  a: number,
  e: number,
  i: number,
  node: number,
  peri: number,
  meanAnomaly: number,
  epochJd: number,
): OrbitalElements {
  const n = GAUSS_K / a ** 1.5;
  let m = (meanAnomaly % 360) * DEG;
  if (m > Math.PI) m -= 2 * Math.PI;
  return { e, q: a * (1 - e), i, node, peri, tp: epochJd - m / n };
}

/** Position in the orbital plane (x towards perihelion), AU, at `jd` (TDB). */
function inPlane(el: OrbitalElements, jd: number): [number, number] {
  const { e, q } = el;
  const dt = jd - el.tp;
  if (Math.abs(e - 1) < 1e-9) {
    // Barker's equation: tan(ν/2) = s with s³ + 3s = 3 k dt / √(2 q³).
    const w = (3 * GAUSS_K * dt) / Math.sqrt(2 * q ** 3);
    const y = Math.cbrt(w / 2 + Math.sqrt((w * w) / 4 + 1));
    const s = y - 1 / y;
    return [q * (1 - s * s), 2 * q * s];
  }
  if (e < 1) {
    const a = q / (1 - e);
    const n = GAUSS_K / a ** 1.5;
    let m = (n * dt) % (2 * Math.PI);
    if (m > Math.PI) m -= 2 * Math.PI;
    if (m < -Math.PI) m += 2 * Math.PI;
    // Kepler's equation E − e sin E = M by Newton, started at M + e sin M (π for high e).
    let E = e > 0.8 ? Math.PI * Math.sign(m || 1) : m + e * Math.sin(m);
    for (let k = 0; k < 50; k++) {
      const f = E - e * Math.sin(E) - m;
      const d = f / (1 - e * Math.cos(E));
      E -= d;
      if (Math.abs(d) < 1e-14) break;
    }
    return [a * (Math.cos(E) - e), a * Math.sqrt(1 - e * e) * Math.sin(E)];
  }
  const a = q / (e - 1);
  const n = GAUSS_K / a ** 1.5;
  const m = n * dt;
  // e sinh H − H = M by Newton, started at asinh(M/e).
  let H = Math.asinh(m / e);
  for (let k = 0; k < 100; k++) {
    const f = e * Math.sinh(H) - H - m;
    const d = f / (e * Math.cosh(H) - 1);
    H -= d;
    if (Math.abs(d) < 1e-14) break;
  }
  return [a * (e - Math.cosh(H)), a * Math.sqrt(e * e - 1) * Math.sinh(H)];
}

/** Heliocentric position on J2000 equatorial (EQJ ≈ ICRS) axes, AU, at `jd` (TDB). */
export function heliocentricPosition(el: OrbitalElements, jd: number): [number, number, number] {
  const [x, y] = inPlane(el, jd);
  const cO = Math.cos(el.node * DEG);
  const sO = Math.sin(el.node * DEG);
  const cw = Math.cos(el.peri * DEG);
  const sw = Math.sin(el.peri * DEG);
  const ci = Math.cos(el.i * DEG);
  const si = Math.sin(el.i * DEG);
  // Orbital plane → ecliptic J2000 (R_z(−Ω) R_x(−i) R_z(−ω)).
  const xe = (cO * cw - sO * sw * ci) * x + (-cO * sw - sO * cw * ci) * y;
  const ye = (sO * cw + cO * sw * ci) * x + (-sO * sw + cO * cw * ci) * y;
  const ze = sw * si * x + cw * si * y;
  const ce = Math.cos(EPS_J2000);
  const se = Math.sin(EPS_J2000);
  return [xe, ce * ye - se * ze, se * ye + ce * ze];
}

/**
 * Apparent geocentric position (EQJ axes, km) of an orbit at `ms` (Unix ms UTC): the body where
 * it was one light time earlier, seen from the Earth's centre, with annual aberration.
 */
export function orbitGeocentricKm(el: OrbitalElements, ms: number): [number, number, number] {
  const time = MakeTime(new Date(ms));
  const jd = JD_J2000 + time.tt;
  const earth = HelioVector(Body.Earth, time);
  let tau = 0;
  let g: [number, number, number] = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    const p = heliocentricPosition(el, jd - tau);
    g = [p[0] - earth.x, p[1] - earth.y, p[2] - earth.z];
    tau = Math.hypot(g[0], g[1], g[2]) / C_AU_PER_DAY;
  }
  const dist = Math.hypot(g[0], g[1], g[2]);
  const u = [g[0] / dist, g[1] / dist, g[2] / dist];
  // Classical aberration (Kaplan 2005 §3.5, first order): u' ∝ u + v/c − (u·v/c) u.
  const v = BaryState(Body.Earth, time);
  const bx = v.vx / C_AU_PER_DAY;
  const by = v.vy / C_AU_PER_DAY;
  const bz = v.vz / C_AU_PER_DAY;
  const ub = (u[0] ?? 0) * bx + (u[1] ?? 0) * by + (u[2] ?? 0) * bz;
  const a = [
    (u[0] ?? 0) + bx - ub * (u[0] ?? 0),
    (u[1] ?? 0) + by - ub * (u[1] ?? 0),
    (u[2] ?? 0) + bz - ub * (u[2] ?? 0),
  ];
  const n = Math.hypot(a[0] ?? 0, a[1] ?? 0, a[2] ?? 0);
  const km = dist * KM_PER_AU;
  return [((a[0] ?? 0) / n) * km, ((a[1] ?? 0) / n) * km, ((a[2] ?? 0) / n) * km];
}
