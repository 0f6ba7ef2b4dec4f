/**
 * From SGP4's TEME frame to what an observer sees (Vallado et al. 2006, "Revisiting Spacetrack
 * Report #3", §§ on TEME): TEME → PEF by GMST (IAU 1982, UT1) → ITRF with polar motion neglected
 * (≤ 0.5″ at the geocentre, ≤ 15 m at the surface) → topocentric vector from the WGS84 site →
 * true equator and equinox of date (rotate by GAST = GMST + equation of the equinoxes, IAU 2000B
 * nutation from astronomy-engine) → J2000/ICRS axes by the inverse precession–nutation matrix
 * (frame bias neglected, 23 mas). Positions are geometric at the instant: no light time, no
 * aberration (as skyfield's `(sat - topos).at(t)`); for a satellite the annual aberration that
 * stars show (≤ 20.5″) does not apply, and diurnal aberration (≤ 0.3″) is neglected.
 */
import { e_tilt, MakeTime } from "astronomy-engine";
import { gstime } from "satellite.js";
import { precessionNutationMatrix } from "./horizon-frame.js";
import type { Site } from "./site.js";

const DEG = Math.PI / 180;
/** Julian Date of the Unix epoch. */
const JD_UNIX = 2440587.5;

/** Julian Date (UTC) of Unix ms. */
export function julianDate(ms: number): number {
  return ms / 86400000 + JD_UNIX;
}

/** WGS84 geocentric position of a site in km (ITRF axes). */
export function siteItrf(site: Site): [number, number, number] {
  const a = 6378.137;
  const f = 1 / 298.257223563;
  const e2 = f * (2 - f);
  const phi = site.latitude * DEG;
  const lam = site.longitude * DEG;
  const s = Math.sin(phi);
  const c = Math.cos(phi);
  const n = a / Math.sqrt(1 - e2 * s * s);
  const h = site.elevation / 1000;
  return [(n + h) * c * Math.cos(lam), (n + h) * c * Math.sin(lam), (n * (1 - e2) + h) * s];
}

/**
 * Frame conversions for one site over a short span (an exposure): precession–nutation and the
 * equation of the equinoxes are taken at `midMs` (they change by < 0.01″ in an hour).
 */
export class SatelliteFrame {
  readonly site: Site;
  readonly ut1MinusUtc: number;
  /** J2000 → true of date, row-major. */
  readonly pn: Float64Array;
  /** Equation of the equinoxes, radians. */
  readonly eqeq: number;
  readonly observer: [number, number, number];
  readonly #sinLat: number;
  readonly #cosLat: number;
  readonly #sinLon: number;
  readonly #cosLon: number;

  constructor(site: Site, midMs: number, ut1MinusUtc = 0) {
    this.site = site;
    this.ut1MinusUtc = ut1MinusUtc;
    this.pn = precessionNutationMatrix(midMs);
    this.eqeq = ((e_tilt(MakeTime(new Date(midMs))).ee * 15) / 3600) * DEG;
    this.observer = siteItrf(site);
    this.#sinLat = Math.sin(site.latitude * DEG);
    this.#cosLat = Math.cos(site.latitude * DEG);
    this.#sinLon = Math.sin(site.longitude * DEG);
    this.#cosLon = Math.cos(site.longitude * DEG);
  }

  /** GMST (IAU 1982) in radians at `ms` UTC. */
  gmst(ms: number): number {
    return gstime(julianDate(ms + this.ut1MinusUtc * 1000));
  }

  /** Observer position in TEME (km) at `ms`, written to `out`. */
  observerTeme(ms: number, out: Float64Array | number[]): void {
    const th = this.gmst(ms);
    const c = Math.cos(th);
    const s = Math.sin(th);
    const [x, y, z] = this.observer;
    out[0] = c * x - s * y;
    out[1] = s * x + c * y;
    out[2] = z;
  }

