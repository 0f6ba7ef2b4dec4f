/**
 * The spherical rotation between native (φ, θ) and celestial (α, δ) coordinates (Calabretta &
 * Greisen 2002, §2.3), and the choice of the celestial pole from CRVAL, LONPOLE and LATPOLE (§2.4).
 */

import { FitsError } from "./errors.js";
import { acosd, asind, atan2d, cosd, sind } from "./projections/degree-trig.js";

/** Euler angles of the rotation: celestial coordinates of the native pole and LONPOLE, degrees. */
export interface CelestialRotation {
  /** α_p: celestial longitude of the native pole. */
  readonly alphaP: number;
  /** δ_p: celestial latitude of the native pole. */
  readonly deltaP: number;
  /** φ_p: native longitude of the celestial pole (LONPOLE). */
  readonly phiP: number;
  /** LATPOLE as used (for the record). */
  readonly latpole: number;
  /** cos and sin of θ_p = 90° − δ_p, precomputed. */
  readonly cosThetaP: number;
  readonly sinThetaP: number;
}

function withTrig(r: { alphaP: number; deltaP: number; phiP: number; latpole: number }): CelestialRotation {
  return { ...r, cosThetaP: cosd(90 - r.deltaP), sinThetaP: sind(90 - r.deltaP) };
}

const TOL = 1e-10;

/**
 * Compute the rotation from the fiducial point (α0, δ0) = CRVAL, its native coordinates (φ0, θ0)
 * and LONPOLE/LATPOLE (undefined for the defaults of Paper II §2.4, eqs. 8–10).
 */
export function celestialRotation(
  alpha0: number,
  delta0: number,
  phi0: number,
  theta0: number,
  lonpole: number | undefined,
  latpole: number | undefined,
): CelestialRotation {
  // Default LONPOLE (Paper II eq. 11, as wcslib offsets it by φ0).
  const phiP = lonpole ?? (delta0 < theta0 ? 180 : 0) + phi0;
  let latp = latpole ?? 90;
  let alphaP: number;
  if (theta0 === 90) {
    return withTrig({ alphaP: alpha0, deltaP: delta0, phiP, latpole: delta0 });
  }
  const st0 = sind(theta0);
  const ct0 = cosd(theta0);
  const sd0 = sind(delta0);
  const cd0 = cosd(delta0);
  const sdp = sind(phiP - phi0);
  const cdp = cosd(phiP - phi0);
  const x = ct0 * cdp;
  const y = st0;
  const z = Math.hypot(x, y);
  if (z === 0) {
    if (sd0 !== 0) throw noPole();
  } else {
    if (Math.abs(sd0 / z) > 1 + TOL) throw noPole();
    const u = atan2d(y, x);
    const v = acosd(Math.max(-1, Math.min(1, sd0 / z)));
    let l1 = u + v;
    if (l1 > 180) l1 -= 360;
    else if (l1 < -180) l1 += 360;
    let l2 = u - v;
    if (l2 > 180) l2 -= 360;
    else if (l2 < -180) l2 += 360;
    if (Math.abs(latp - l1) < Math.abs(latp - l2)) {
      latp = Math.abs(l1) < 90 + TOL ? l1 : l2;
    } else {
      latp = Math.abs(l2) < 90 + TOL ? l2 : l1;
    }
    if (Math.abs(latp) > 90 + TOL) throw noPole();
    latp = Math.max(-90, Math.min(90, latp));
  }
  const zz = cosd(latp) * cd0;
  if (Math.abs(zz) < TOL) {
    if (Math.abs(cd0) < TOL) alphaP = alpha0;
    else if (latp > 0) alphaP = alpha0 + phiP - phi0 - 180;
    else alphaP = alpha0 - phiP + phi0;
  } else {
    const xx = (st0 - sind(latp) * sd0) / zz;
    const yy = (sdp * ct0) / cd0;
    if (xx === 0 && yy === 0) throw noPole();
    alphaP = alpha0 - atan2d(yy, xx);
  }
  if (alpha0 >= 0) {
    if (alphaP < 0) alphaP += 360;
    else if (alphaP > 360) alphaP -= 360;
  } else if (alphaP > 0) alphaP -= 360;
  else if (alphaP < -360) alphaP += 360;
  return withTrig({ alphaP, deltaP: latp, phiP, latpole: latp });
}

