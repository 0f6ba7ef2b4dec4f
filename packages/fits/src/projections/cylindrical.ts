/**
 * Cylindrical projections CYP, CEA, CAR, MER (Calabretta & Greisen 2002, §5.2) and the
 * pseudocylindricals SFL, PAR, MOL, AIT (§5.3). Fiducial point (φ0, θ0) = (0, 0).
 */
import { asind, atan2d, atand, cosd, D2R, R2D, sind, tand } from "./degree-trig.js";
import type { Projection, ProjectionParameters } from "./projection.js";
import { setInvalid } from "./projection.js";

const TOL = 1e-13;

/** CYP, cylindrical perspective with μ = PV2_1, λ = PV2_2 (eqs. 86–89). */
export function cyp(pv: ProjectionParameters): Projection {
  const mu = pv.get(1) ?? 1;
  const lambda = pv.get(2) ?? 1;
  if (lambda === 0 || mu + lambda === 0) throw new RangeError("CYP: λ = 0 or μ + λ = 0");
  return {
    code: "CYP",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      const t = mu + cosd(theta);
      if (t === 0) {
        setInvalid(out);
        return;
      }
      out.a = lambda * phi;
      out.b = (R2D * (mu + lambda) * sind(theta)) / t;
    },
    deproject(x, y, out) {
      const eta = y / (R2D * (mu + lambda));
      const t = (eta * mu) / Math.sqrt(eta * eta + 1);
      if (Math.abs(t) > 1 + TOL) {
        setInvalid(out);
        return;
      }
      out.a = x / lambda;
      out.b = atan2d(eta, 1) + asind(Math.max(-1, Math.min(1, t)));
    },
  };
}

/** CEA, cylindrical equal area with λ = PV2_1 (eqs. 90–91). */
export function cea(pv: ProjectionParameters): Projection {
  const lambda = pv.get(1) ?? 1;
  if (lambda <= 0 || lambda > 1) throw new RangeError("CEA: PV2_1 must be in (0, 1]");
  return {
    code: "CEA",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      out.a = phi;
      out.b = (R2D * sind(theta)) / lambda;
    },
    deproject(x, y, out) {
      const s = (lambda * y) / R2D;
      if (Math.abs(s) > 1 + TOL) {
        setInvalid(out);
        return;
      }
      out.a = x;
      out.b = asind(Math.max(-1, Math.min(1, s)));
    },
  };
}

/** CAR, plate carrée: x = φ, y = θ (eqs. 92–93). */
export function car(): Projection {
  return {
    code: "CAR",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      out.a = phi;
      out.b = theta;
    },
    deproject(x, y, out) {
      if (Math.abs(y) > 90 + 1e-12) {
        setInvalid(out);
        return;
      }
      out.a = x;
      out.b = y;
    },
  };
}

/** MER, Mercator: y = r0 ln tan((90° + θ)/2) (eqs. 94–95). */
export function mer(): Projection {
  return {
    code: "MER",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      if (theta <= -90 || theta >= 90) {
        setInvalid(out);
        return;
      }
      out.a = phi;
      out.b = R2D * Math.log(tand((90 + theta) / 2));
    },
    deproject(x, y, out) {
      out.a = x;
      out.b = 2 * atand(Math.exp(y / R2D)) - 90;
    },
  };
}

/** SFL, Sanson–Flamsteed: x = φ cos θ, y = θ (eqs. 96–97). */
export function sfl(): Projection {
  return {
    code: "SFL",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      out.a = phi * cosd(theta);
      out.b = theta;
    },
    deproject(x, y, out) {
      if (Math.abs(y) > 90 + 1e-12) {
        setInvalid(out);
        return;
      }
      const c = cosd(y);
      const phi = c === 0 ? 0 : x / c;
      if (Math.abs(phi) > 180 + 1e-12) {
        setInvalid(out);
        return;
      }
      out.a = phi;
      out.b = y;
    },
  };
}