  /** A J2000 direction rotated into TEME (true of date, then the mean equinox). */
  j2000ToTeme(v: readonly [number, number, number]): [number, number, number] {
    const p = this.pn;
    const x = (p[0] ?? 0) * v[0] + (p[1] ?? 0) * v[1] + (p[2] ?? 0) * v[2];
    const y = (p[3] ?? 0) * v[0] + (p[4] ?? 0) * v[1] + (p[5] ?? 0) * v[2];
    const z = (p[6] ?? 0) * v[0] + (p[7] ?? 0) * v[1] + (p[8] ?? 0) * v[2];
    // r_TEME = R3(eqeq) r_TOD (RA_TOD = RA_TEME + eqeq).
    const c = Math.cos(this.eqeq);
    const s = Math.sin(this.eqeq);
    return [c * x + s * y, -s * x + c * y, z];
  }

  /** A TEME vector rotated to true of date and to J2000 axes. */
  temeToDate(v: readonly [number, number, number]): [number, number, number] {
    const c = Math.cos(this.eqeq);
    const s = Math.sin(this.eqeq);
    return [c * v[0] - s * v[1], s * v[0] + c * v[1], v[2]];
  }

  /** True-of-date vector to J2000 axes (inverse precession–nutation). */
  dateToJ2000(v: readonly [number, number, number]): [number, number, number] {
    const p = this.pn;
    return [
      (p[0] ?? 0) * v[0] + (p[3] ?? 0) * v[1] + (p[6] ?? 0) * v[2],
      (p[1] ?? 0) * v[0] + (p[4] ?? 0) * v[1] + (p[7] ?? 0) * v[2],
      (p[2] ?? 0) * v[0] + (p[5] ?? 0) * v[1] + (p[8] ?? 0) * v[2],
    ];
  }

  /** Horizon (alt, az in degrees) of a TEME topocentric vector at `ms`. */
  temeToAltAz(rho: readonly [number, number, number], ms: number): { alt: number; az: number } {
    const th = this.gmst(ms);
    const c = Math.cos(th);
    const s = Math.sin(th);
    // TEME → PEF/ITRF: R3(GMST).
    const x = c * rho[0] + s * rho[1];
    const y = -s * rho[0] + c * rho[1];
    const z = rho[2];
    const e = -this.#sinLon * x + this.#cosLon * y;
    const n = -this.#sinLat * this.#cosLon * x - this.#sinLat * this.#sinLon * y + this.#cosLat * z;
    const u = this.#cosLat * this.#cosLon * x + this.#cosLat * this.#sinLon * y + this.#sinLat * z;
    const r = Math.hypot(e, n, u);
    return { alt: Math.asin(u / r) / DEG, az: (Math.atan2(e, n) / DEG + 360) % 360 };
  }

  /** TEME direction of a horizon pointing (alt, az degrees) at `ms`. */
  altAzToTeme(alt: number, az: number, ms: number): [number, number, number] {
    const ca = Math.cos(alt * DEG);
    const e = ca * Math.sin(az * DEG);
    const n = ca * Math.cos(az * DEG);
    const u = Math.sin(alt * DEG);
    const x = -this.#sinLon * e - this.#sinLat * this.#cosLon * n + this.#cosLat * this.#cosLon * u;
    const y = this.#cosLon * e - this.#sinLat * this.#sinLon * n + this.#cosLat * this.#sinLon * u;
    const z = this.#cosLat * n + this.#sinLat * u;
    const th = this.gmst(ms);
    const c = Math.cos(th);
    const s = Math.sin(th);
    return [c * x - s * y, s * x + c * y, z];
  }
}

/** RA and Dec in degrees of a vector. */
export function vectorToRaDec(v: readonly [number, number, number]): { ra: number; dec: number } {
  const r = Math.hypot(v[0], v[1], v[2]);
  return { ra: (Math.atan2(v[1], v[0]) / DEG + 360) % 360, dec: Math.asin(v[2] / r) / DEG };
}
