/**
 * ICRS ↔ observed horizontal coordinates (azimuth north through east, altitude) for an observer on
 * the WGS84 ellipsoid, following the IAU 2006 CIO-based chain (IERS Conventions 2010 ch. 5; the same
 * steps as SOFA `apco`/`atciqz`/`atioq`):
 * 1. light deflection by the Sun (SOFA `ld`; Klioner 2003);
 * 2. aberration from the observer's barycentric velocity (Earth's orbit from astronomy-engine's
 *    VSOP87 ephemeris plus the diurnal velocity; SOFA `ab`, relativistic);
 * 3. GCRS → CIRS by the IAU 2006/2000B CIP X, Y and CIO locator s (largest terms of IERS 2010 Table 5.2d);
 * 4. Earth rotation angle (UT1 from the committed IERS C04 table or `dut1`) and polar motion;
 * 5. optional refraction: A·tan z + B·tan³ z (Green 1987, ch. 4) with A, B from pressure,
 *    temperature, humidity and wavelength as in SOFA `refco` (Stone 1996 for the index of air),
 *    with one Newton step as SOFA `atioq`. Pressure 0 (the default) means no refraction.
 * Stated accuracy: within 2 mas of astropy (ERFA with IAU 2000A and `epv00`; under 0.9 mas in our fixtures) without refraction, and
 * with refraction above 10° altitude; within ~1° of the Sun the light deflection (Sun position from
 * astronomy-engine) can differ by up to ~15 mas.
 */
import { BaryState, Body, HelioVector, MakeTime } from "astronomy-engine";
import { polarMotion } from "./earth-orientation.js";
import { npbMatrix, ttCenturies } from "./precession-nutation.js";
import { earthRotationAngle } from "./sidereal-time.js";
import type { Time, Ut1Options } from "./time.js";
import {
  DEG_PER_RAD,
  type Degrees,
  degrees,
  METERS_PER_AU,
  RAD_PER_DEG,
  SPEED_OF_LIGHT_M_PER_S,
  WGS84_A_METERS,
  WGS84_F,
} from "./units.js";
import {
  apply,
  chain,
  cross,
  dot,
  type Matrix3,
  normalize,
  rotationX,
  rotationY,
  rotationZ,
  transpose,
  type Vector3,
  vectorToLonLat,
} from "./vector3.js";

/** An observer on the Earth: geodetic WGS84 longitude (east positive), latitude and height. */
export interface Observer {
  /** East longitude, degrees. */
  lon: Degrees | number;
  /** Geodetic latitude, degrees. */
  lat: Degrees | number;
  /** Height above the WGS84 ellipsoid, metres (default 0). */
  height?: number;
}

/** Atmospheric conditions for refraction; `pressure` 0 (default) switches refraction off. */
export interface Atmosphere {
  /** Pressure at the observer, hPa (default 0: no refraction). */
  pressure?: number;
  /** Air temperature, °C (default 0). */
  temperature?: number;
  /** Relative humidity, 0–1 (default 0). */
  humidity?: number;
  /** Observing wavelength, µm (default 1; above 100 µm the radio formula is used). */
  wavelength?: number;
}

/** Options of {@link icrsToAltAz}. */
export interface AltAzOptions extends Ut1Options, Atmosphere {
  /** Polar motion x, y in arcseconds (default: from the committed IERS table). */
  polarMotion?: readonly [number, number];
}

/** Horizontal coordinates: azimuth (north through east, [0°, 360°)) and altitude, degrees. */
export interface AltAz {
  az: Degrees;
  alt: Degrees;
}

const AS = RAD_PER_DEG / 3600;
const C_AU_PER_DAY = (SPEED_OF_LIGHT_M_PER_S * 86400) / METERS_PER_AU;
/** Schwarzschild radius of the Sun in AU (IAU 2015 nominal GM☉: 2GM/c²). */
const SRS = 1.97412574336e-8;
const OMEGA_EARTH = 7.292115e-5; // rad/s (IERS Conventions 2010 Table 1.1)

