/**
 * Celestial reference frames and conversions between them, all through ICRS:
 * - `icrs`;
 * - `fk5` at any equinox (IAU 2006 precession; ICRS↔FK5 J2000 by the Mignard & Froeschlé offsets,
 *   USNO Circular 179 eq. 3.4);
 * - `fk4` (B1950 by default, with the E-terms of aberration) and `fk4-no-e`, to FK5 by Standish 1982 /
 *   Murray 1989 eq. 28–29 with Newcomb precession (Lieske 1979) between Besselian equinoxes;
 * - `galactic` (IAU 1958: defined on FK4 B1950; from FK5 by the J2000 pole of Murray 1989 as in astropy);
 * - `supergalactic` (de Vaucouleurs et al. 1976; pole at l = 47.37°, b = 6.32°);
 * - `ecliptic` (barycentric mean ecliptic and equinox of a date, IAU 2006, SOFA `ecm06`) and
 *   `ecliptic-true` (true ecliptic and equinox of date, IAU 2006/2000B nutation: within ~2 mas of 2000A).
 * All angles are degrees; equinoxes and observation times are {@link Time}s (TT for equinoxes).
 */
import { SkyError } from "./errors.js";
import {
  biasPrecessionMatrix,
  meanObliquity2006,
  npbMatrix,
  nutation2000B,
  precessionMatrix2006,
} from "./precession-nutation.js";
import { Time } from "./time.js";
import { type Degrees, RAD_PER_DEG } from "./units.js";
import {
  addScaled,
  apply,
  chain,
  dot,
  lonLatToVector,
  type Matrix3,
  multiply,
  norm,
  rotationX,
  rotationY,
  rotationZ,
  scale,
  transpose,
  type Vector3,
  vectorToLonLat,
} from "./vector3.js";

/** Names of the supported celestial frames. */
export type FrameName =
  | "icrs"
  | "fk5"
  | "fk4"
  | "fk4-no-e"
  | "galactic"
  | "supergalactic"
  | "ecliptic"
  | "ecliptic-true";

/** A frame with its parameters. Omitted equinoxes default to J2000.0 (FK5, ecliptic) or B1950.0 (FK4). */
export interface Frame {
  name: FrameName;
  /** Equinox (FK5, FK4, ecliptic). */
  equinox?: Time;
  /** Epoch of observation (FK4 only: the FK4 system rotates; default = equinox). */
  obstime?: Time;
}

const FRAME_NAMES: readonly FrameName[] = [
  "icrs",
  "fk5",
  "fk4",
  "fk4-no-e",
  "galactic",
  "supergalactic",
  "ecliptic",
  "ecliptic-true",
];
const MAS = RAD_PER_DEG / 3.6e6;

/**
 * Parse a frame description: `icrs`, `fk5`, `fk5(J1975)`, `fk5:J2000`, `J2000` (= FK5 J2000),
 * `fk4`, `B1950` (= FK4 B1950), `fk4(B1950, J1983.5)` (equinox, obstime), `galactic`/`gal`,
 * `supergalactic`/`sgal`, `ecliptic(J2025.5)`, `ecliptic-true(2024-01-01)`.
 * @throws SkyError `UNKNOWN_FRAME`.
 */
export function parseFrame(text: string): Frame {
  const t = text.trim().toLowerCase();
  if (t === "j2000") return { name: "fk5" };
  if (t === "b1950") return { name: "fk4" };
  const m = /^([a-z0-9-]+)\s*(?:[(:]\s*([^,)]+?)\s*(?:,\s*([^)]+?)\s*)?\)?)?$/.exec(t);
  const aliases: Record<string, FrameName> = {
    gal: "galactic",
    sgal: "supergalactic",
    supergal: "supergalactic",
    ecl: "ecliptic",
    fk4noeterms: "fk4-no-e",
    "fk4-noe": "fk4-no-e",
  };
  const raw = m?.[1] ?? "";
  const name = (aliases[raw] ?? raw) as FrameName;
  if (!m || !FRAME_NAMES.includes(name)) {
    throw new SkyError(
      "UNKNOWN_FRAME",
      `unknown frame "${text}" (known: ${FRAME_NAMES.join(", ")}, J2000, B1950)`,
    );
  }
  const frame: Frame = { name };
  const when = (s: string) =>
    Time.parse(
      s.toUpperCase().startsWith("J") || s.toUpperCase().startsWith("B") ? s.toUpperCase() : s,
      "tt",
    );
  try {
    if (m[2] !== undefined) frame.equinox = when(m[2]);
    if (m[3] !== undefined) frame.obstime = when(m[3]);
  } catch (err) {
    throw new SkyError("UNKNOWN_FRAME", `bad equinox/obstime in frame "${text}"`, { cause: err });
  }
  return frame;
}

