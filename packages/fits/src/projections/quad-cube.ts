/**
 * Quad-cube projections TSC and QSC (Calabretta & Greisen 2002, §5.6). The sphere is projected
 * onto the six faces of a cube, laid out in the plane with face 0 on top, faces 1–4 in a row and
 * face 5 below; each face spans 90° (r0 π/2). Fiducial point (0, 0) at the centre of face 1.
 */
import { atan2d, cosd, sind } from "./degree-trig.js";
import type { Point2, Projection } from "./projection.js";
import { setInvalid } from "./projection.js";

/** Face width in the plane / 2, degrees (r0 π/4). */
const HALF = 45;
const TOL = 1e-12;

/** Face-centre offsets in units of HALF (Paper II Fig. 27). */
const X0 = [0, 0, 2, 4, 6, 0];
const Y0 = [2, 0, 0, 0, 0, -2];

interface FaceCoords {
  face: number;
  /** Direction cosine along the face normal. */
  zeta: number;
  /** The two in-face direction cosines (Paper II Table 14). */
  xi: number;
  eta: number;
}

function faceOf(phi: number, theta: number): FaceCoords {
  const ct = cosd(theta);
  const l = ct * cosd(phi);
  const m = ct * sind(phi);
  const n = sind(theta);
  let face = 0;
  let zeta = n;
  if (l > zeta) {
    face = 1;
    zeta = l;
  }
  if (m > zeta) {
    face = 2;
    zeta = m;
  }
  if (-l > zeta) {
    face = 3;
    zeta = -l;
  }
  if (-m > zeta) {
    face = 4;
    zeta = -m;
  }
  if (-n > zeta) {
    face = 5;
    zeta = -n;
  }
  switch (face) {
    case 1:
      return { face, zeta, xi: m, eta: n };
    case 2:
      return { face, zeta, xi: -l, eta: n };
    case 3:
      return { face, zeta, xi: -m, eta: n };
    case 4:
      return { face, zeta, xi: l, eta: n };
    case 5:
      return { face, zeta, xi: m, eta: l };
    default:
      return { face, zeta, xi: m, eta: -l };
  }
}

/** Face and face-local coordinates in [−1, 1] from plane coordinates, or undefined off the layout. */
function locate(x: number, y: number): { face: number; u: number; v: number } | undefined {
  let xf = x / HALF;
  let yf = y / HALF;
  if (Math.abs(xf) <= 1 + TOL) {
    if (Math.abs(yf) > 3 + TOL) return undefined;
  } else if (Math.abs(xf) > 7 + TOL || Math.abs(yf) > 1 + TOL) return undefined;
  // Faces left of face 1 wrap to the right end of the row.
  if (xf < -1) xf += 8;
  let face: number;
  if (xf > 5) {
    face = 4;
    xf -= 6;
  } else if (xf > 3) {
    face = 3;
    xf -= 4;
  } else if (xf > 1) {
    face = 2;
    xf -= 2;
  } else if (yf > 1) {
    face = 0;
    yf -= 2;
  } else if (yf < -1) {
    face = 5;
    yf += 2;
  } else face = 1;
  return { face, u: Math.max(-1, Math.min(1, xf)), v: Math.max(-1, Math.min(1, yf)) };
}

/** Native (φ, θ) from a face and its (ζ, ξ, η) direction cosines. */
function toNative(face: number, zeta: number, xi: number, eta: number, out: Point2): void {
  let l: number;
  let m: number;
  let n: number;
  switch (face) {
    case 0:
      l = -eta;
      m = xi;
      n = zeta;
      break;
    case 1:
      l = zeta;
      m = xi;
      n = eta;
      break;
    case 2:
      l = -xi;
      m = zeta;
      n = eta;
      break;
    case 3:
      l = -zeta;
      m = -xi;
      n = eta;
      break;
    case 4:
      l = xi;
      m = -zeta;
      n = eta;
      break;
    default:
      l = eta;
      m = xi;
      n = -zeta;
  }
  const h = Math.hypot(l, m);
  out.a = h === 0 ? 0 : atan2d(m, l);
  out.b = atan2d(n, h);
}

/** TSC, tangential spherical cube: χ = ξ/ζ, ψ = η/ζ (eqs. 148–151). */
export function tsc(): Projection {
  return {
    code: "TSC",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      const f = faceOf(phi, theta);
      const u = f.xi / f.zeta;
      const v = f.eta / f.zeta;
      if (Math.abs(u) > 1 + TOL || Math.abs(v) > 1 + TOL) {
        setInvalid(out);
        return;
      }
      out.a = HALF * (u + (X0[f.face] as number));
      out.b = HALF * (v + (Y0[f.face] as number));
    },
    deproject(x, y, out) {
      const p = locate(x, y);
      if (p === undefined) {
        setInvalid(out);
        return;
      }
      const zeta = 1 / Math.sqrt(1 + p.u * p.u + p.v * p.v);
      toNative(p.face, zeta, p.u * zeta, p.v * zeta, out);
    },
  };
}

/** QSC, quadrilateralized spherical cube (eqs. 171–182). */
export function qsc(): Projection {
  return {
    code: "QSC",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      const f = faceOf(phi, theta);
      let u = 0;
      let v = 0;
      // 1 − ζ without cancellation.
      const zeco = (f.xi * f.xi + f.eta * f.eta) / (1 + f.zeta);
      if (zeco > 0) {
        if (Math.abs(f.xi) >= Math.abs(f.eta)) {
          const omega = f.eta / f.xi;
          const tau = 1 + omega * omega;
          u = Math.sign(f.xi) * Math.sqrt(zeco / (1 - 1 / Math.sqrt(1 + tau)));
          v = ((u * 12) / Math.PI) * (Math.atan(omega) - Math.asin(omega / Math.sqrt(2 * tau)));
        } else {
          const omega = f.xi / f.eta;
          const tau = 1 + omega * omega;
          v = Math.sign(f.eta) * Math.sqrt(zeco / (1 - 1 / Math.sqrt(1 + tau)));
          u = ((v * 12) / Math.PI) * (Math.atan(omega) - Math.asin(omega / Math.sqrt(2 * tau)));
        }
      }
      if (Math.abs(u) > 1 + TOL || Math.abs(v) > 1 + TOL) {
        setInvalid(out);
        return;
      }
      out.a = HALF * (u + (X0[f.face] as number));
      out.b = HALF * (v + (Y0[f.face] as number));
    },
    deproject(x, y, out) {
      const p = locate(x, y);
      if (p === undefined) {
        setInvalid(out);
        return;
      }
      const { u, v } = p;
      if (u === 0 && v === 0) {
        toNative(p.face, 1, 0, 0, out);
        return;
      }
      const major = Math.abs(u) >= Math.abs(v) ? u : v;
      const minor = Math.abs(u) >= Math.abs(v) ? v : u;
      // Invert v/u = (12/π)(atan ω − asin(ω/√(2(1+ω²)))) in closed form.
      const t = (Math.PI / 12) * (minor / major);
      const b = Math.atan2(Math.sin(t), Math.SQRT2 - Math.cos(t));
      const omega = Math.tan(t + b);
      const zeco = major * major * (1 - 1 / Math.sqrt(2 + omega * omega));
      const zeta = 1 - zeco;
      const s = Math.sqrt((zeco * (2 - zeco)) / (1 + omega * omega));
      const a1 = Math.sign(major) * s;
      const a2 = omega * a1;
      if (Math.abs(u) >= Math.abs(v)) toNative(p.face, zeta, a1, a2, out);
      else toNative(p.face, zeta, a2, a1, out);
    },
  };
}
