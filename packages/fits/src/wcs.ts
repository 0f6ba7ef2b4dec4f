/**
 * World coordinate systems of FITS images: FITS WCS Paper I (Greisen & Calabretta 2002) linear
 * transformation, Paper II (Calabretta & Greisen 2002) celestial projections, the linear spectral
 * axes of Paper III (Greisen et al. 2006), SIP and TPV distortions.
 *
 * Pixel coordinates follow the FITS convention: 1-based, the centre of the first pixel is 1.0.
 * World coordinates are degrees for celestial axes and SI units (Hz, m, m/s, J, 1/m) for spectral
 * axes, as wcslib reports them.
 */
import { FitsError } from "./errors.js";
import type { HeaderValue } from "./header.js";
import { createProjection } from "./projections/create-projection.js";
import { cosd, sind } from "./projections/degree-trig.js";
import type { Point2, Projection } from "./projections/projection.js";
import type { KeywordSource, Sip } from "./sip.js";
import { readSip, sipForward, sipInverse } from "./sip.js";
import { SPEED_OF_LIGHT, SpectralAxis } from "./spectral.js";
import type { Tpv } from "./tpv.js";
import { readTpv, tpvForward, tpvInverse } from "./tpv.js";
import type { CelestialRotation, SphericalPair } from "./wcs-celestial.js";
import { celestialRotation, celestialToNative, nativeToCelestial } from "./wcs-celestial.js";
import { type DssPlate, dssPixelToSky, dssSkyToPixel, readDssPlate } from "./wcs-dss.js";

/** The celestial reference frame of a WCS (Paper II §3.1). */
export type CelestialFrame =
  | "ICRS"
  | "FK5"
  | "FK4"
  | "FK4-NO-E"
  | "GAPPT"
  | "GALACTIC"
  | "ECLIPTIC"
  | "SUPERGALACTIC"
  | "HELIOPROJECTIVE"
  | "HELIOGRAPHIC"
  | "OTHER";

/** Kinds of world axis. */
export type AxisKind = "longitude" | "latitude" | "spectral" | "stokes" | "linear";

/** Options for {@link parseWcs}. */
export interface WcsOptions {
  /** Alternate WCS letter ("A".."Z"), or "" / " " for the primary description. */
  key?: string;
  /** Number of WCS axes to use (default: WCSAXES, else the largest axis index seen, else NAXIS). */
  naxis?: number;
}

/** Description of one world axis. */
export interface WcsAxis {
  /** CTYPEi as written (trimmed). */
  readonly ctype: string;
  /** Unit of the world values this library returns ("deg", "Hz", "m", "m/s", ... or the header's). */
  readonly unit: string;
  readonly kind: AxisKind;
}

const SPECTRAL_TYPES: Record<string, string> = {
  FREQ: "Hz",
  ENER: "J",
  WAVN: "1/m",
  VRAD: "m/s",
  WAVE: "m",
  VOPT: "m/s",
  ZOPT: "",
  AWAV: "m",
  VELO: "m/s",
  BETA: "",
  FELO: "m/s",
};

/** Scale factors to SI for spectral units (wcslib's wcsunits does the same). */
const UNIT_SCALE: Record<string, number> = {
  HZ: 1,
  KHZ: 1e3,
  MHZ: 1e6,
  GHZ: 1e9,
  M: 1,
  CM: 1e-2,
  MM: 1e-3,
  UM: 1e-6,
  NM: 1e-9,
  ANGSTROM: 1e-10,
  "M/S": 1,
  "KM/S": 1e3,
  "CM/S": 1e-2,
  J: 1,
  // wcslib's value, so energies agree with it to the last digit.
  EV: 1.6021765e-19,
  "1/M": 1,
  "/M": 1,
  "M-1": 1,
  "1/CM": 100,
  "/CM": 100,
};

const ANGLE_SCALE: Record<string, number> = {
  DEG: 1,
  ARCMIN: 1 / 60,
  ARCSEC: 1 / 3600,
  MAS: 1 / 3.6e6,
  RAD: 180 / Math.PI,
};