/** Display name of a frame, e.g. `fk5(J2000.000)`. */
export function formatFrame(frame: Frame): string {
  const eq = equinoxOf(frame);
  if (eq === undefined) return frame.name;
  const besselian = frame.name === "fk4" || frame.name === "fk4-no-e";
  const e = besselian ? `B${eq.besselianEpoch().toFixed(3)}` : `J${eq.julianEpoch().toFixed(3)}`;
  return `${frame.name}(${e})`;
}

const J2000 = Time.fromJulianEpoch(2000);
const B1950 = Time.fromBesselianEpoch(1950);

function equinoxOf(frame: Frame): Time | undefined {
  switch (frame.name) {
    case "fk5":
    case "ecliptic":
    case "ecliptic-true":
      return frame.equinox ?? J2000;
    case "fk4":
    case "fk4-no-e":
      return frame.equinox ?? B1950;
    default:
      return undefined;
  }
}

// ICRS → FK5 J2000: USNO Circular 179 eq. 3.4 with η0 = −19.9 mas, ξ0 = 9.1 mas, dα0 = −22.9 mas.
const ICRS_TO_FK5_J2000: Matrix3 = chain(rotationX(19.9 * MAS), rotationY(9.1 * MAS), rotationZ(-22.9 * MAS));

// FK4 (no E-terms, B1950) → FK5 J2000 and its time-dependent part (Murray 1989 eq. 28–29).
const B1950_TO_J2000: Matrix3 = [
  0.9999256794956877, -0.0111814832204662, -0.0048590038153592, 0.0111814832391717, 0.9999374848933135,
  -0.0000271625947142, 0.0048590037723143, -0.000027170293744, 0.9999881946023742,
];
const FK4_CORRECTION: Matrix3 = [
  -0.0026455262e-6, -1.1539918689e-6, 2.111134619e-6, 1.1540628161e-6, -0.0129042997e-6, 0.0236021478e-6,
  -2.1112979048e-6, -0.0056024448e-6, 0.0102587734e-6,
];

function fk4ToFk5Matrix(obstime: Time): Matrix3 {
  const t = (obstime.julianEpoch() - 1950) / 100;
  return B1950_TO_J2000.map((v, i) => v + FK4_CORRECTION[i]! * t) as unknown as Matrix3;
}

/** Newcomb precession between Besselian epochs (Lieske 1979 / Explanatory Supplement 1992 §3.214). */
export function besselianPrecessionMatrix(epoch1: number, epoch2: number): Matrix3 {
  const t1 = (epoch1 - 1850) / 1000;
  const dt = (epoch2 - epoch1) / 1000;
  const as = RAD_PER_DEG / 3600;
  const w = 23035.545 + 139.72 * t1 + 0.06 * t1 * t1;
  const zeta = (w + (30.24 - 0.27 * t1 + 17.995 * dt) * dt) * dt * as;
  const z = (w + (109.48 + 0.39 * t1 + 18.325 * dt) * dt) * dt * as;
  const theta = (20051.12 - 85.29 * t1 - 0.37 * t1 * t1 + (-42.65 - 0.37 * t1 - 41.8 * dt) * dt) * dt * as;
  return chain(rotationZ(-z), rotationY(theta), rotationZ(-zeta));
}

/** E-terms of aberration vector for a Besselian equinox (Explanatory Supplement 1992 §3.531). */
function eTerms(equinox: Time): Vector3 {
  const jd = equinox.jd();
  const t50 = (jd - B1950.jd()) / 36525;
  const k = 0.0056932 * RAD_PER_DEG;
  const e = 0.01673011 + (-0.00004193 - 0.000000126 * t50) * t50;
  const g = ((1015489.951 + (6190.67 + (1.65 + 0.012 * t50) * t50) * t50) / 3600) * RAD_PER_DEG;
  const t00 = (jd - 2451545) / 36525;
  const o = ((84381.448 + (-46.815 + (-0.00059 + 0.001813 * t00) * t00) * t00) / 3600) * RAD_PER_DEG;
  return [e * k * Math.sin(g), -e * k * Math.cos(g) * Math.cos(o), -e * k * Math.cos(g) * Math.sin(o)];
}