function noPole(): FitsError {
  return new FitsError(
    "INVALID_ARGUMENT",
    "no celestial pole satisfies CRVAL, LONPOLE and LATPOLE (Paper II §2.4)",
  );
}

/** Output pair for the rotation functions. */
export interface SphericalPair {
  lng: number;
  lat: number;
}

/** Native (φ, θ) → celestial (α, δ), degrees, α in [0, 360) (Paper II eq. 2). */
export function nativeToCelestial(
  rot: CelestialRotation,
  phi: number,
  theta: number,
  out: SphericalPair,
): void {
  const thetaP = 90 - rot.deltaP;
  const c3 = rot.cosThetaP;
  const c4 = rot.sinThetaP;
  const dphi = phi - rot.phiP;
  const st = sind(theta);
  const ct = cosd(theta);
  const sdp = sind(dphi);
  const cdp = cosd(dphi);
  let x = st * c4 - ct * c3 * cdp;
  if (Math.abs(x) < 1e-5) {
    // Rearranged to reduce rounding when x is small.
    x = -cosd(theta + thetaP) + ct * c3 * (1 - cdp);
  }
  const y = -ct * sdp;
  let dlng: number;
  if (x !== 0 || y !== 0) dlng = atan2d(y, x);
  else dlng = thetaP < 90 ? dphi + 180 : -dphi;
  let lng = rot.alphaP + dlng;
  if (lng >= 360 || lng < 0) {
    lng %= 360;
    if (lng < 0) lng += 360;
  }
  let lat: number;
  if (dphi / 180 === Math.floor(dphi / 180)) {
    lat = theta + cdp * thetaP;
    if (lat > 90) lat = 180 - lat;
    if (lat < -90) lat = -180 - lat;
  } else {
    const z = st * c3 + ct * c4 * cdp;
    // Near the poles asin loses precision; use the horizontal component instead.
    lat = Math.abs(z) > 0.99 ? Math.sign(z) * acosd(Math.hypot(x, y)) : asind(z);
  }
  out.lng = lng;
  out.lat = lat;
}

/** Celestial (α, δ) → native (φ, θ), degrees, φ in [-180, 180] (Paper II eq. 5). */
export function celestialToNative(
  rot: CelestialRotation,
  lng: number,
  lat: number,
  out: SphericalPair,
): void {
  const thetaP = 90 - rot.deltaP;
  const c3 = rot.cosThetaP;
  const c4 = rot.sinThetaP;
  const dlng = lng - rot.alphaP;
  const sl = sind(lat);
  const cl = cosd(lat);
  const sdl = sind(dlng);
  const cdl = cosd(dlng);
  let x = sl * c4 - cl * c3 * cdl;
  if (Math.abs(x) < 1e-5) x = -cosd(lat + thetaP) + cl * c3 * (1 - cdl);
  const y = -cl * sdl;
  let dphi: number;
  if (x !== 0 || y !== 0) dphi = atan2d(y, x);
  else dphi = thetaP < 90 ? dlng - 180 : -dlng;
  let phi = rot.phiP + dphi;
  if (phi > 180 || phi < -180) {
    phi %= 360;
    if (phi > 180) phi -= 360;
    else if (phi < -180) phi += 360;
  }
  let theta: number;
  if (dlng / 180 === Math.floor(dlng / 180)) {
    theta = lat + cdl * thetaP;
    if (theta > 90) theta = 180 - theta;
    if (theta < -90) theta = -180 - theta;
  } else {
    const z = sl * c3 + cl * c4 * cdl;
    theta = Math.abs(z) > 0.99 ? Math.sign(z) * acosd(Math.hypot(x, y)) : asind(z);
  }
  out.lng = phi;
  out.lat = theta;
}
