/**
 * Conic projections COP, COE, COD, COO (Calabretta & Greisen 2002, §5.4) with θa = PV2_1 and
 * η = PV2_2; the fiducial point is (0, θa). x = Rθ sin(Cφ), y = −Rθ cos(Cφ) + Y0 (eqs. 109–110);
 * inverse with R = sign(θa) √(x² + (Y0 − y)²), φ = arg((Y0 − y)/R, x/R)/C (eqs. 111–112).
 */
import { asind, atan2d, atand, cosd, D2R, R2D, sind, tand } from "./degree-trig.js";
import type { Projection, ProjectionParameters } from "./projection.js";
import { setInvalid } from "./projection.js";

interface ConicRadius {
  c: number;
  y0: number;
  r(theta: number): number;
  theta(r: number): number;
}

function conic(code: string, thetaA: number, k: ConicRadius): Projection {
  const sign = thetaA < 0 ? -1 : 1;
  return {
    code,
    phi0: 0,
    theta0: thetaA,
    project(phi, theta, out) {
      const r = k.r(theta);
      if (!Number.isFinite(r)) {
        setInvalid(out);
        return;
      }
      const a = k.c * phi;
      out.a = r * sind(a);
      out.b = -r * cosd(a) + k.y0;
    },
    deproject(x, y, out) {
      const dy = k.y0 - y;
      let r = Math.hypot(x, dy);
      if (sign < 0) r = -r;
      const alpha = r === 0 ? 0 : atan2d(x / r, dy / r);
      const theta = k.theta(r);
      if (Number.isNaN(theta)) {
        setInvalid(out);
        return;
      }
      const phi = alpha / k.c;
      if (Math.abs(phi) > 180 + 1e-10) {
        setInvalid(out);
        return;
      }
      out.a = phi;
      out.b = theta;
    },
  };
}

function params(code: string, pv: ProjectionParameters): { thetaA: number; eta: number } {
  const thetaA = pv.get(1);
  if (thetaA === undefined) throw new RangeError(`${code}: PV2_1 (θa) is required`);
  return { thetaA, eta: pv.get(2) ?? 0 };
}

/** COP, conic perspective (eqs. 113–116). */
export function cop(pv: ProjectionParameters): Projection {
  const { thetaA, eta } = params("COP", pv);
  const c = sind(thetaA);
  const ce = cosd(eta);
  const cotA = 1 / tand(thetaA);
  const y0 = R2D * ce * cotA;
  return conic("COP", thetaA, {
    c,
    y0,
    r: (theta) => {
      const t = theta - thetaA;
      const cc = cosd(t);
      if (cc === 0) return Number.NaN;
      const r = R2D * ce * (cotA - sind(t) / cc);
      // A radius of the wrong sign is on the far sheet (wcslib's bounds check).
      if (r * Math.sign(c) < 0) return Number.NaN;
      return r;
    },
    theta: (r) => thetaA + atand(cotA - r / (R2D * ce)),
  });
}

/** COE, conic equal area (eqs. 117–119). */
export function coe(pv: ProjectionParameters): Projection {
  const { thetaA, eta } = params("COE", pv);
  const s1 = sind(thetaA - eta);
  const s2 = sind(thetaA + eta);
  const gamma = s1 + s2;
  const c = gamma / 2;
  const k0 = 1 + s1 * s2;
  const scale = (2 * R2D) / gamma;
  const rOf = (theta: number): number => scale * Math.sqrt(k0 - gamma * sind(theta));
  return conic("COE", thetaA, {
    c,
    y0: rOf(thetaA),
    r: rOf,
    theta: (r) => {
      const q = r / scale;
      const s = (k0 - q * q) / gamma;
      if (Math.abs(s) > 1 + 1e-12) return Number.NaN;
      return asind(Math.max(-1, Math.min(1, s)));
    },
  });
}

/** COD, conic equidistant (eqs. 120–122). */
export function cod(pv: ProjectionParameters): Projection {
  const { thetaA, eta } = params("COD", pv);
  const etaR = eta * D2R;
  const c = eta === 0 ? sind(thetaA) : (sind(thetaA) * sind(eta)) / etaR;
  const y0 = eta === 0 ? R2D / tand(thetaA) : (R2D * etaR * (cosd(eta) / sind(eta))) / tand(thetaA);
  return conic("COD", thetaA, {
    c,
    y0,
    r: (theta) => thetaA - theta + y0,
    theta: (r) => thetaA + y0 - r,
  });
}

/** COO, conic orthomorphic (eqs. 123–125). */
export function coo(pv: ProjectionParameters): Projection {
  const { thetaA, eta } = params("COO", pv);
  const t1 = thetaA - eta;
  const t2 = thetaA + eta;
  const tan1 = tand((90 - t1) / 2);
  const c = t1 === t2 ? sind(t1) : Math.log(cosd(t2) / cosd(t1)) / Math.log(tand((90 - t2) / 2) / tan1);
  const psi = (R2D * cosd(t1)) / (c * tan1 ** c);
  const rOf = (theta: number): number => {
    if (theta === -90 * Math.sign(c)) return Number.NaN;
    const t = tand((90 - theta) / 2);
    return psi * t ** c;
  };
  return conic("COO", thetaA, {
    c,
    y0: rOf(thetaA),
    r: rOf,
    theta: (r) => {
      if (r === 0) return c > 0 ? 90 : Number.NaN;
      return 90 - 2 * atand((r / psi) ** (1 / c));
    },
  });
}
