/**
 * Atmospheric refraction in the A tan z + B tan³ z form used by SOFA/ERFA (`iauRefco`, after
 * Green 1987, "Spherical Astronomy" §4.31, and Hohenkerk & Sinclair 1985), so that refracted
 * altitudes agree with astropy's AltAz frame under the same pressure, temperature, humidity and
 * wavelength.
 */

/** Weather for refraction. Pressure 0 switches refraction off. */
export interface Weather {
  /** Pressure at the observer in hPa (0: no refraction). */
  readonly pressureHpa: number;
  /** Air temperature in °C (astropy's default 0). */
  readonly temperatureC?: number;
  /** Relative humidity 0–1 (astropy's default 0). */
  readonly relativeHumidity?: number;
  /** Observing wavelength in micrometres (astropy's default 1). */
  readonly wavelengthMicron?: number;
}

/** Refraction constants A and B in radians (ζ_obs = ζ − A tan ζ − B tan³ ζ). */
export interface RefractionConstants {
  readonly a: number;
  readonly b: number;
}

/**
 * A and B for `weather`. Optical/IR formula for wavelengths ≤ 100 µm, radio formula beyond
 * (Green 1987 §4.31; the saturation vapour pressure fit is Gill 1982 as in `iauRefco`).
 */
export function refractionConstants(weather: Weather): RefractionConstants {
  const optic = (weather.wavelengthMicron ?? 1) <= 100;
  const t = Math.min(Math.max(weather.temperatureC ?? 0, -150), 200);
  const p = Math.min(Math.max(weather.pressureHpa, 0), 10000);
  const r = Math.min(Math.max(weather.relativeHumidity ?? 0, 0), 1);
  const w = Math.min(Math.max(weather.wavelengthMicron ?? 1, 0.1), 1e6);
  let pw = 0;
  if (p > 0) {
    const ps = 10 ** ((0.7859 + 0.03477 * t) / (1 + 0.00412 * t)) * (1 + p * (4.5e-6 + 6e-10 * t * t));
    pw = (r * ps) / (1 - ((1 - r) * ps) / p);
  }
  const tk = t + 273.15;
  let gamma: number;
  if (optic) {
    const wlsq = w * w;
    gamma = ((77.53484e-6 + (4.391e-7 + 3.666e-9 / wlsq) / wlsq) * p - 11.2684e-6 * pw) / tk;
  } else {
    gamma = (77.689e-6 * p - (6.3938e-6 - 0.375463 / tk) * pw) / tk;
  }
  let beta = 4.4474e-6 * tk;
  if (!optic) beta -= 0.0074 * pw * beta;
  return { a: gamma * (1 - beta), b: -gamma * (beta - gamma / 2) };
}

/**
 * Refract a horizontal unit vector in place given its up component `z` (sin altitude) and its
 * horizontal length `r` (cos altitude); returns the refracted sin(altitude) and the factor that
 * scales the horizontal components. The A tan z + B tan³ z model with one Newton–Raphson step and
 * the low-altitude clamp sin h ≥ 0.05 of `iauAtioq`, so values below ~3° follow ERFA's (unphysical
 * but reproducible) behaviour.
 */
export function refractUnitVector(z: number, r: number, k: RefractionConstants): { z: number; f: number } {
  const rr = Math.max(r, 1e-6);
  const zz = Math.max(z, 0.05);
  const tz = rr / zz;
  const w = k.b * tz * tz;
  const del = ((k.a + w) * tz) / (1 + (k.a + 3 * w) / (zz * zz));
  const cosdel = 1 - (del * del) / 2;
  const f = cosdel - (del * zz) / rr;
  return { z: cosdel * z + del * r, f };
}