/** Refraction constants A, B (radians) of A·tan z + B·tan³ z (SOFA `refco` method). */
export function refractionConstants(atm: Atmosphere): { a: number; b: number } {
  const p = Math.min(Math.max(atm.pressure ?? 0, 0), 10000);
  if (p === 0) return { a: 0, b: 0 };
  const t = Math.min(Math.max(atm.temperature ?? 0, -150), 200);
  const r = Math.min(Math.max(atm.humidity ?? 0, 0), 1);
  const w = Math.min(Math.max(atm.wavelength ?? 1, 0.1), 1e6);
  const optic = w <= 100;
  // Saturation and partial pressure of water vapour (Gill 1982; Crane 1976).
  const ps = 10 ** ((0.7859 + 0.03477 * t) / (1 + 0.00412 * t)) * (1 + p * (4.5e-6 + 6e-10 * t * t));
  const pw = (r * ps) / (1 - ((1 - r) * ps) / p);
  const tk = t + 273.15;
  let gamma: number;
  if (optic) {
    const wl2 = w * w;
    gamma = ((77.53484e-6 + (4.39108e-7 + 3.666e-9 / wl2) / wl2) * p - 11.2684e-6 * pw) / tk;
  } else {
    gamma = (77.689e-6 * p - (6.3938e-6 - 0.375463 / tk) * pw) / tk;
  }
  let beta = 4.4474e-6 * tk;
  if (!optic) beta -= 0.0074 * pw * beta;
  return { a: gamma * (1 - beta), b: -gamma * (beta - gamma / 2) };
}

/** Geocentric ITRS position of the observer, metres. */
function itrsPosition(o: Observer): Vector3 {
  const lon = o.lon * RAD_PER_DEG;
  const lat = o.lat * RAD_PER_DEG;
  const h = o.height ?? 0;
  const e2 = WGS84_F * (2 - WGS84_F);
  const n = WGS84_A_METERS / Math.sqrt(1 - e2 * Math.sin(lat) ** 2);
  return [
    (n + h) * Math.cos(lat) * Math.cos(lon),
    (n + h) * Math.cos(lat) * Math.sin(lon),
    (n * (1 - e2) + h) * Math.sin(lat),
  ];
}

/** CIO locator s + XY/2, largest terms (IERS Conventions 2010 Table 5.2d), radians. */
function cioLocatorCorrection(t: number): number {
  const om = (450160.398036 - 6962890.5271 * t) * AS;
  const poly =
    94e-6 + (3808.65e-6 + (-122.68e-6 + (-72574.11e-6 + (27.98e-6 + 15.62e-6 * t) * t) * t) * t) * t;
  return (poly - 2640.73e-6 * Math.sin(om) - 63.53e-6 * Math.sin(2 * om)) * AS;
}

/** GCRS → CIRS matrix from the CIP (X, Y) and s (SOFA `c2ixys`). */
function gcrsToCirs(t: number): Matrix3 {
  const npb = npbMatrix(t);
  const x = npb[6];
  const y = npb[7];
  const s = cioLocatorCorrection(t) - (x * y) / 2;
  const r2 = x * x + y * y;
  const e = r2 > 0 ? Math.atan2(y, x) : 0;
  const d = Math.atan(Math.sqrt(r2 / (1 - r2)));
  return chain(rotationZ(-(e + s)), rotationY(d), rotationZ(e));
}

interface Setup {
  /** GCRS → topocentric (x north? no: east, north, up) for the apparent direction. */
  toLocal: Matrix3;
  /** Observer's barycentric velocity in units of c (GCRS axes ≈ ICRS). */
  v: Vector3;
  /** Unit vector Sun → observer and its distance (AU). */
  e: Vector3;
  em: number;
  refA: number;
  refB: number;
}

