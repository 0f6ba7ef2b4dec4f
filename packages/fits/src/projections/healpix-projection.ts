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