function num(v: HeaderValue): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return undefined;
}

function str(v: HeaderValue): string | undefined {
  return typeof v === "string" ? v.trim() : undefined;
}

/** Split "RA---TAN-SIP" into name "RA", projection "TAN" and the rest ("SIP"). */
function splitCtype(ctype: string): { name: string; code: string; extra: string } {
  const name = ctype.slice(0, 4).replace(/-+$/, "");
  if (ctype.length >= 8 && ctype[4] === "-") {
    return { name, code: ctype.slice(5, 8), extra: ctype.slice(9) };
  }
  return { name: ctype.replace(/-+$/, ""), code: "", extra: "" };
}

function celestialPair(name: string): "longitude" | "latitude" | undefined {
  if (name === "RA") return "longitude";
  if (name === "DEC") return "latitude";
  if (name.length === 4 && name.endsWith("LON")) return "longitude";
  if (name.length === 4 && name.endsWith("LAT")) return "latitude";
  if (name.length === 4 && name.endsWith("LN")) return "longitude";
  if (name.length === 4 && name.endsWith("LT")) return "latitude";
  return undefined;
}

/** Invert an n×n row-major matrix by Gauss–Jordan elimination with partial pivoting. */
function invert(m: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(m);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++)
      if (Math.abs(a[r * n + c] as number) > Math.abs(a[p * n + c] as number)) p = r;
    const pv = a[p * n + c] as number;
    if (pv === 0) throw new FitsError("INVALID_ARGUMENT", "the WCS linear transformation matrix is singular");
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        let t = a[c * n + k] as number;
        a[c * n + k] = a[p * n + k] as number;
        a[p * n + k] = t;
        t = inv[c * n + k] as number;
        inv[c * n + k] = inv[p * n + k] as number;
        inv[p * n + k] = t;
      }
    }
    for (let k = 0; k < n; k++) {
      a[c * n + k] = (a[c * n + k] as number) / pv;
      inv[c * n + k] = (inv[c * n + k] as number) / pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r * n + c] as number;
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        a[r * n + k] = (a[r * n + k] as number) - f * (a[c * n + k] as number);
        inv[r * n + k] = (inv[r * n + k] as number) - f * (inv[c * n + k] as number);
      }
    }
  }
  return inv;
}

/** A parsed world coordinate system. Build with {@link parseWcs}. */
export class Wcs {
  /** Number of WCS axes. */
  readonly naxis: number;
  readonly axes: readonly WcsAxis[];
  /** Reference pixel (1-based), per axis. */
  readonly crpix: Float64Array;
  /** Reference world value per axis (degrees or SI). */
  readonly crval: Float64Array;
  /** Row-major naxis×naxis matrix from pixel offsets to intermediate world coordinates (CD or CDELT·PC). */
  readonly matrix: Float64Array;
  readonly inverseMatrix: Float64Array;
  /** Index (0-based) of the celestial longitude / latitude axes, −1 if none. */
  readonly lngAxis: number;
  readonly latAxis: number;
  readonly projection: Projection | undefined;
  readonly rotation: CelestialRotation | undefined;
  readonly frame: CelestialFrame | undefined;
  /** Equinox in years (Julian for FK5, Besselian for FK4), when relevant. */
  readonly equinox: number | undefined;
  /** Index of the spectral axis, −1 if none. */
  readonly specAxis: number;
  readonly sip: Sip | undefined;
  readonly tpv: Tpv | undefined;
  /** A DSS plate solution, which replaces the linear part and projection of axes 1–2. */
  readonly dss: DssPlate | undefined;
  /** The spectral axis transformation (linear, or a Paper III S-X2P algorithm). */
  readonly spectral: SpectralAxis | undefined;
  /** Things that were read but not understood (e.g. an unsupported spectral algorithm). */
  readonly warnings: readonly string[];
  /** Per-axis scale from intermediate units to the reported unit. */
  private readonly scale: Float64Array;