function removeETerms(v: Vector3, a: Vector3): Vector3 {
  const r = addScaled(addScaled(v, a, -1), v, dot(a, v));
  return scale(r, 1 / norm(r));
}

function addETerms(v: Vector3, a: Vector3): Vector3 {
  // astropy iterates r = (v + a) / (1 + a·r); every iterate is parallel to v + a, so the
  // normalised result is (v + a) / |v + a|.
  const r = addScaled(v, a, 1);
  return scale(r, 1 / norm(r));
}

// Galactic from FK5 J2000 (pole α = 192.8594812065348°, δ = 27.12825118085622°, l₀ = 122.9319185680026°).
const FK5_J2000_TO_GALACTIC: Matrix3 = chain(
  rotationZ((180 - 122.9319185680026) * RAD_PER_DEG),
  rotationY((90 - 27.12825118085622) * RAD_PER_DEG),
  rotationZ(192.8594812065348 * RAD_PER_DEG),
);
// Galactic from FK4 B1950 without E-terms (IAU 1958: pole α = 192.25°, δ = 27.4°, l₀ = 123°).
const FK4_B1950_TO_GALACTIC: Matrix3 = chain(
  rotationZ((180 - 123) * RAD_PER_DEG),
  rotationY((90 - 27.4) * RAD_PER_DEG),
  rotationZ(192.25 * RAD_PER_DEG),
);
// Supergalactic from Galactic (pole at l = 47.37°, b = 6.32°; origin at l = 137.37°, b = 0°).
const GALACTIC_TO_SUPERGALACTIC: Matrix3 = chain(
  rotationZ(90 * RAD_PER_DEG),
  rotationY((90 - 6.32) * RAD_PER_DEG),
  rotationZ(47.37 * RAD_PER_DEG),
);

/** Rotation ICRS → FK5 at `equinox` (TT). */
export function icrsToFk5Matrix(equinox: Time = J2000): Matrix3 {
  return multiply(precessionMatrix2006(ttc(equinox)), ICRS_TO_FK5_J2000);
}

function ttc(t: Time): number {
  const tt = t.to("tt");
  return (tt.day - 51544.5 + tt.seconds / 86400) / 36525;
}

/** Rotation ICRS → barycentric mean ecliptic and equinox of `equinox` (IAU 2006, SOFA `ecm06`). */
export function icrsToEclipticMatrix(equinox: Time = J2000): Matrix3 {
  const t = ttc(equinox);
  return multiply(rotationX(meanObliquity2006(t)), biasPrecessionMatrix(t));
}

/** Rotation ICRS → true ecliptic and equinox of `equinox` (IAU 2006 precession, 2000B nutation). */
export function icrsToTrueEclipticMatrix(equinox: Time = J2000): Matrix3 {
  const t = ttc(equinox);
  return multiply(rotationX(meanObliquity2006(t) + nutation2000B(t).deps), npbMatrix(t));
}

function fk5ToFk4NoE(v: Vector3, frame: Frame): Vector3 {
  const eq = equinoxOf(frame)!;
  const obstime = frame.obstime ?? eq;
  const m = multiply(
    besselianPrecessionMatrix(1950, eq.besselianEpoch()),
    transpose(fk4ToFk5Matrix(obstime)),
  );
  return apply(m, v);
}

function fk4NoEToFk5(v: Vector3, frame: Frame): Vector3 {
  const eq = equinoxOf(frame)!;
  const obstime = frame.obstime ?? eq;
  return apply(multiply(fk4ToFk5Matrix(obstime), besselianPrecessionMatrix(eq.besselianEpoch(), 1950)), v);
}

/** Unit vector in `frame` → unit vector in ICRS. */
export function toIcrs(v: Vector3, frame: Frame): Vector3 {
  switch (frame.name) {
    case "icrs":
      return v;
    case "fk5":
      return apply(transpose(icrsToFk5Matrix(equinoxOf(frame))), v);
    case "fk4":
      return toIcrs(removeETerms(v, eTerms(equinoxOf(frame)!)), { ...frame, name: "fk4-no-e" });
    case "fk4-no-e":
      return apply(transpose(ICRS_TO_FK5_J2000), fk4NoEToFk5(v, frame));
    case "galactic":
      return apply(transpose(multiply(FK5_J2000_TO_GALACTIC, ICRS_TO_FK5_J2000)), v);
    case "supergalactic":
      return toIcrs(apply(transpose(GALACTIC_TO_SUPERGALACTIC), v), { name: "galactic" });
    case "ecliptic":
      return apply(transpose(icrsToEclipticMatrix(equinoxOf(frame))), v);
    case "ecliptic-true":
      return apply(transpose(icrsToTrueEclipticMatrix(equinoxOf(frame))), v);
  }
}

