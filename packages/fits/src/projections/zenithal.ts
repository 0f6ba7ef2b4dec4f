/**
 * Zenithal (azimuthal) projections: AZP, SZP, TAN, STG, SIN, ARC, ZPN, ZEA, AIR
 * (Calabretta & Greisen 2002, §5.1). The fiducial point is the native pole (φ0, θ0) = (0, 90°);
 * x = R sin φ, y = −R cos φ (eqs. 12–13) and φ = arg(−y, x) (eq. 14).
 */
import { asind, atan2d, atand, cosd, D2R, R2D, sind, tand } from "./degree-trig.js";
import type { Point2, Projection, ProjectionParameters } from "./projection.js";
import { setInvalid } from "./projection.js";

/** Tolerance for boundary tests, as wcslib's. */
const TOL = 1e-13;

interface Radial {
  /** R(θ) in degrees, NaN where undefined. */
  r(theta: number): number;
  /** θ(R) in degrees, NaN where undefined. */
  theta(r: number): number;
}

function zenithal(code: string, radial: Radial): Projection {
  return {
    code,
    phi0: 0,
    theta0: 90,
    project(phi: number, theta: number, out: Point2): void {
      const r = radial.r(theta);
      if (!Number.isFinite(r)) {
        setInvalid(out);
        return;
      }
      out.a = r * sind(phi);
      out.b = -r * cosd(phi);
    },
    deproject(x: number, y: number, out: Point2): void {
      const r = Math.hypot(x, y);
      const theta = radial.theta(r);
      if (Number.isNaN(theta)) {
        setInvalid(out);
        return;
      }
      out.a = r === 0 ? 0 : atan2d(x, -y);
      out.b = theta;
    },
  };
}

/** TAN, gnomonic: R = r0 cot θ (eq. 54). */
export function tan(): Projection {
  return zenithal("TAN", {
    r: (theta) => {
      const s = sind(theta);
      if (s <= 0) return Number.NaN;
      return (R2D * cosd(theta)) / s;
    },
    theta: (r) => atan2d(R2D, r),
  });
}

/** STG, stereographic: R = 2 r0 tan((90° − θ)/2) (eq. 57). */
export function stg(): Projection {
  return zenithal("STG", {
    r: (theta) => {
      const s = 1 + sind(theta);
      if (s === 0) return Number.NaN;
      return (2 * R2D * cosd(theta)) / s;
    },
    theta: (r) => 90 - 2 * atand(r / (2 * R2D)),
  });
}

/** ARC, zenithal equidistant: R = r0 (90° − θ) in radians (eq. 66). */
export function arc(): Projection {
  return zenithal("ARC", {
    r: (theta) => 90 - theta,
    theta: (r) => 90 - r,
  });
}

/** ZEA, zenithal equal-area: R = 2 r0 sin((90° − θ)/2) (eq. 69). */
export function zea(): Projection {
  return zenithal("ZEA", {
    r: (theta) => 2 * R2D * sind((90 - theta) / 2),
    theta: (r) => {
      const s = r / (2 * R2D);
      if (s > 1 + TOL) return Number.NaN;
      return 90 - 2 * asind(Math.min(s, 1));
    },
  });
}

/**
 * SIN, orthographic, with the slant parameters ξ = PV2_1, η = PV2_2 (eqs. 59–65; NCP is ξ = 0,
 * η = cot δ0). Written with direction cosines so both directions stay accurate near the pole.
 */
export function sin(pv: ProjectionParameters): Projection {
  const xi = pv.get(1) ?? 0;
  const eta = pv.get(2) ?? 0;
  const a = xi * xi + eta * eta + 1;
  return {
    code: "SIN",
    phi0: 0,
    theta0: 90,
    project(phi: number, theta: number, out: Point2): void {
      const ct = cosd(theta);
      const st = sind(theta);
      const sp = sind(phi);
      const cp = cosd(phi);
      // Far side of the sphere: the limb is where the view direction (ξ, η, 1) is tangent (eq. 60).
      const limb = -atand(xi * sp - eta * cp);
      if (theta < limb - 1e-12) {
        setInvalid(out);
        return;
      }
      // 1 − sin θ computed without cancellation.
      const w = (ct * ct) / (1 + st);
      out.a = R2D * (ct * sp + xi * w);
      out.b = -R2D * (ct * cp - eta * w);
    },
    deproject(x: number, y: number, out: Point2): void {
      const X = x / R2D;
      const Y = y / R2D;
      const rr = X * X + Y * Y;
      const b = X * xi + Y * eta + 1;
      let d = b * b - a * rr;
      if (d < 0) {
        if (d < -TOL) {
          setInvalid(out);
          return;
        }
        d = 0;
      }
      // w = 1 − sin θ: the root nearer the native pole, in a form free of cancellation.
      const w = rr / (b + Math.sqrt(d));
      const nx = X - xi * w;
      const ny = Y - eta * w;
      out.a = nx === 0 && ny === 0 ? 0 : atan2d(nx, -ny);
      out.b = atan2d(1 - w, Math.hypot(nx, ny));
    },
  };
}