  /** @internal use {@link parseWcs}. */
  constructor(init: {
    axes: WcsAxis[];
    crpix: Float64Array;
    crval: Float64Array;
    matrix: Float64Array;
    scale: Float64Array;
    lngAxis: number;
    latAxis: number;
    projection: Projection | undefined;
    rotation: CelestialRotation | undefined;
    frame: CelestialFrame | undefined;
    equinox: number | undefined;
    specAxis: number;
    sip: Sip | undefined;
    tpv: Tpv | undefined;
    dss: DssPlate | undefined;
    spectral: SpectralAxis | undefined;
    warnings: string[];
  }) {
    this.naxis = init.axes.length;
    this.axes = init.axes;
    this.crpix = init.crpix;
    this.crval = init.crval;
    this.matrix = init.matrix;
    this.inverseMatrix = invert(init.matrix, this.naxis);
    this.scale = init.scale;
    this.lngAxis = init.lngAxis;
    this.latAxis = init.latAxis;
    this.projection = init.projection;
    this.rotation = init.rotation;
    this.frame = init.frame;
    this.equinox = init.equinox;
    this.specAxis = init.specAxis;
    this.sip = init.sip;
    this.tpv = init.tpv;
    this.dss = init.dss;
    this.spectral = init.spectral;
    this.warnings = init.warnings;
  }

  /** True when the WCS has a celestial axis pair. */
  get hasCelestial(): boolean {
    return this.lngAxis >= 0 && this.latAxis >= 0;
  }