function setup(t: Time, observer: Observer, options: AltAzOptions): Setup {
  const tc = ttCenturies(t);
  const utc = t.to("utc");
  const mjdUtc = utc.day + utc.seconds / 86400;
  const [xp, yp] = options.polarMotion ?? polarMotion(mjdUtc);
  const era = earthRotationAngle(t, options);
  // Terrestrial ← celestial: W · R3(ERA) · C (IERS 2010 eq. 5.1), then ITRS → local east/north/up.
  const w = chain(rotationX(-yp * AS), rotationY(-xp * AS));
  const c2t = chain(w, rotationZ(era), gcrsToCirs(tc));
  const lon = observer.lon * RAD_PER_DEG;
  const lat = observer.lat * RAD_PER_DEG;
  const enu: Matrix3 = [
    -Math.sin(lon),
    Math.cos(lon),
    0,
    -Math.sin(lat) * Math.cos(lon),
    -Math.sin(lat) * Math.sin(lon),
    Math.cos(lat),
    Math.cos(lat) * Math.cos(lon),
    Math.cos(lat) * Math.sin(lon),
    Math.sin(lat),
  ];
  const toLocal = chain(enu, c2t);
  // Observer velocity: Earth's barycentric velocity plus the diurnal velocity ω × r (in GCRS).
  const ut1 = t.to("ut1", options);
  const when = MakeTime(ut1.day - 51544.5 + ut1.seconds / 86400);
  const earth = BaryState(Body.Earth, when);
  const r = itrsPosition(observer);
  const vItrs: Vector3 = [-OMEGA_EARTH * r[1], OMEGA_EARTH * r[0], 0];
  const vGcrs = apply(transpose(c2t), vItrs);
  const toC = (x: number) => x / SPEED_OF_LIGHT_M_PER_S;
  // astronomy-engine's EQJ axes are the J2000 mean equator; the frame bias (23 mas) is negligible on a velocity.
  const v: Vector3 = [
    earth.vx / C_AU_PER_DAY + toC(vGcrs[0]),
    earth.vy / C_AU_PER_DAY + toC(vGcrs[1]),
    earth.vz / C_AU_PER_DAY + toC(vGcrs[2]),
  ];
  const sun = HelioVector(Body.Earth, when);
  const em = Math.hypot(sun.x, sun.y, sun.z);
  const atm = refractionConstants(options);
  return { toLocal, v, e: [sun.x / em, sun.y / em, sun.z / em], em, refA: atm.a, refB: atm.b };
}

/** Light deflection by the Sun for a source at infinity (SOFA `ld` with q = p). */
function deflect(p: Vector3, e: Vector3, em: number): Vector3 {
  const dlim = 1e-6 / Math.max(em * em, 1);
  const w = SRS / em / Math.max(1 + dot(p, e), dlim);
  const pe = cross(p, cross(e, p));
  return [p[0] + w * pe[0], p[1] + w * pe[1], p[2] + w * pe[2]];
}

/** Stellar aberration, special-relativistic (SOFA `ab`), v in units of c. */
function aberrate(p: Vector3, v: Vector3, s: number): Vector3 {
  const bm1 = Math.sqrt(1 - dot(v, v));
  const pdv = dot(p, v);
  const w1 = 1 + pdv / (1 + bm1);
  const w2 = SRS / s;
  return normalize([
    p[0] * bm1 + w1 * v[0] + w2 * (v[0] - pdv * p[0]),
    p[1] * bm1 + w1 * v[1] + w2 * (v[1] - pdv * p[1]),
    p[2] * bm1 + w1 * v[2] + w2 * (v[2] - pdv * p[2]),
  ]);
}

function refract(local: Vector3, a: number, b: number): Vector3 {
  if (a === 0 && b === 0) return local;
  const [x, y, z0] = local;
  const r = Math.max(Math.sqrt(x * x + y * y), 1e-6);
  const z = Math.max(z0, 0.05);
  const tz = r / z;
  const w = b * tz * tz;
  const del = ((a + w) * tz) / (1 + (a + 3 * w) / (z * z));
  const cosdel = 1 - (del * del) / 2;
  const f = cosdel - (del * z) / r;
  return [x * f, y * f, cosdel * z0 + del * r];
}

/**
 * Observed azimuth and altitude of an ICRS position (degrees) seen by `observer` at time `t`.
 * Sources are taken at infinite distance (stars, galaxies).
 */
export function icrsToAltAz(
  ra: Degrees | number,
  dec: Degrees | number,
  t: Time,
  observer: Observer,
  options: AltAzOptions = {},
): AltAz {
  return icrsToAltAzMany([ra], [dec], t, observer, options)[0]!;
}

/** {@link icrsToAltAz} for many positions at one time (the Earth's state is computed once). */
export function icrsToAltAzMany(
  ra: ArrayLike<number>,
  dec: ArrayLike<number>,
  t: Time,
  observer: Observer,
  options: AltAzOptions = {},
): AltAz[] {
  const { az, alt } = icrsToAltAzArrays(ra, dec, t, observer, options);
  const out: AltAz[] = new Array(az.length);
  for (let i = 0; i < az.length; i++) out[i] = { az: degrees(az[i]!), alt: degrees(alt[i]!) };
  return out;
}

/**
 * {@link icrsToAltAz} for many positions at one time, into typed arrays: azimuth (north
 * through east, [0°, 360°)) and altitude in degrees. The Earth's state and the rotation to the
 * horizon are computed once; each point then costs one deflection, one aberration, one 3×3
 * rotation and the refraction formula.
 */