/** Unit vector in ICRS → unit vector in `frame`. */
export function fromIcrs(v: Vector3, frame: Frame): Vector3 {
  switch (frame.name) {
    case "icrs":
      return v;
    case "fk5":
      return apply(icrsToFk5Matrix(equinoxOf(frame)), v);
    case "fk4":
      return addETerms(fromIcrs(v, { ...frame, name: "fk4-no-e" }), eTerms(equinoxOf(frame)!));
    case "fk4-no-e":
      return fk5ToFk4NoE(apply(ICRS_TO_FK5_J2000, v), frame);
    case "galactic":
      return apply(multiply(FK5_J2000_TO_GALACTIC, ICRS_TO_FK5_J2000), v);
    case "supergalactic":
      return apply(GALACTIC_TO_SUPERGALACTIC, fromIcrs(v, { name: "galactic" }));
    case "ecliptic":
      return apply(icrsToEclipticMatrix(equinoxOf(frame)), v);
    case "ecliptic-true":
      return apply(icrsToTrueEclipticMatrix(equinoxOf(frame)), v);
  }
}

/**
 * Convert a unit vector between frames. FK4 ↔ Galactic goes directly through the IAU 1958 B1950
 * definition (as astropy does); every other pair goes through ICRS.
 */
export function convertVector(v: Vector3, from: Frame, to: Frame): Vector3 {
  const isFk4 = (f: Frame) => f.name === "fk4" || f.name === "fk4-no-e";
  const isGal = (f: Frame) => f.name === "galactic" || f.name === "supergalactic";
  if (isFk4(from) && isFk4(to)) {
    // Within FK4, as astropy: E-terms off, Newcomb precession, E-terms on (obstime plays no part).
    const eqF = equinoxOf(from)!;
    const eqT = equinoxOf(to)!;
    let w = from.name === "fk4" ? removeETerms(v, eTerms(eqF)) : v;
    w = apply(besselianPrecessionMatrix(eqF.besselianEpoch(), eqT.besselianEpoch()), w);
    return to.name === "fk4" ? addETerms(w, eTerms(eqT)) : w;
  }
  if (isFk4(from) && isGal(to)) {
    let w = from.name === "fk4" ? removeETerms(v, eTerms(equinoxOf(from)!)) : v;
    w = apply(
      multiply(FK4_B1950_TO_GALACTIC, besselianPrecessionMatrix(equinoxOf(from)!.besselianEpoch(), 1950)),
      w,
    );
    return to.name === "galactic" ? w : apply(GALACTIC_TO_SUPERGALACTIC, w);
  }
  if (isGal(from) && isFk4(to)) {
    const g = from.name === "galactic" ? v : apply(transpose(GALACTIC_TO_SUPERGALACTIC), v);
    const eq = equinoxOf(to)!;
    const w = apply(
      multiply(besselianPrecessionMatrix(1950, eq.besselianEpoch()), transpose(FK4_B1950_TO_GALACTIC)),
      g,
    );
    return to.name === "fk4" ? addETerms(w, eTerms(eq)) : w;
  }
  return fromIcrs(toIcrs(v, from), to);
}

interface Converter {
  m: Matrix3;
  aFrom: Vector3 | undefined;
  aTo: Vector3 | undefined;
}

const converters = new Map<string, Converter>();

function frameKey(f: Frame): string {
  const eq = equinoxOf(f);
  const ob = f.obstime?.to("tt");
  return `${f.name}|${eq ? `${eq.to("tt").day}:${eq.to("tt").seconds}` : ""}|${ob ? `${ob.day}:${ob.seconds}` : ""}`;
}

/**
 * The conversion between two frames as a matrix (from the images of the basis vectors) with FK4's
 * E-terms removed before and added after it. Cached: repeated conversions cost one lookup.
 */