  /**
   * Pixel → world for many points at once. `pixels[i]` holds the 1-based pixel coordinates along
   * axis i (one array per WCS axis, equal lengths). Returns one Float64Array per world axis; a
   * point with no world position (outside the projection) gets NaN on its celestial axes.
   */
  pixelToWorld(pixels: readonly ArrayLike<number>[]): Float64Array[] {
    const n = this.naxis;
    if (pixels.length !== n) {
      throw new FitsError(
        "INVALID_ARGUMENT",
        `pixelToWorld needs ${n} coordinate arrays, got ${pixels.length}`,
      );
    }
    const count = (pixels[0] as ArrayLike<number>).length;
    if (this.isPlainCelestial2d())
      return this.pixelToSky2d(pixels[0] as ArrayLike<number>, pixels[1] as ArrayLike<number>);
    const out: Float64Array[] = [];
    for (let i = 0; i < n; i++) out.push(new Float64Array(count));
    const d = new Float64Array(n);
    const xs = new Float64Array(n);
    const pair: [number, number] = [0, 0];
    const pt: Point2 = { a: 0, b: 0 };
    const sph: SphericalPair = { lng: 0, lat: 0 };
    const m = this.matrix;
    const { lngAxis, latAxis, sip, tpv, projection, rotation } = this;
    for (let k = 0; k < count; k++) {
      for (let j = 0; j < n; j++)
        d[j] = ((pixels[j] as ArrayLike<number>)[k] as number) - (this.crpix[j] as number);
      if (sip !== undefined) {
        sipForward(sip, d[0] as number, d[1] as number, pair);
        d[0] = pair[0];
        d[1] = pair[1];
      }
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += (m[i * n + j] as number) * (d[j] as number);
        xs[i] = s;
      }
      for (let i = 0; i < n; i++) {
        if (i === lngAxis || i === latAxis) continue;
        const x = (xs[i] as number) * (this.scale[i] as number);
        (out[i] as Float64Array)[k] =
          i === this.specAxis && this.spectral !== undefined
            ? this.spectral.toWorld(x)
            : (this.crval[i] as number) + x;
      }
      if (this.dss !== undefined) {
        const [a, b] = dssPixelToSky(
          this.dss,
          (pixels[0] as ArrayLike<number>)[k] as number,
          (pixels[1] as ArrayLike<number>)[k] as number,
        );
        (out[lngAxis] as Float64Array)[k] = a;
        (out[latAxis] as Float64Array)[k] = b;
      } else if (projection !== undefined && rotation !== undefined) {
        let x = (xs[lngAxis] as number) * (this.scale[lngAxis] as number);
        let y = (xs[latAxis] as number) * (this.scale[latAxis] as number);
        if (tpv !== undefined) {
          tpvForward(tpv, x, y, pair);
          x = pair[0];
          y = pair[1];
        }
        projection.deproject(x, y, pt);
        // Native coordinates beyond [−180°, 180°] × [−90°, 90°] are rejected, as wcslib's prjbchk does.
        if (
          Number.isNaN(pt.a) ||
          Number.isNaN(pt.b) ||
          Math.abs(pt.a) > 180 + 1e-12 ||
          Math.abs(pt.b) > 90 + 1e-12
        ) {
          (out[lngAxis] as Float64Array)[k] = Number.NaN;
          (out[latAxis] as Float64Array)[k] = Number.NaN;
          continue;
        }
        nativeToCelestial(rotation, pt.a, pt.b, sph);
        (out[lngAxis] as Float64Array)[k] = sph.lng;
        (out[latAxis] as Float64Array)[k] = sph.lat;
      }
    }
    return out;
  }

  /**
   * World → pixel for many points at once (inverse of {@link pixelToWorld}); returns 1-based
   * pixel coordinates, NaN where the world point has no image in the projection.
   */
  worldToPixel(world: readonly ArrayLike<number>[]): Float64Array[] {
    const n = this.naxis;
    if (world.length !== n) {
      throw new FitsError(
        "INVALID_ARGUMENT",
        `worldToPixel needs ${n} coordinate arrays, got ${world.length}`,
      );
    }
    const count = (world[0] as ArrayLike<number>).length;
    if (this.isPlainCelestial2d())
      return this.skyToPixel2d(world[0] as ArrayLike<number>, world[1] as ArrayLike<number>);
    const out: Float64Array[] = [];
    for (let i = 0; i < n; i++) out.push(new Float64Array(count));
    const xs = new Float64Array(n);
    const pair: [number, number] = [0, 0];
    const pt: Point2 = { a: 0, b: 0 };
    const sph: SphericalPair = { lng: 0, lat: 0 };
    const inv = this.inverseMatrix;
    const { lngAxis, latAxis, sip, tpv, projection, rotation } = this;
    for (let k = 0; k < count; k++) {
      let bad = false;
      for (let i = 0; i < n; i++) {
        if (i === lngAxis || i === latAxis) continue;
        const w = (world[i] as ArrayLike<number>)[k] as number;
        const x =
          i === this.specAxis && this.spectral !== undefined
            ? this.spectral.toIntermediate(w)
            : w - (this.crval[i] as number);
        xs[i] = x / (this.scale[i] as number);
      }
      if (this.dss !== undefined) {
        xs[lngAxis] = 0;
        xs[latAxis] = 0;
      } else if (projection !== undefined && rotation !== undefined) {
        celestialToNative(
          rotation,
          (world[lngAxis] as ArrayLike<number>)[k] as number,
          (world[latAxis] as ArrayLike<number>)[k] as number,
          sph,
        );
        projection.project(sph.lng, sph.lat, pt);
        if (Number.isNaN(pt.a) || Number.isNaN(pt.b)) bad = true;
        let x = pt.a;
        let y = pt.b;
        if (tpv !== undefined && !bad) {
          tpvInverse(tpv, x, y, pair);
          x = pair[0];
          y = pair[1];
        }
        xs[lngAxis] = x / (this.scale[lngAxis] as number);
        xs[latAxis] = y / (this.scale[latAxis] as number);
      }
      for (let j = 0; j < n; j++) {
        if (bad) {
          (out[j] as Float64Array)[k] = Number.NaN;
          continue;
        }
        let s = 0;
        for (let i = 0; i < n; i++) s += (inv[j * n + i] as number) * (xs[i] as number);
        (out[j] as Float64Array)[k] = s;
      }
      if (this.dss !== undefined) {
        const [px, py] = dssSkyToPixel(
          this.dss,
          (world[lngAxis] as ArrayLike<number>)[k] as number,
          (world[latAxis] as ArrayLike<number>)[k] as number,
        );
        (out[0] as Float64Array)[k] = px - (this.crpix[0] as number);
        (out[1] as Float64Array)[k] = py - (this.crpix[1] as number);
      }
      if (sip !== undefined && !bad) {
        sipInverse(sip, (out[0] as Float64Array)[k] as number, (out[1] as Float64Array)[k] as number, pair);
        (out[0] as Float64Array)[k] = pair[0];
        (out[1] as Float64Array)[k] = pair[1];
      }
      for (let j = 0; j < n; j++)
        (out[j] as Float64Array)[k] = ((out[j] as Float64Array)[k] as number) + (this.crpix[j] as number);
    }
    return out;
  }

  /** Two axes, longitude then latitude, no DSS plate: the common image case, with a tight loop. */
  private isPlainCelestial2d(): boolean {
    return (
      this.naxis === 2 &&
      this.lngAxis === 0 &&
      this.latAxis === 1 &&
      this.projection !== undefined &&
      this.rotation !== undefined &&
      this.dss === undefined
    );
  }

  private pixelToSky2d(px: ArrayLike<number>, py: ArrayLike<number>): Float64Array[] {
    const count = px.length;
    const lng = new Float64Array(count);
    const lat = new Float64Array(count);
    const m = this.matrix;
    const s0 = this.scale[0] as number;
    const s1 = this.scale[1] as number;
    const m00 = (m[0] as number) * s0;
    const m01 = (m[1] as number) * s0;
    const m10 = (m[2] as number) * s1;
    const m11 = (m[3] as number) * s1;
    const c0 = this.crpix[0] as number;
    const c1 = this.crpix[1] as number;
    const { sip, tpv } = this;
    const projection = this.projection as Projection;
    const rotation = this.rotation as CelestialRotation;
    const pair: [number, number] = [0, 0];
    const pt: Point2 = { a: 0, b: 0 };
    const sph: SphericalPair = { lng: 0, lat: 0 };
    for (let k = 0; k < count; k++) {
      let u = (px[k] as number) - c0;
      let v = (py[k] as number) - c1;
      if (sip !== undefined) {
        sipForward(sip, u, v, pair);
        u = pair[0];
        v = pair[1];
      }
      let x = m00 * u + m01 * v;
      let y = m10 * u + m11 * v;
      if (tpv !== undefined) {
        tpvForward(tpv, x, y, pair);
        x = pair[0];
        y = pair[1];
      }
      projection.deproject(x, y, pt);
      if (
        Number.isNaN(pt.a) ||
        Number.isNaN(pt.b) ||
        Math.abs(pt.a) > 180 + 1e-12 ||
        Math.abs(pt.b) > 90 + 1e-12
      ) {
        lng[k] = Number.NaN;
        lat[k] = Number.NaN;
        continue;
      }
      nativeToCelestial(rotation, pt.a, pt.b, sph);
      lng[k] = sph.lng;
      lat[k] = sph.lat;
    }
    return [lng, lat];
  }

  private skyToPixel2d(lngs: ArrayLike<number>, lats: ArrayLike<number>): Float64Array[] {
    const count = lngs.length;
    const ox = new Float64Array(count);
    const oy = new Float64Array(count);
    const inv = this.inverseMatrix;
    const s0 = this.scale[0] as number;
    const s1 = this.scale[1] as number;
    const i00 = (inv[0] as number) / s0;
    const i01 = (inv[1] as number) / s1;
    const i10 = (inv[2] as number) / s0;
    const i11 = (inv[3] as number) / s1;
    const c0 = this.crpix[0] as number;
    const c1 = this.crpix[1] as number;
    const { sip, tpv } = this;
    const projection = this.projection as Projection;
    const rotation = this.rotation as CelestialRotation;
    const pair: [number, number] = [0, 0];
    const pt: Point2 = { a: 0, b: 0 };
    const sph: SphericalPair = { lng: 0, lat: 0 };
    for (let k = 0; k < count; k++) {
      celestialToNative(rotation, lngs[k] as number, lats[k] as number, sph);
      projection.project(sph.lng, sph.lat, pt);
      let x = pt.a;
      let y = pt.b;
      if (Number.isNaN(x) || Number.isNaN(y)) {
        ox[k] = Number.NaN;
        oy[k] = Number.NaN;
        continue;
      }
      if (tpv !== undefined) {
        tpvInverse(tpv, x, y, pair);
        x = pair[0];
        y = pair[1];
      }
      let u = i00 * x + i01 * y;
      let v = i10 * x + i11 * y;
      if (sip !== undefined) {
        sipInverse(sip, u, v, pair);
        u = pair[0];
        v = pair[1];
      }
      ox[k] = u + c0;
      oy[k] = v + c1;
    }
    return [ox, oy];
  }

  /** One pixel → world point (1-based pixel coordinates, one per axis). */
  pixelToWorldPoint(...pixel: number[]): number[] {
    return this.pixelToWorld(pixel.map((p) => [p])).map((a) => a[0] as number);
  }

  /** One world point → 1-based pixel coordinates. */
  worldToPixelPoint(...world: number[]): number[] {
    return this.worldToPixel(world.map((w) => [w])).map((a) => a[0] as number);
  }
}