/** AZP, zenithal perspective with μ = PV2_1 and tilt γ = PV2_2 (eqs. 18–26). */
export function azp(pv: ProjectionParameters): Projection {
  const mu = pv.get(1) ?? 0;
  const gamma = pv.get(2) ?? 0;
  const cg = cosd(gamma);
  const sg = sind(gamma);
  const tg = tand(gamma);
  if (cg === 0) throw new RangeError("AZP: γ = ±90°");
  // Horizon: points beyond it are on the far side (eq. 25).
  const thetaLimit = Math.abs(mu) > 1 ? asind(-1 / mu) : -90;
  return {
    code: "AZP",
    phi0: 0,
    theta0: 90,
    project(phi: number, theta: number, out: Point2): void {
      const ct = cosd(theta);
      const cp = cosd(phi);
      const t = mu + sind(theta) + ct * cp * tg;
      if (t === 0) {
        setInvalid(out);
        return;
      }
      const r = (R2D * (mu + 1) * ct) / t;
      if (theta < thetaLimit - 1e-12) {
        setInvalid(out);
        return;
      }
      // The far side of a tilted projection also maps to negative R.
      if (Math.abs(mu) > 1 && t < 0) {
        setInvalid(out);
        return;
      }
      out.a = r * sind(phi);
      out.b = (-r * cp) / cg;
    },
    deproject(x: number, y: number, out: Point2): void {
      const yc = y * cg;
      const r = Math.hypot(x, yc);
      if (r === 0) {
        out.a = 0;
        out.b = 90;
        return;
      }
      const phi = atan2d(x, -yc);
      const rho = r / (R2D * (mu + 1) + y * sg);
      let t = (rho * mu) / Math.sqrt(rho * rho + 1);
      const s = atan2d(1, rho);
      if (Math.abs(t) > 1) {
        if (Math.abs(t) > 1 + TOL) {
          setInvalid(out);
          return;
        }
        t = Math.sign(t) * 90;
      } else {
        t = asind(t);
      }
      let a1 = s - t;
      let b1 = s + t + 180;
      if (a1 > 90) a1 -= 360;
      if (b1 > 90) b1 -= 360;
      out.a = phi;
      out.b = Math.max(a1, b1);
    },
  };
}

/** SZP, slant zenithal perspective with μ = PV2_1, φc = PV2_2, θc = PV2_3 (eqs. 32–40). */
export function szp(pv: ProjectionParameters): Projection {
  const mu = pv.get(1) ?? 0;
  const phic = pv.get(2) ?? 0;
  const thetac = pv.get(3) ?? 90;
  const xp = -mu * cosd(thetac) * sind(phic);
  const yp = mu * cosd(thetac) * cosd(phic);
  const zp = mu * sind(thetac) + 1;
  if (zp === 0) throw new RangeError("SZP: zP = 0");
  return {
    code: "SZP",
    phi0: 0,
    theta0: 90,
    project(phi: number, theta: number, out: Point2): void {
      const ct = cosd(theta);
      const st = sind(theta);
      const w = (ct * ct) / (1 + st);
      const t = zp - w;
      if (t === 0) {
        setInvalid(out);
        return;
      }
      const x = (zp * ct * sind(phi) - xp * w) / t;
      const y = -(zp * ct * cosd(phi) + yp * w) / t;
      out.a = R2D * x;
      out.b = R2D * y;
    },
    deproject(x: number, y: number, out: Point2): void {
      const X = x / R2D;
      const Y = y / R2D;
      const s = solve(X, Y);
      if (Number.isNaN(s)) {
        setInvalid(out);
        return;
      }
      const w = 1 - s;
      const x1 = (X - xp) / zp;
      const y1 = (Y - yp) / zp;
      const nx = X - x1 * w;
      const ny = Y - y1 * w;
      out.a = nx === 0 && ny === 0 ? 0 : atan2d(nx, -ny);
      out.b = atan2d(s, Math.hypot(nx, ny));
    },
  };

  /** sin θ of the visible solution, or NaN (eqs. 37–39). */
  function solve(X: number, Y: number): number {
    const x1 = (X - xp) / zp;
    const y1 = (Y - yp) / zp;
    const a = x1 * x1 + y1 * y1 + 1;
    const b = x1 * (X - x1) + y1 * (Y - y1);
    const c = (X - x1) * (X - x1) + (Y - y1) * (Y - y1) - 1;
    let d = b * b - a * c;
    if (d < 0) {
      if (d < -TOL) return Number.NaN;
      d = 0;
    }
    d = Math.sqrt(d);
    const s1 = (-b + d) / a;
    const s2 = (-b - d) / a;
    const s = Math.max(s1, s2);
    if (s > 1) {
      if (s - 1 < TOL) return 1;
      const other = Math.min(s1, s2);
      if (Math.abs(other) > 1) return Number.NaN;
      return other;
    }
    return s;
  }
}