function converter(f: Frame, t: Frame): Converter {
  const key = `${frameKey(f)}>${frameKey(t)}`;
  let c = converters.get(key);
  if (c) return c;
  const fNoE: Frame = f.name === "fk4" ? { ...f, name: "fk4-no-e" } : f;
  const tNoE: Frame = t.name === "fk4" ? { ...t, name: "fk4-no-e" } : t;
  const ex = convertVector([1, 0, 0], fNoE, tNoE);
  const ey = convertVector([0, 1, 0], fNoE, tNoE);
  const ez = convertVector([0, 0, 1], fNoE, tNoE);
  c = {
    m: [ex[0], ey[0], ez[0], ex[1], ey[1], ez[1], ex[2], ey[2], ez[2]],
    aFrom: f.name === "fk4" ? eTerms(equinoxOf(f)!) : undefined,
    aTo: t.name === "fk4" ? eTerms(equinoxOf(t)!) : undefined,
  };
  if (converters.size >= 64) converters.delete(converters.keys().next().value!);
  converters.set(key, c);
  return c;
}

function applyConverter(c: Converter, v: Vector3): Vector3 {
  const x = c.aFrom ? removeETerms(v, c.aFrom) : v;
  const w = apply(c.m, x);
  return c.aTo ? addETerms(w, c.aTo) : w;
}

/**
 * Convert a position `[lon, lat]` (degrees) from one frame to another. Frames may be given as
 * {@link Frame} objects or text for {@link parseFrame}.
 * @returns `[lon, lat]` in degrees, lon in [0°, 360°).
 */
export function convertPosition(
  lon: Degrees | number,
  lat: Degrees | number,
  from: Frame | string,
  to: Frame | string,
): [lon: Degrees, lat: Degrees] {
  const f = typeof from === "string" ? parseFrame(from) : from;
  const t = typeof to === "string" ? parseFrame(to) : to;
  if (!Number.isFinite(lon) || !(Math.abs(lat) <= 90)) {
    throw new SkyError(
      "INVALID_ARGUMENT",
      `bad position (${lon}, ${lat}): longitude must be finite and |latitude| ≤ 90°`,
    );
  }
  return vectorToLonLat(applyConverter(converter(f, t), lonLatToVector(lon, lat)));
}

/**
 * Convert many positions at once (degrees). The rotation is built once per frame pair (cached)
 * from the images of the basis vectors; each point costs one sine/cosine pair per angle, the
 * 3×3 product and two atan2, plus FK4's E-terms removed/added around it when a side is FK4.
 */
export function convertPositions(
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  from: Frame | string,
  to: Frame | string,
): { lon: Float64Array; lat: Float64Array } {
  const f = typeof from === "string" ? parseFrame(from) : from;
  const t = typeof to === "string" ? parseFrame(to) : to;
  const n = lon.length;
  const outLon = new Float64Array(n);
  const outLat = new Float64Array(n);
  const { m, aFrom, aTo } = converter(f, t);
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = m;
  const r2d = 1 / RAD_PER_DEG;
  // FK4 E-terms as one extra step each side, in scalars: removal v − a + (a·v) v, addition
  // v + a (both normalised; the fixed point of addETerms is parallel to v + a).
  const [fx, fy, fz] = aFrom ?? [0, 0, 0];
  const [tx, ty, tz] = aTo ?? [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const a = lon[i]! * RAD_PER_DEG;
    const d = lat[i]! * RAD_PER_DEG;
    const c = Math.cos(d);
    let x = c * Math.cos(a);
    let y = c * Math.sin(a);
    let z = Math.sin(d);
    if (aFrom) {
      const av = fx * x + fy * y + fz * z;
      x += av * x - fx;
      y += av * y - fy;
      z += av * z - fz;
      const k = 1 / Math.sqrt(x * x + y * y + z * z);
      x *= k;
      y *= k;
      z *= k;
    }
    let u = m00 * x + m01 * y + m02 * z;
    let v = m10 * x + m11 * y + m12 * z;
    let w = m20 * x + m21 * y + m22 * z;
    if (aTo) {
      u += tx;
      v += ty;
      w += tz;
    }
    let l = Math.atan2(v, u) * r2d;
    if (l < 0) l += 360;
    outLon[i] = l;
    outLat[i] = Math.atan2(w, Math.sqrt(u * u + v * v)) * r2d;
  }
  return { lon: outLon, lat: outLat };
}