/**
 * Parse the WCS of an image header (anything with `get(key)`, like {@link Header}). Throws a
 * FitsError `UNSUPPORTED` for an unknown projection and `INVALID_ARGUMENT` for inconsistent
 * keywords (singular matrix, no valid celestial pole).
 */
export function parseWcs(header: KeywordSource, options: WcsOptions = {}): Wcs {
  const key = (options.key ?? "").trim();
  const get = (k: string): HeaderValue => header.get(k + key);
  let n = options.naxis ?? num(get("WCSAXES"));
  if (n === undefined) {
    n = num(header.get("NAXIS")) ?? 0;
    for (let i = 1; i <= 99; i++) {
      if (
        ["CTYPE", "CRPIX", "CRVAL", "CDELT", "CUNIT"].some((p) => header.get(`${p}${i}${key}`) !== undefined)
      ) {
        n = Math.max(n, i);
      }
    }
  }
  if (!Number.isInteger(n) || n < 1 || n > 99)
    throw new FitsError("INVALID_ARGUMENT", `bad number of WCS axes ${n}`);
  const crpix = new Float64Array(n);
  const crval = new Float64Array(n);
  const cdelt = new Float64Array(n).fill(1);
  const scale = new Float64Array(n).fill(1);
  const ctypes: string[] = [];
  const axes: WcsAxis[] = [];
  let lngAxis = -1;
  let latAxis = -1;
  let specAxis = -1;
  let code = "";
  let extra = "";
  for (let i = 0; i < n; i++) {
    const a = i + 1;
    crpix[i] = num(get(`CRPIX${a}`)) ?? 0;
    crval[i] = num(get(`CRVAL${a}`)) ?? 0;
    cdelt[i] = num(get(`CDELT${a}`)) ?? 1;
    const ctype = (str(get(`CTYPE${a}`)) ?? "").toUpperCase();
    ctypes.push(ctype);
    const cunit = str(get(`CUNIT${a}`)) ?? "";
    const parts = splitCtype(ctype);
    const cel = parts.code !== "" ? celestialPair(parts.name) : undefined;
    if (cel === "longitude" && lngAxis < 0) {
      lngAxis = i;
      code = parts.code;
      extra = parts.extra;
      scale[i] = ANGLE_SCALE[cunit.toUpperCase()] ?? 1;
      axes.push({ ctype, unit: "deg", kind: "longitude" });
    } else if (cel === "latitude" && latAxis < 0) {
      latAxis = i;
      scale[i] = ANGLE_SCALE[cunit.toUpperCase()] ?? 1;
      axes.push({ ctype, unit: "deg", kind: "latitude" });
    } else if (SPECTRAL_TYPES[parts.name] !== undefined && specAxis < 0) {
      specAxis = i;
      const u = UNIT_SCALE[cunit.toUpperCase().replace(/\s+/g, "")];
      if (u !== undefined) scale[i] = u;
      axes.push({
        ctype,
        unit: u !== undefined || cunit === "" ? (SPECTRAL_TYPES[parts.name] as string) : cunit,
        kind: "spectral",
      });
    } else if (parts.name === "STOKES") {
      axes.push({ ctype, unit: "", kind: "stokes" });
    } else {
      axes.push({ ctype, unit: cunit, kind: "linear" });
    }
  }
  // Reference values are scaled like the intermediate coordinates (e.g. km/s → m/s).
  for (let i = 0; i < n; i++) crval[i] = (crval[i] as number) * (scale[i] as number);
  if (lngAxis >= 0 !== latAxis >= 0) {
    throw new FitsError("INVALID_ARGUMENT", `celestial axes come in pairs: CTYPE ${ctypes.join(", ")}`);
  }
  const matrix = linearMatrix(header, key, n, cdelt, lngAxis, latAxis);
  let projection: Projection | undefined;
  let rotation: CelestialRotation | undefined;
  let tpv: Tpv | undefined;
  let sip: Sip | undefined;
  let frame: CelestialFrame | undefined;
  let equinox: number | undefined;
  if (lngAxis >= 0 && latAxis >= 0) {
    const pv = new Map<number, number>();
    for (let m = 0; m <= 99; m++) {
      const v = num(get(`PV${latAxis + 1}_${m}`));
      if (v !== undefined) pv.set(m, v);
    }
    const lat0 = crval[latAxis] as number;
    if (code === "NCP") {
      // Paper II §5.1.5: NCP is SIN with ξ = 0, η = cot δ0.
      code = "SIN";
      pv.clear();
      pv.set(1, 0);
      pv.set(2, cosd(lat0) / sind(lat0));
    } else if (code === "GLS") {
      code = "SFL";
    } else if (code === "TPV") {
      tpv = readTpv(header, lngAxis, latAxis, key);
      code = "TAN";
      pv.clear();
    }
    if (
      extra === "SIP" ||
      (extra === "" && code === "TAN" && header.get("A_ORDER") !== undefined && key === "")
    ) {
      sip = readSip(header);
    }
    projection = createProjection(code, pv);
    // PVi_3/PVi_4 of the longitude axis stand for LONPOLE/LATPOLE (Paper II §2.5), except under TPV.
    const lngPv = (m: number): number | undefined =>
      tpv === undefined ? num(get(`PV${lngAxis + 1}_${m}`)) : undefined;
    const lonpole = num(get("LONPOLE")) ?? lngPv(3);
    const latpole = num(get("LATPOLE")) ?? lngPv(4);
    rotation = celestialRotation(
      crval[lngAxis] as number,
      lat0,
      projection.phi0,
      projection.theta0,
      lonpole,
      latpole,
    );
    ({ frame, equinox } = celestialFrame(header, key, ctypes[lngAxis] as string));
  }
  let spectral: SpectralAxis | undefined;
  const warnings: string[] = [];
  if (specAxis >= 0) {
    const restFrq = num(get("RESTFRQ")) ?? num(get("RESTFREQ"));
    const restWav = num(get("RESTWAV"));
    const nu0 = restFrq ?? (restWav !== undefined && restWav > 0 ? SPEED_OF_LIGHT / restWav : undefined);
    try {
      spectral = new SpectralAxis(ctypes[specAxis] as string, crval[specAxis] as number, nu0);
    } catch (err) {
      // Keep the axis linear in its own units rather than refusing the whole WCS.
      warnings.push(`${ctypes[specAxis]}: ${(err as Error).message}; treated as linear`);
    }
  }

  return new Wcs({
    axes,
    crpix,
    crval,
    matrix,
    scale,
    lngAxis,
    latAxis,
    projection,
    rotation,
    frame,
    equinox,
    specAxis,
    sip,
    tpv,
    dss: key === "" && lngAxis === 0 && latAxis === 1 ? readDssPlate(header) : undefined,
    spectral,
    warnings,
  });
}