/** ZPN, zenithal polynomial R = r0 Σ PV2_m (90° − θ)^m, radians (eq. 68). */
export function zpn(pv: ProjectionParameters): Projection {
  const coeff: number[] = [];
  let degree = -1;
  for (let m = 0; m <= 29; m++) {
    const c = pv.get(m) ?? 0;
    coeff.push(c);
    if (c !== 0) degree = m;
  }
  if (degree < 1) throw new RangeError("ZPN: polynomial degree < 1");
  const poly = (zd: number): number => {
    let v = 0;
    for (let m = degree; m >= 0; m--) v = v * zd + (coeff[m] as number);
    return v;
  };
  const deriv = (zd: number): number => {
    let v = 0;
    for (let m = degree; m >= 1; m--) v = v * zd + m * (coeff[m] as number);
    return v;
  };
  // The polynomial's first turning point bounds the invertible range, as in wcslib's zpnset.
  let zdMax = Math.PI;
  if ((coeff[1] as number) <= 0) throw new RangeError("ZPN: PV2_1 must be positive");
  let z1 = 0;
  for (let j = 1; j <= 180; j++) {
    const z2 = j * D2R;
    const d2 = deriv(z2);
    if (d2 <= 0) {
      let lo = z1;
      let hi = z2;
      for (let k = 0; k < 200 && hi - lo > 1e-15; k++) {
        const mid = 0.5 * (lo + hi);
        if (deriv(mid) > 0) lo = mid;
        else hi = mid;
      }
      zdMax = lo;
      break;
    }
    z1 = z2;
  }
  const rMax = poly(zdMax);
  const r0 = poly(0);
  return zenithal("ZPN", {
    r: (theta) => {
      const zd = (90 - theta) * D2R;
      if (zd > zdMax + 1e-13) return Number.NaN;
      return R2D * poly(zd);
    },
    theta: (rDeg) => {
      const r = rDeg / R2D;
      if (r > rMax) return r <= rMax + TOL ? 90 - zdMax * R2D : Number.NaN;
      if (r < r0) return r >= r0 - TOL ? 90 : Number.NaN;
      // Newton's method kept inside the bracket [lo, hi] where poly − r changes sign.
      let lo = 0;
      let hi = zdMax;
      let zd = (r - r0) / (coeff[1] as number);
      if (!(zd > lo && zd < hi)) zd = 0.5 * (lo + hi);
      for (let k = 0; k < 100; k++) {
        const f = poly(zd) - r;
        if (f === 0) break;
        if (f > 0) hi = zd;
        else lo = zd;
        const d = deriv(zd);
        let next = zd - f / d;
        if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
        if (Math.abs(next - zd) < 1e-16) {
          zd = next;
          break;
        }
        zd = next;
      }
      return 90 - zd * R2D;
    },
  });
}

/** AIR, Airy's projection with θb = PV2_1 (eqs. 70–71). */
export function air(pv: ProjectionParameters): Projection {
  const thetaB = pv.get(1) ?? 90;
  const xiB = ((90 - thetaB) / 2) * D2R;
  // ln(cos ξb)/tan²ξb, whose limit as ξb → 0 is −1/2.
  let kb: number;
  if (xiB === 0) kb = -0.5;
  else {
    const c = Math.cos(xiB);
    const t = Math.tan(xiB);
    kb = Math.log(c) / (t * t);
  }
  const rOf = (xi: number): number => {
    if (xi === 0) return 0;
    if (xi < 1e-8) return -2 * (-xi / 2 + kb * xi);
    const c = Math.cos(xi);
    const t = Math.tan(xi);
    return -2 * (Math.log(c) / t + kb * t);
  };
  return zenithal("AIR", {
    r: (theta) => {
      if (theta <= -90) return Number.NaN;
      return R2D * rOf(((90 - theta) / 2) * D2R);
    },
    theta: (rDeg) => {
      const r = rDeg / R2D;
      if (r === 0) return 90;
      // R(ξ) increases on [0, π/2); bisect then polish with the secant method.
      let lo = 0;
      let hi = Math.PI / 2;
      let fhi = Number.POSITIVE_INFINITY;
      // Find an upper bracket below the divergence at ξ = π/2.
      let probe = 0.5;
      for (let k = 0; k < 60; k++) {
        const v = rOf(probe);
        if (v >= r) {
          hi = probe;
          fhi = v - r;
          break;
        }
        lo = probe;
        probe = 0.5 * (probe + Math.PI / 2);
      }
      if (!Number.isFinite(fhi)) return Number.NaN;
      for (let k = 0; k < 200 && hi - lo > 1e-16; k++) {
        const mid = 0.5 * (lo + hi);
        if (mid === lo || mid === hi) break;
        if (rOf(mid) < r) lo = mid;
        else hi = mid;
      }
      return 90 - 2 * 0.5 * (lo + hi) * R2D;
    },
  });
}
