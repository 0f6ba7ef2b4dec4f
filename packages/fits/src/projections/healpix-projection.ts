/**
 * HPX, the HEALPix projection with H = PV2_1 (default 4) and K = PV2_2 (default 3)
 * (Calabretta & Roukema 2007, MNRAS 381, 865, eqs. 1–9). Fiducial point (0, 0).
 */
import { asind, atan2d, cosd, sind } from "./degree-trig.js";
import type { Projection, ProjectionParameters } from "./projection.js";
import { setInvalid } from "./projection.js";

/** The HEALPix projection. */
export function hpx(pv: ProjectionParameters): Projection {
  const h = pv.get(1) ?? 4;
  const k = pv.get(2) ?? 3;
  if (h <= 0 || k <= 0) throw new RangeError("HPX: H and K must be positive");
  const sx = (k - 1) / k;
  const yEq = (90 * k) / h;
  const yx = (90 * (k - 1)) / h;
  const yMax = (90 * (k + 1)) / h;
  const kOdd = k % 2 === 1;
  const centre = (lng: number, north: boolean): number => {
    const omega = kOdd || north ? 1 : 0;
    return -180 + (2 * Math.floor(((lng + 180) * h) / 360 + (1 - omega) / 2) + omega) * (180 / h);
  };
  return {
    code: "HPX",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      const s = sind(theta);
      if (Math.abs(s) <= sx) {
        out.a = phi;
        out.b = yEq * s;
        return;
      }
      const c = cosd(theta);
      // σ = √(K (1 − |sin θ|)) with 1 − |sin θ| = cos²θ / (1 + |sin θ|).
      const sigma = Math.sqrt((k * c * c) / (1 + Math.abs(s)));
      const pc = centre(phi, theta > 0);
      out.a = pc + (phi - pc) * sigma;
      out.b = Math.sign(theta) * (180 / h) * ((k + 1) / 2 - sigma);
    },
    deproject(x, y, out) {
      const ay = Math.abs(y);
      if (ay <= yx) {
        out.a = x;
        out.b = asind(y / yEq);
        return;
      }
      if (ay > yMax + 1e-12) {
        setInvalid(out);
        return;
      }
      const sigma = Math.max(0, (k + 1) / 2 - (ay * h) / 180);
      const pc = centre(x, y > 0);
      const half = (180 / h) * sigma;
      if (Math.abs(x - pc) > half + 1e-12) {
        setInvalid(out);
        return;
      }
      out.a = sigma === 0 ? pc : pc + (x - pc) / sigma;
      // sin θ = 1 − σ²/K, cos θ = (σ/√K) √(2 − σ²/K).
      const q = (sigma * sigma) / k;
      out.b = Math.sign(y) * atan2d(1 - q, (sigma / Math.sqrt(k)) * Math.sqrt(2 - q));
    },
  };
}

/**
 * Linear maps from the shifted HPX coordinates (u, v) = (ξ − 45°, η − 90°) of a column to the
 * XPH plane (× √2), one per quadrant φ + 180° ∈ [90°q, 90°(q + 1)): rows (x, y), columns (u, v).
 */
const XPH_MAPS: readonly (readonly [number, number, number, number])[] = [
  [-1, 1, -1, -1],
  [1, 1, -1, 1],
  [1, -1, 1, 1],
  [-1, -1, 1, -1],
];

/**
 * XPH, the polar ("butterfly") HEALPix projection with H = 4, K = 3 (Calabretta & Lowe 2013,
 * PASA 30, e050): the four columns of HPX are turned about the north pole, each by a multiple
 * of 90° and by 45°, and scaled by 1/√2, so the north polar cap is a square centred on the
 * origin and the south polar facets form the wings. Fiducial point (0, 90).
 */
export function xph(): Projection {
  const r2 = Math.SQRT2;
  const sx = 2 / 3;
  return {
    code: "XPH",
    phi0: 0,
    theta0: 90,
    project(phi, theta, out) {
      if (!Number.isFinite(phi) || !(Math.abs(theta) <= 90)) {
        setInvalid(out);
        return;
      }
      let chi = phi;
      if (Math.abs(chi) >= 180) {
        chi %= 360;
        if (chi < -180) chi += 360;
        else if (chi >= 180) chi -= 360;
      }
      chi += 180;
      const psi = chi % 90;
      const q = Math.min(3, Math.round((chi - psi) / 90));
      const s = sind(theta);
      let xi: number;
      let eta: number;
      if (Math.abs(s) <= sx) {
        xi = psi;
        eta = 67.5 * s;
      } else {
        const c = cosd(theta);
        // σ = √(3 (1 − |sin θ|)), written without the cancellation near the poles.
        const sigma = Math.sqrt((3 * c * c) / (1 + Math.abs(s)));
        xi = 45 + (psi - 45) * sigma;
        eta = Math.sign(theta) * 45 * (2 - sigma);
      }
      const u = xi - 45;
      const v = eta - 90;
      const m = XPH_MAPS[q] as readonly [number, number, number, number];
      out.a = (m[0] * u + m[1] * v) / r2;
      out.b = (m[2] * u + m[3] * v) / r2;
    },
    deproject(x, y, out) {
      const q = x < 0 ? (y > 0 ? 0 : 1) : y < 0 ? 2 : 3;
      const m = XPH_MAPS[q] as readonly [number, number, number, number];
      // The maps are √2 × rotations: the inverse is the transpose / 2.
      const xs = x * r2;
      const ys = y * r2;
      const u = (m[0] * xs + m[2] * ys) / 2;
      const v = (m[1] * xs + m[3] * ys) / 2;
      const xi = u + 45;
      const eta = v + 90;
      const tol = 1e-12;
      if (Math.abs(eta) > 90 + tol) {
        setInvalid(out);
        return;
      }
      let psi: number;
      if (Math.abs(eta) <= 45) {
        if (xi < -tol || xi > 90 + tol) {
          setInvalid(out);
          return;
        }
        psi = xi;
        out.b = asind(eta / 67.5);
      } else {
        const sigma = Math.max(0, 2 - Math.abs(eta) / 45);
        if (Math.abs(xi - 45) > 45 * sigma + tol) {
          setInvalid(out);
          return;
        }
        psi = sigma === 0 ? 45 : 45 + (xi - 45) / sigma;
        // sin θ = 1 − σ²/3, cos θ = (σ/√3) √(2 − σ²/3).
        const k = (sigma * sigma) / 3;
        out.b = Math.sign(eta) * atan2d(1 - k, (sigma / Math.sqrt(3)) * Math.sqrt(2 - k));
      }
      // At the north pole φ is arbitrary: 0 as wcslib.
      out.a = eta >= 90 ? 0 : psi + 90 * q - 180;
    },
  };
}