/** PAR, parabolic: x = φ (2 cos(2θ/3) − 1), y = π r0 sin(θ/3) (eqs. 98–99). */
export function par(): Projection {
  return {
    code: "PAR",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      const s = sind(theta / 3);
      out.a = phi * (1 - 4 * s * s);
      out.b = 180 * s;
    },
    deproject(x, y, out) {
      const s = y / 180;
      if (Math.abs(s) > 1 + TOL) {
        setInvalid(out);
        return;
      }
      const sc = Math.max(-1, Math.min(1, s));
      const t = 1 - 4 * sc * sc;
      let phi: number;
      if (t === 0) {
        if (x !== 0) {
          setInvalid(out);
          return;
        }
        phi = 0;
      } else {
        phi = x / t;
      }
      if (Math.abs(phi) > 180 + 1e-12) {
        setInvalid(out);
        return;
      }
      out.a = phi;
      out.b = 3 * asind(sc);
    },
  };
}

/** MOL, Mollweide: x = (2√2/π) φ cos γ, y = √2 r0 sin γ, π sin θ = 2γ + sin 2γ (eqs. 100–104). */
export function mol(): Projection {
  const SQRT2 = Math.SQRT2;
  return {
    code: "MOL",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      let g: number;
      if (theta === 90 || theta === -90) g = Math.sign(theta) * (Math.PI / 2);
      else {
        const target = Math.PI * sind(theta);
        // Newton on f(γ) = 2γ + sin 2γ − π sin θ, monotonic on [−π/2, π/2].
        g = theta * D2R;
        let lo = -Math.PI / 2;
        let hi = Math.PI / 2;
        for (let k = 0; k < 100; k++) {
          const f = 2 * g + Math.sin(2 * g) - target;
          if (f === 0) break;
          if (f > 0) hi = g;
          else lo = g;
          const d = 2 + 2 * Math.cos(2 * g);
          let next = d > 0 ? g - f / d : 0.5 * (lo + hi);
          if (!(next >= lo && next <= hi)) next = 0.5 * (lo + hi);
          if (Math.abs(next - g) < 1e-16) {
            g = next;
            break;
          }
          g = next;
        }
      }
      out.a = ((2 * SQRT2) / Math.PI) * phi * Math.cos(g);
      out.b = SQRT2 * R2D * Math.sin(g);
    },
    deproject(x, y, out) {
      const s = y / (SQRT2 * R2D);
      if (Math.abs(s) > 1 + TOL) {
        setInvalid(out);
        return;
      }
      const sc = Math.max(-1, Math.min(1, s));
      const c = Math.sqrt((1 - sc) * (1 + sc));
      let phi: number;
      if (c === 0) {
        if (Math.abs(x) > 1e-12) {
          setInvalid(out);
          return;
        }
        phi = 0;
      } else {
        phi = (Math.PI * x) / (2 * SQRT2 * c);
      }
      if (Math.abs(phi) > 180 + 1e-12) {
        setInvalid(out);
        return;
      }
      const g = Math.asin(sc);
      const z = (2 * g + Math.sin(2 * g)) / Math.PI;
      if (Math.abs(z) > 1 + TOL) {
        setInvalid(out);
        return;
      }
      out.a = phi;
      out.b = asind(Math.max(-1, Math.min(1, z)));
    },
  };
}

/** AIT, Hammer–Aitoff (eqs. 105–108). */
export function ait(): Projection {
  return {
    code: "AIT",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      const ct = cosd(theta);
      const g = R2D * Math.sqrt(2 / (1 + ct * cosd(phi / 2)));
      out.a = 2 * g * ct * sind(phi / 2);
      out.b = g * sind(theta);
    },
    deproject(x, y, out) {
      const u = x / (4 * R2D);
      const v = y / (2 * R2D);
      const zz = 1 - u * u - v * v;
      if (zz < 0.5) {
        if (zz < 0.5 - TOL) {
          setInvalid(out);
          return;
        }
      }
      const z = Math.sqrt(Math.max(zz, 0.5));
      out.a = 2 * atan2d((z * x) / (2 * R2D), 2 * z * z - 1);
      const s = (z * y) / R2D;
      if (Math.abs(s) > 1 + TOL) {
        setInvalid(out);
        return;
      }
      out.b = asind(Math.max(-1, Math.min(1, s)));
    },
  };
}