export function icrsToAltAzArrays(
  ra: ArrayLike<number>,
  dec: ArrayLike<number>,
  t: Time,
  observer: Observer,
  options: AltAzOptions = {},
): { az: Float64Array; alt: Float64Array } {
  const s = setup(t, observer, options);
  const n = ra.length;
  const outAz = new Float64Array(n);
  const outAlt = new Float64Array(n);
  // The per-point chain of deflect → aberrate → rotate → refract, written out with scalars.
  const [ex, ey, ez] = s.e;
  const [vx, vy, vz] = s.v;
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = s.toLocal;
  const dlim = 1e-6 / Math.max(s.em * s.em, 1);
  const srsEm = SRS / s.em;
  const bm1 = Math.sqrt(1 - (vx * vx + vy * vy + vz * vz));
  const refA = s.refA;
  const refB = s.refB;
  const refracting = refA !== 0 || refB !== 0;
  for (let i = 0; i < n; i++) {
    const a = ra[i]! * RAD_PER_DEG;
    const d = dec[i]! * RAD_PER_DEG;
    const cd = Math.cos(d);
    let px = cd * Math.cos(a);
    let py = cd * Math.sin(a);
    let pz = Math.sin(d);
    // Light deflection: p + w · p × (e × p).
    const pe = px * ex + py * ey + pz * ez;
    const w = srsEm / Math.max(1 + pe, dlim);
    px += w * (ex - pe * px);
    py += w * (ey - pe * py);
    pz += w * (ez - pe * pz);
    // Aberration.
    const pdv = px * vx + py * vy + pz * vz;
    const w1 = 1 + pdv / (1 + bm1);
    const qx = px * bm1 + w1 * vx + srsEm * (vx - pdv * px);
    const qy = py * bm1 + w1 * vy + srsEm * (vy - pdv * py);
    const qz = pz * bm1 + w1 * vz + srsEm * (vz - pdv * pz);
    const qn = 1 / Math.sqrt(qx * qx + qy * qy + qz * qz);
    // Rotation to (east, north, up).
    let e = (m0 * qx + m1 * qy + m2 * qz) * qn;
    let nn = (m3 * qx + m4 * qy + m5 * qz) * qn;
    let u = (m6 * qx + m7 * qy + m8 * qz) * qn;
    if (refracting) {
      // A·tan z + B·tan³ z, as refract() below.
      const r = Math.max(Math.sqrt(e * e + nn * nn), 1e-6);
      const z = Math.max(u, 0.05);
      const tz = r / z;
      const wb = refB * tz * tz;
      const del = ((refA + wb) * tz) / (1 + (refA + 3 * wb) / (z * z));
      const cosdel = 1 - (del * del) / 2;
      const f = cosdel - (del * z) / r;
      e *= f;
      nn *= f;
      u = cosdel * u + del * r;
    }
    let az = Math.atan2(e, nn) * DEG_PER_RAD;
    if (az < 0) az += 360;
    outAz[i] = az;
    outAlt[i] = Math.atan2(u, Math.sqrt(e * e + nn * nn)) * DEG_PER_RAD;
  }
  return { az: outAz, alt: outAlt };
}

/**
 * ICRS position (degrees) of an observed azimuth/altitude: the inverse of {@link icrsToAltAz},
 * by iteration (converges to well below 1 µas).
 */
export function altAzToIcrs(
  az: Degrees | number,
  alt: Degrees | number,
  t: Time,
  observer: Observer,
  options: AltAzOptions = {},
): [ra: Degrees, dec: Degrees] {
  const s = setup(t, observer, options);
  const target = horizonVector(az, alt);
  // First guess: undo the rotation only; then correct by the residual a few times.
  let p = apply(transpose(s.toLocal), target);
  for (let k = 0; k < 6; k++) {
    const seen = refract(apply(s.toLocal, aberrate(deflect(p, s.e, s.em), s.v, s.em)), s.refA, s.refB);
    const dLocal: Vector3 = [target[0] - seen[0], target[1] - seen[1], target[2] - seen[2]];
    const d = apply(transpose(s.toLocal), dLocal);
    p = normalize([p[0] + d[0], p[1] + d[1], p[2] + d[2]]);
  }
  return vectorToLonLat(p);
}

function horizonVector(az: number, alt: number): Vector3 {
  const a = az * RAD_PER_DEG;
  const h = alt * RAD_PER_DEG;
  return [Math.cos(h) * Math.sin(a), Math.cos(h) * Math.cos(a), Math.sin(h)];
}
