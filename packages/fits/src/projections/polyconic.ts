/** Polyconic projections BON and PCO (Calabretta & Greisen 2002, §5.5). */

import { sfl } from "./cylindrical.js";
import { cosd, D2R, R2D, sind, tand } from "./degree-trig.js";
import type { Projection, ProjectionParameters } from "./projection.js";
import { setInvalid } from "./projection.js";

/** BON, Bonne's equal area with θ1 = PV2_1 (eqs. 126–130); θ1 = 0 is SFL. */
export function bon(pv: ProjectionParameters): Projection {
  const theta1 = pv.get(1);
  if (theta1 === undefined) throw new RangeError("BON: PV2_1 (θ1) is required");
  if (theta1 === 0) {
    const s = sfl();
    return { ...s, code: "BON" };
  }
  const y0 = R2D / tand(theta1) + theta1;
  const sign = theta1 < 0 ? -1 : 1;
  return {
    code: "BON",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      const r = y0 - theta;
      // Aφ = r0 φ cos θ / Rθ, radians (eq. 128).
      const a = r === 0 ? 0 : ((phi * cosd(theta)) / r) * R2D;
      out.a = r * sind(a);
      out.b = -r * cosd(a) + y0;
    },
    deproject(x, y, out) {
      const dy = y0 - y;
      let r = Math.hypot(x, dy);
      if (sign < 0) r = -r;
      const alpha = r === 0 ? 0 : Math.atan2(x / r, dy / r);
      const theta = y0 - r;
      if (Math.abs(theta) > 90 + 1e-12) {
        setInvalid(out);
        return;
      }
      const ct = cosd(theta);
      const phi = ct === 0 ? 0 : (alpha * r) / ct;
      if (Math.abs(phi) > 180 + 1e-10) {
        setInvalid(out);
        return;
      }
      out.a = phi;
      out.b = theta;
    },
  };
}

/** PCO, polyconic (eqs. 131–133); the inverse is solved iteratively. */
export function pco(): Projection {
  return {
    code: "PCO",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      if (theta === 0) {
        out.a = phi;
        out.b = 0;
        return;
      }
      const st = sind(theta);
      const cot = cosd(theta) / st;
      const e = phi * st;
      out.a = R2D * cot * sind(e);
      out.b = theta + R2D * cot * (1 - cosd(e));
    },
    deproject(x, y, out) {
      const X = x * D2R;
      const Y = y * D2R;
      if (Math.abs(Y) < 1e-15) {
        if (Math.abs(x) > 180 + 1e-10) {
          setInvalid(out);
          return;
        }
        out.a = x;
        out.b = 0;
        return;
      }
      if (Math.abs(Math.abs(Y) - Math.PI / 2) < 1e-15 && Math.abs(X) < 1e-15) {
        out.a = 0;
        out.b = Math.sign(Y) * 90;
        return;
      }
      // Solve f(θ) = (x² + (y − θ)²) tan θ − 2 (y − θ) = 0 for θ between 0 and y.
      const f = (t: number): number => (X * X + (Y - t) * (Y - t)) * Math.tan(t) - 2 * (Y - t);
      let lo = 0;
      let hi = Y;
      if (Math.abs(hi) > Math.PI / 2) hi = (Math.sign(Y) * Math.PI) / 2;
      let flo = f(lo + Math.sign(Y) * 1e-300);
      let fhi = f(hi);
      if (Math.sign(flo) === Math.sign(fhi)) {
        if (Math.abs(fhi) < 1e-13) {
          lo = hi;
        } else {
          setInvalid(out);
          return;
        }
      }
      for (let k = 0; k < 300; k++) {
        const mid = 0.5 * (lo + hi);
        if (mid === lo || mid === hi) break;
        const fm = f(mid);
        if (fm === 0) {
          lo = hi = mid;
          break;
        }
        if (Math.sign(fm) === Math.sign(flo)) {
          lo = mid;
          flo = fm;
        } else {
          hi = mid;
          fhi = fm;
        }
      }
      const t = 0.5 * (lo + hi);
      const tt = Math.tan(t);
      const e = Math.atan2(X * tt, 1 - (Y - t) * tt);
      const phi = (e / Math.sin(t)) * R2D;
      if (Math.abs(phi) > 180 + 1e-10) {
        setInvalid(out);
        return;
      }
      out.a = phi;
      out.b = t * R2D;
    },
  };
}
