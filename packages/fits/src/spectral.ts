/**
 * Spectral coordinates (Greisen, Calabretta, Valdes & Allen 2006, "Paper III"): conversions
 * between frequency and the other spectral types (Table 3), and the non-linear algorithm codes
 * "S-X2P" (e.g. WAVE-F2W, VOPT-F2W, FREQ-V2F) in which a type X is linear in the pixel coordinate
 * (§3.2, eqs. 5–7). SI units throughout; constants as wcslib uses them.
 */
import { FitsError } from "./errors.js";

/** Speed of light, m/s. */
export const SPEED_OF_LIGHT = 299792458;
/** Planck constant, J s (the value wcslib uses, so energies agree with it to the last digit). */
export const PLANCK = 6.6260755e-34;

/** Spectral types this module converts. */
export type SpectralType =
  | "FREQ"
  | "ENER"
  | "WAVN"
  | "VRAD"
  | "WAVE"
  | "VOPT"
  | "ZOPT"
  | "AWAV"
  | "VELO"
  | "BETA";

const TYPES = new Set<string>([
  "FREQ",
  "ENER",
  "WAVN",
  "VRAD",
  "WAVE",
  "VOPT",
  "ZOPT",
  "AWAV",
  "VELO",
  "BETA",
]);

/**
 * Refractive index of air at vacuum-side variable s = (1/λ_air)² (m⁻²): the formula wcslib uses
 * (Paper III §4.3, eq. 65, after Cox 2000).
 */
function airIndex(s: number): number {
  return 1.000064328 + 2.554e8 / (0.41e14 - s) + 294.981e8 / (1.46e14 - s);
}

/** Vacuum wavelength of an air wavelength (m). */
export function airToVacuum(awav: number): number {
  const s = 1 / (awav * awav);
  return awav * airIndex(s);
}

/** Air wavelength of a vacuum wavelength (m), by fixed-point iteration as wcslib does. */
export function vacuumToAir(wave: number): number {
  let n = 1;
  for (let k = 0; k < 4; k++) {
    const r = n / wave;
    n = airIndex(r * r);
  }
  return wave / n;
}

/** d(vacuum wavelength)/d(air wavelength) at air wavelength `awav`. */
function dVacuumDAir(awav: number): number {
  const s = 1 / (awav * awav);
  const a = 0.41e14 - s;
  const b = 1.46e14 - s;
  const dnds = 2.554e8 / (a * a) + 294.981e8 / (b * b);
  return airIndex(s) + awav * dnds * (-2 / (awav * awav * awav));
}

/** True for the spectral types this module converts. */
export function isSpectralType(t: string): t is SpectralType {
  return TYPES.has(t);
}

/** Which types need a rest frequency (or rest wavelength). */
export function needsRest(t: SpectralType): boolean {
  return t === "VRAD" || t === "VOPT" || t === "ZOPT" || t === "VELO" || t === "BETA";
}

/** Value of type `t` at frequency `f` (Hz), given the rest frequency `nu0` (Hz). Paper III Table 3. */
export function fromFrequency(t: SpectralType, f: number, nu0: number): number {
  const c = SPEED_OF_LIGHT;
  switch (t) {
    case "FREQ":
      return f;
    case "ENER":
      return PLANCK * f;
    case "WAVN":
      return f / c;
    case "VRAD":
      return c * (1 - f / nu0);
    case "WAVE":
      return c / f;
    case "VOPT":
      return c * (nu0 / f - 1);
    case "ZOPT":
      return nu0 / f - 1;
    case "AWAV":
      return vacuumToAir(c / f);
    case "VELO": {
      const a = nu0 * nu0;
      const b = f * f;
      return (c * (a - b)) / (a + b);
    }
    case "BETA": {
      const a = nu0 * nu0;
      const b = f * f;
      return (a - b) / (a + b);
    }
  }
}

