/**
 * Quad-cube projections TSC and QSC (Calabretta & Greisen 2002, §5.6). The sphere is projected
 * onto the six faces of a cube, laid out in the plane with face 0 on top, faces 1–4 in a row and
 * face 5 below; each face spans 90° (r0 π/2). Fiducial point (0, 0) at the centre of face 1.
 */
import { asind, atan2d, cosd, sind } from "./degree-trig.js";
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
  return locateScaled(x / HALF, y / HALF);
}

/** As {@link locate}, from coordinates already in units of HALF. */
function locateScaled(xs: number, ys: number): { face: number; u: number; v: number } | undefined {
  let xf = xs;
  let yf = ys;
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
function toNative(
  face: number,
  zeta: number,
  xi: number,
  eta: number,
  out: Point2,
  asinLatitude = false,
): void {
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
  // CSC follows the COBE code (θ = asin n of a vector normalised in single precision) to agree with it.
  out.b = asinLatitude ? asind(n) : atan2d(n, h);
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

// COBE quadrilateralized spherical cube coefficients: forward (γ*, M, Γ, Ω1, C_ij, D_i) and
// inverse (P_ij) polynomials of Chan & O'Neill (1975), as tabulated in Calabretta & Greisen
// (2002), §5.6.2. The COBE software, and wcslib after it, evaluates them in single precision;
// so do we (every operation rounded to float32), which reproduces its numbers exactly.
const f32 = Math.fround;
const GSTAR = f32(1.37484847732);
const MM = f32(0.004869491981);
const GAMMA = f32(-0.13161671474);
const OMEGA1 = f32(-0.159596235474);
const D0 = f32(0.0759196200467);
const D1 = f32(-0.0217762490699);
const C00 = f32(0.141189631152);
const C10 = f32(0.0809701286525);
const C01 = f32(-0.281528535557);
const C11 = f32(0.15384112876);
const C20 = f32(-0.178251207466);
const C02 = f32(0.106959469314);
/** P[j][i] multiplies x^(2i) y^(2j) in the inverse (i + j ≤ 6). */
const P: readonly (readonly number[])[] = [
  [-0.27292696, -0.07629969, -0.22797056, 0.54852384, -0.62930065, 0.25795794, 0.02584375],
  [-0.02819452, -0.01471565, 0.48051509, -1.74114454, 1.71547508, -0.53022337],
  [0.2705816, -0.56800938, 0.30803317, 0.98938102, -0.83180469],
  [-0.6044156, 1.50880086, -0.93678576, 0.08693841],
  [0.93412077, -1.4160192, 0.33887446],
  [-0.63915306, 0.52032238],
  [0.14381585],
].map((row) => row.map(f32));

/** Forward face polynomial (eq. 171) in float32: face coordinate of (χ, ψ) = (ξ/ζ, η/ζ). */
function cscForward(chiIn: number, psiIn: number): number {
  const chi = f32(chiIn);
  const psi = f32(psiIn);
  const c2 = f32(chi * chi);
  const p2 = f32(psi * psi);
  const c2co = f32(1 - c2);
  const p2co = f32(1 - p2);
  const chipsi = Math.abs(f32(chi * psi));
  const c4 = c2 > 1e-16 ? f32(c2 * c2) : 0;
  const p4 = p2 > 1e-16 ? f32(p2 * p2) : 0;
  const c2p2 = chipsi > 1e-16 ? f32(c2 * p2) : 0;
  let poly = f32(C00 + f32(C10 * c2));
  poly = f32(poly + f32(C01 * p2));
  poly = f32(poly + f32(C11 * c2p2));
  poly = f32(poly + f32(C20 * c4));
  poly = f32(poly + f32(C02 * p4));
  let inner = f32(f32(GAMMA * c2co) + f32(MM * c2));
  inner = f32(inner + f32(p2co * poly));
  const tail = f32(c2 * f32(OMEGA1 - f32(c2co * f32(D0 + f32(D1 * c2)))));
  const mid = f32(f32(GSTAR + f32(p2 * inner)) + tail);
  return f32(chi * f32(c2 + f32(c2co * mid)));
}

/** Inverse face polynomial (eq. 173) in float32: χ from face coordinates (x, y). */
function cscInverse(xIn: number, yIn: number): number {
  const x = f32(xIn);
  const xx = f32(x * x);
  const yy = f32(f32(yIn) * f32(yIn));
  let sum = 0;
  for (let j = P.length - 1; j >= 0; j--) {
    const row = P[j] as readonly number[];
    let z = 0;
    for (let i = row.length - 1; i >= 0; i--)
      z = i === row.length - 1 ? (row[i] as number) : f32((row[i] as number) + f32(xx * z));
    sum = j === P.length - 1 ? z : f32(z + f32(yy * sum));
  }
  // The last step is in double precision (a double literal in the COBE formula), rounded once.
  return f32(x + f32(f32(x * f32(1 - xx)) * sum));
}

/** CSC, COBE quadrilateralized spherical cube (eqs. 171–173); approximately equal-area. */
export function csc(): Projection {
  return {
    code: "CSC",
    phi0: 0,
    theta0: 0,
    project(phi, theta, out) {
      const f = faceOf(phi, theta);
      const chi = f.xi / f.zeta;
      const psi = f.eta / f.zeta;
      let u = cscForward(chi, psi);
      let v = cscForward(psi, chi);
      if (Math.abs(u) > 1 + TOL || Math.abs(v) > 1 + TOL) {
        setInvalid(out);
        return;
      }
      u = Math.max(-1, Math.min(1, u));
      v = Math.max(-1, Math.min(1, v));
      out.a = HALF * (u + (X0[f.face] as number));
      out.b = HALF * (v + (Y0[f.face] as number));
    },
    deproject(x, y, out) {
      // Face coordinates in float32, scaled by 1/45 as the COBE code does.
      const p = locateScaled(f32(x * (1 / HALF)), f32(y * (1 / HALF)));
      if (p === undefined) {
        setInvalid(out);
        return;
      }
      const chi = cscInverse(p.u, p.v);
      const psi = cscInverse(p.v, p.u);
      // chi² + psi² in single precision, then + 1 in double, as the COBE formula evaluates it.
      const zeta = 1 / Math.sqrt(f32(f32(chi * chi) + f32(psi * psi)) + 1);
      toNative(p.face, zeta, chi * zeta, psi * zeta, out, true);
    },
  };
}
