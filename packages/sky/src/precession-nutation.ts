/**
 * IAU 2006 precession (Fukushima–Williams angles, Hilton et al. 2006; IERS Conventions 2010
 * §5.6.4) and IAU 2000B nutation (McCarthy & Luzum 2003) with the IAU 2006 adjustments.
 * IAU 2000B differs from the full 2000A series by under 1 mas over 1995–2050 (McCarthy & Luzum 2003).
 */
import { NUTATION_2000B_TERMS } from "./nutation-2000b-table.js";
import type { Time } from "./time.js";
import { ARCSEC_PER_RAD, DAYS_PER_JULIAN_CENTURY, J2000_MJD, TWO_PI } from "./units.js";
import { chain, type Matrix3, multiply, rotationX, rotationZ, transpose } from "./vector3.js";

const AS = 1 / ARCSEC_PER_RAD;

/** Julian centuries of TT since J2000.0 (TDB − TT ≤ 1.7 ms is neglected). */
export function ttCenturies(t: Time): number {
  const tt = t.to("tt");
  return (tt.day - J2000_MJD + tt.seconds / 86400) / DAYS_PER_JULIAN_CENTURY;
}

/** Fukushima–Williams precession angles γ̄, φ̄, ψ̄ and mean obliquity ε_A (radians). IERS 2010 eq. 5.40. */
export function fukushimaWilliams2006(t: number): { gamma: number; phi: number; psi: number; epsA: number } {
  return {
    gamma:
      (-0.052928 +
        (10.556378 + (0.4932044 + (-0.00031238 + (-0.000002788 + 0.000000026 * t) * t) * t) * t) * t) *
      AS,
    phi:
      (84381.412819 +
        (-46.811016 + (0.0511268 + (0.00053289 + (-0.00000044 - 0.0000000176 * t) * t) * t) * t) * t) *
      AS,
    psi:
      (-0.041775 +
        (5038.481484 + (1.5584175 + (-0.00018522 + (-0.000026452 - 0.0000000148 * t) * t) * t) * t) * t) *
      AS,
    epsA: meanObliquity2006(t),
  };
}

/** Mean obliquity of the ecliptic, IAU 2006 (radians), t in TT centuries. Hilton et al. 2006 eq. 39. */
export function meanObliquity2006(t: number): number {
  return (
    (84381.406 +
      (-46.836769 + (-0.0001831 + (0.0020034 + (-0.000000576 - 0.0000000434 * t) * t) * t) * t) * t) *
    AS
  );
}

/** F-W angles to matrix: R1(−ε)·R3(−ψ)·R1(φ)·R3(γ) (IERS 2010 eq. 5.39 with the nutation folded in when given). */
export function fukushimaWilliamsMatrix(gamma: number, phi: number, psi: number, eps: number): Matrix3 {
  return chain(rotationX(-eps), rotationZ(-psi), rotationX(phi), rotationZ(gamma));
}

/** Frame bias + precession: GCRS/ICRS → mean equator and equinox of date (IAU 2006). */
export function biasPrecessionMatrix(t: number): Matrix3 {
  const a = fukushimaWilliams2006(t);
  return fukushimaWilliamsMatrix(a.gamma, a.phi, a.psi, a.epsA);
}

/** Frame bias alone: ICRS → mean J2000.0 dynamical frame (the F-W matrix at t = 0). */
export const FRAME_BIAS: Matrix3 = biasPrecessionMatrix(0);

/** Precession alone (no bias): mean J2000.0 → mean of date (IAU 2006, as SOFA `bp06` rp). */
export function precessionMatrix2006(t: number): Matrix3 {
  return multiply(biasPrecessionMatrix(t), transpose(FRAME_BIAS));
}

/** Delaunay arguments l, l′, F, D, Ω (radians) as used by IAU 2000B (McCarthy & Luzum 2003). */
function delaunay(t: number): [number, number, number, number, number] {
  const r = (arcsec: number) => ((arcsec % 1296000) * AS) % TWO_PI;
  return [
    r(485868.249036 + 1717915923.2178 * t),
    r(1287104.79305 + 129596581.0481 * t),
    r(335779.526232 + 1739527262.8478 * t),
    r(1072260.70369 + 1602961601.209 * t),
    r(450160.398036 - 6962890.5431 * t),
  ];
}

/**
 * Nutation in longitude Δψ and obliquity Δε (radians), IAU 2000B with the fixed planetary offsets
 * and the IAU 2006 scaling (Capitaine et al. 2005; SOFA `nut06a`), t in TT centuries.
 */
export function nutation2000B(t: number): { dpsi: number; deps: number } {
  const fa = delaunay(t);
  let dp = 0;
  let de = 0;
  for (let i = NUTATION_2000B_TERMS.length - 1; i >= 0; i--) {
    const row = NUTATION_2000B_TERMS[i]!;
    const arg = row[0]! * fa[0] + row[1]! * fa[1] + row[2]! * fa[2] + row[3]! * fa[3] + row[4]! * fa[4];
    const s = Math.sin(arg);
    const c = Math.cos(arg);
    dp += (row[5]! + row[6]! * t) * s + row[7]! * c;
    de += (row[8]! + row[9]! * t) * c + row[10]! * s;
  }
  // 0.1 µas → rad; planetary terms as fixed offsets −0.135 and +0.388 mas.
  const dpsi = (dp * 1e-7 - 0.000135) * AS;
  const deps = (de * 1e-7 + 0.000388) * AS;
  // IAU 2006 adjustment of the 2000 nutation for the J2 rate (IERS 2010 eq. 5.75).
  const fj2 = -2.7774e-6 * t;
  return { dpsi: dpsi * (1 + 0.4697e-6 + fj2), deps: deps * (1 + fj2) };
}

/** Bias-precession-nutation matrix: GCRS → true equator and equinox of date. */
export function npbMatrix(t: number): Matrix3 {
  const a = fukushimaWilliams2006(t);
  const n = nutation2000B(t);
  return fukushimaWilliamsMatrix(a.gamma, a.phi, a.psi + n.dpsi, a.epsA + n.deps);
}

/**
 * Equation of the equinoxes, IAU 2006/2000B (radians): Δψ cos ε_A plus the largest complementary
 * terms (IERS Conventions 2010 eq. 5.33 and Table 5.2e; the omitted ones total under 3 µas).
 */
export function equationOfEquinoxes(t: number): number {
  const [, lp, f, d, om] = delaunay(t);
  const n = nutation2000B(t);
  const ect =
    2640.96e-6 * Math.sin(om) +
    63.52e-6 * Math.sin(2 * om) +
    11.75e-6 * Math.sin(2 * f - 2 * d + 3 * om) +
    11.21e-6 * Math.sin(2 * f - 2 * d + om) -
    4.55e-6 * Math.sin(2 * f - 2 * d + 2 * om) +
    2.02e-6 * Math.sin(2 * f + 3 * om) +
    1.98e-6 * Math.sin(2 * f + om) -
    1.72e-6 * Math.sin(3 * om) -
    1.41e-6 * Math.sin(lp + om) -
    1.26e-6 * Math.sin(lp - om) -
    0.87e-6 * t * Math.sin(om);
  return n.dpsi * Math.cos(meanObliquity2006(t)) + ect * AS;
}