/** The pixel → intermediate matrix: PCi_j (with CDELT) > CDi_j > CROTA (Paper I §2.1, Paper II §6.1). */
function linearMatrix(
  header: KeywordSource,
  key: string,
  n: number,
  cdelt: Float64Array,
  lngAxis: number,
  latAxis: number,
): Float64Array {
  const m = new Float64Array(n * n);
  const pc = (i: number, j: number): number | undefined => {
    const v = num(header.get(`PC${i}_${j}${key}`));
    if (v !== undefined) return v;
    return undefined;
  };
  const cd = (i: number, j: number): number | undefined => num(header.get(`CD${i}_${j}${key}`));
  let hasPc = false;
  let hasCd = false;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= n; j++) {
      if (pc(i, j) !== undefined) hasPc = true;
      if (cd(i, j) !== undefined) hasCd = true;
    }
  }
  if (hasPc || !hasCd) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = pc(i + 1, j + 1) ?? (i === j ? 1 : 0);
        m[i * n + j] = (cdelt[i] as number) * v;
      }
    }
    if (!hasPc && latAxis >= 0) {
      const crota = num(header.get(`CROTA${latAxis + 1}${key}`));
      if (crota !== undefined && crota !== 0) {
        // Paper II eq. 188: PC from CROTA2 with the CDELT ratio.
        const c = cosd(crota);
        const s = sind(crota);
        const i = lngAxis;
        const j = latAxis;
        const di = cdelt[i] as number;
        const dj = cdelt[j] as number;
        m[i * n + i] = di * c;
        m[i * n + j] = -dj * s;
        m[j * n + i] = di * s;
        m[j * n + j] = dj * c;
      }
    }
    return m;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = cd(i + 1, j + 1);
      // Axes without any CDi_j keep a unit diagonal, as wcslib does for degenerate axes.
      m[i * n + j] = v ?? 0;
    }
    let any = false;
    for (let j = 0; j < n; j++) if (cd(i + 1, j + 1) !== undefined) any = true;
    if (!any) m[i * n + i] = 1;
  }
  return m;
}