/** Frequency (Hz) of value `s` of type `t`. */
export function toFrequency(t: SpectralType, s: number, nu0: number): number {
  const c = SPEED_OF_LIGHT;
  switch (t) {
    case "FREQ":
      return s;
    case "ENER":
      return s / PLANCK;
    case "WAVN":
      return s * c;
    case "VRAD":
      return nu0 * (1 - s / c);
    case "WAVE":
      return c / s;
    case "VOPT":
      return nu0 / (1 + s / c);
    case "ZOPT":
      return nu0 / (1 + s);
    case "AWAV":
      return c / airToVacuum(s);
    case "VELO":
      return nu0 * Math.sqrt((c - s) / (c + s));
    case "BETA":
      return nu0 * Math.sqrt((1 - s) / (1 + s));
  }
}

/** d(type)/d(frequency) at frequency `f`. */
export function derivativeByFrequency(t: SpectralType, f: number, nu0: number): number {
  const c = SPEED_OF_LIGHT;
  switch (t) {
    case "FREQ":
      return 1;
    case "ENER":
      return PLANCK;
    case "WAVN":
      return 1 / c;
    case "VRAD":
      return -c / nu0;
    case "WAVE":
      return -c / (f * f);
    case "VOPT":
      return (-c * nu0) / (f * f);
    case "ZOPT":
      return -nu0 / (f * f);
    case "AWAV":
      return -c / (f * f) / dVacuumDAir(vacuumToAir(c / f));
    case "VELO":
    case "BETA": {
      const a = nu0 * nu0;
      const d = a + f * f;
      const v = (-4 * a * f) / (d * d);
      return t === "VELO" ? c * v : v;
    }
  }
}

const X_TYPES: Record<string, SpectralType> = { F: "FREQ", W: "WAVE", A: "AWAV", V: "VELO" };

/**
 * A spectral axis: S = CRVAL + x for linear types, or the S-X2P algorithm of Paper III §3.2 in
 * which X is linear: X = X_r + (dX/dS)_r · x.
 */
export class SpectralAxis {
  readonly type: SpectralType;
  /** The type linear in the pixel coordinate (equals `type` for a linear axis). */
  readonly linearType: SpectralType;
  readonly crval: number;
  readonly restFrequency: number;
  private readonly xr: number;
  private readonly dxds: number;

  constructor(ctype: string, crval: number, restFrequency: number | undefined) {
    const s = ctype.slice(0, 4);
    if (!isSpectralType(s)) throw new FitsError("UNSUPPORTED", `spectral type ${ctype} is not supported`);
    const algo = ctype.length > 5 ? ctype.slice(5, 8) : "";
    let x: SpectralType = s;
    if (algo !== "") {
      const m = /^([FWVA])2([FWVA])$/.exec(algo);
      const xt = m ? X_TYPES[m[1] as string] : undefined;
      if (xt === undefined)
        throw new FitsError("UNSUPPORTED", `spectral algorithm ${ctype} is not supported`);
      x = xt;
    }
    this.type = s;
    this.linearType = x;
    this.crval = crval;
    const nu0 = restFrequency ?? Number.NaN;
    if ((needsRest(s) || needsRest(x)) && x !== s && !(nu0 > 0)) {
      throw new FitsError("INVALID_ARGUMENT", `${ctype} needs RESTFRQ or RESTWAV`);
    }
    this.restFrequency = nu0;
    if (x === s) {
      this.xr = crval;
      this.dxds = 1;
    } else {
      const fr = toFrequency(s, crval, nu0);
      this.xr = fromFrequency(x, fr, nu0);
      this.dxds = derivativeByFrequency(x, fr, nu0) / derivativeByFrequency(s, fr, nu0);
    }
  }

  /** S at intermediate coordinate x (S units). */
  toWorld(x: number): number {
    if (this.linearType === this.type) return this.crval + x;
    const X = this.xr + this.dxds * x;
    const f = toFrequency(this.linearType, X, this.restFrequency);
    return fromFrequency(this.type, f, this.restFrequency);
  }

  /** Intermediate coordinate x of world value S. */
  toIntermediate(s: number): number {
    if (this.linearType === this.type) return s - this.crval;
    const f = toFrequency(this.type, s, this.restFrequency);
    const X = fromFrequency(this.linearType, f, this.restFrequency);
    return (X - this.xr) / this.dxds;
  }
}