function celestialFrame(
  header: KeywordSource,
  key: string,
  ctype: string,
): { frame: CelestialFrame; equinox: number | undefined } {
  const name = splitCtype(ctype).name;
  if (name === "GLON") return { frame: "GALACTIC", equinox: undefined };
  if (name === "SLON") return { frame: "SUPERGALACTIC", equinox: undefined };
  if (name === "HPLN") return { frame: "HELIOPROJECTIVE", equinox: undefined };
  if (name === "HGLN" || name === "CRLN") return { frame: "HELIOGRAPHIC", equinox: undefined };
  const radesys = str(header.get(`RADESYS${key}`)) ?? str(header.get(`RADECSYS${key}`));
  let equinox = num(header.get(`EQUINOX${key}`));
  if (equinox === undefined && key === "") equinox = num(header.get("EPOCH"));
  let frame: CelestialFrame;
  // Paper II §3.1: defaults from EQUINOX when RADESYS is absent.
  if (radesys !== undefined && ["ICRS", "FK5", "FK4", "FK4-NO-E", "GAPPT"].includes(radesys.toUpperCase())) {
    frame = radesys.toUpperCase() as CelestialFrame;
  } else if (equinox === undefined) frame = "ICRS";
  else frame = equinox < 1984 ? "FK4" : "FK5";
  if (name === "ELON") return { frame: "ECLIPTIC", equinox: equinox ?? 2000 };
  if (name !== "RA") return { frame: "OTHER", equinox };
  if (frame === "FK5" && equinox === undefined) equinox = 2000;
  if ((frame === "FK4" || frame === "FK4-NO-E") && equinox === undefined) equinox = 1950;
  return { frame, equinox: frame === "ICRS" ? undefined : equinox };
}
