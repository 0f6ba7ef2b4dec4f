/**
 * Digitized Sky Survey plate solutions (PLTRAH…, PPO3/PPO6, AMDXn/AMDYn, CNPIXn, XPIXELSZ): pixels
 * become plate millimetres from the plate centre, a 13-term polynomial gives standard coordinates
 * (ξ, η) in arcseconds, and a gnomonic projection at the plate centre gives (α, δ). This is the
 * model of the DSS documentation (and of WCSTools' dsspos and wcslib's DSS distortion), which
 * wcslib prefers to the approximate CDi_j a DSS header also carries.
 */
import type { HeaderValue } from "./header.js";

const ARCSEC_PER_RAD = 206264.80624709636;
const D2R = Math.PI / 180;

/** A DSS plate solution. */
export interface DssPlate {
  /** Plate centre, radians. */
  readonly ra0: number;
  readonly dec0: number;
  /** Corner of the extracted image on the plate (CNPIX1, CNPIX2). */
  readonly cnpix1: number;
  readonly cnpix2: number;
  /** Plate pixel size, microns. */
  readonly xPixelSize: number;
  readonly yPixelSize: number;
  /** Plate-centre offsets PPO3, PPO6, microns. */
  readonly ppo3: number;
  readonly ppo6: number;
  /** AMDX1…13 and AMDY1…13 (arcsec per mm^k). */
  readonly amdx: Float64Array;
  readonly amdy: Float64Array;
}

/** Read a DSS plate solution, or undefined when the header has none. */
export function readDssPlate(h: { get(key: string): HeaderValue }): DssPlate | undefined {
  const n = (k: string): number | undefined => {
    const v = h.get(k);
    return typeof v === "number" ? v : undefined;
  };
  const rah = n("PLTRAH");
  const decd = n("PLTDECD");
  const ppo3 = n("PPO3");
  const ppo6 = n("PPO6");
  const xs = n("XPIXELSZ");
  const ys = n("YPIXELSZ");
  if (rah === undefined || decd === undefined || ppo3 === undefined || ppo6 === undefined) return undefined;
  if (xs === undefined || ys === undefined || n("AMDX1") === undefined || n("AMDY1") === undefined)
    return undefined;
  const sign = String(h.get("PLTDECSN") ?? "+").trim() === "-" ? -1 : 1;
  const ra = 15 * (rah + (n("PLTRAM") ?? 0) / 60 + (n("PLTRAS") ?? 0) / 3600);
  const dec = sign * (decd + (n("PLTDECM") ?? 0) / 60 + (n("PLTDECS") ?? 0) / 3600);
  const amdx = new Float64Array(13);
  const amdy = new Float64Array(13);
  for (let i = 0; i < 13; i++) {
    amdx[i] = n(`AMDX${i + 1}`) ?? 0;
    amdy[i] = n(`AMDY${i + 1}`) ?? 0;
  }
  return {
    ra0: ra * D2R,
    dec0: dec * D2R,
    cnpix1: n("CNPIX1") ?? 0,
    cnpix2: n("CNPIX2") ?? 0,
    xPixelSize: xs,
    yPixelSize: ys,
    ppo3,
    ppo6,
    amdx,
    amdy,
  };
}

/** Standard coordinates (arcsec) of plate position (x, y) in mm: the 13-term plate polynomial. */
function plateModel(c: Float64Array, x: number, y: number): number {
  const r2 = x * x + y * y;
  return (
    (c[0] as number) * x +
    (c[1] as number) * y +
    (c[2] as number) +
    (c[3] as number) * x * x +
    (c[4] as number) * x * y +
    (c[5] as number) * y * y +
    (c[6] as number) * r2 +
    (c[7] as number) * x * x * x +
    (c[8] as number) * x * x * y +
    (c[9] as number) * x * y * y +
    (c[10] as number) * y * y * y +
    (c[11] as number) * x * r2 +
    (c[12] as number) * x * r2 * r2
  );
}

function plateMm(p: DssPlate, px: number, py: number): [number, number] {
  // FITS pixel → plate pixel (CNPIX is the 1-based corner; +0.5 to the pixel centre) → mm.
  const x = px + p.cnpix1 - 0.5;
  const y = py + p.cnpix2 - 0.5;
  return [(p.ppo3 - x * p.xPixelSize) / 1000, (y * p.yPixelSize - p.ppo6) / 1000];
}

function standard(p: DssPlate, xmm: number, ymm: number): [number, number] {
  return [plateModel(p.amdx, xmm, ymm) / ARCSEC_PER_RAD, plateModel(p.amdy, ymm, xmm) / ARCSEC_PER_RAD];
}

/** FITS 1-based pixel → [α, δ] in degrees (α in [0, 360)). */
export function dssPixelToSky(p: DssPlate, px: number, py: number): [number, number] {
  const [xmm, ymm] = plateMm(p, px, py);
  const [xi, eta] = standard(p, xmm, ymm);
  const t = Math.tan(p.dec0);
  const c = Math.cos(p.dec0);
  const raoff = Math.atan2(xi / c, 1 - eta * t);
  let ra = (raoff + p.ra0) / D2R;
  ra %= 360;
  if (ra < 0) ra += 360;
  const dec = Math.atan((Math.cos(raoff) * (eta + t)) / (1 - eta * t)) / D2R;
  return [ra, dec];
}

/** [α, δ] degrees → FITS 1-based pixel, by Newton's method on the plate polynomial. */
export function dssSkyToPixel(p: DssPlate, ra: number, dec: number): [number, number] {
  // Gnomonic standard coordinates of the target at the plate centre.
  const a = ra * D2R - p.ra0;
  const d = dec * D2R;
  const den = Math.sin(d) * Math.sin(p.dec0) + Math.cos(d) * Math.cos(p.dec0) * Math.cos(a);
  if (!(den > 0)) return [Number.NaN, Number.NaN];
  const xi = (Math.cos(d) * Math.sin(a)) / den;
  const eta = (Math.sin(d) * Math.cos(p.dec0) - Math.cos(d) * Math.sin(p.dec0) * Math.cos(a)) / den;
  // Start from the linear terms, then Newton in (xmm, ymm) with a numerical Jacobian.
  const a0 = p.amdx[0] as number;
  const b0 = p.amdy[0] as number;
  let xmm = (xi * ARCSEC_PER_RAD) / (a0 || 1);
  let ymm = (eta * ARCSEC_PER_RAD) / (b0 || 1);
  for (let k = 0; k < 50; k++) {
    const [f, g] = standard(p, xmm, ymm);
    const rf = f - xi;
    const rg = g - eta;
    const h = 1e-6;
    const [f1, g1] = standard(p, xmm + h, ymm);
    const [f2, g2] = standard(p, xmm, ymm + h);
    const j11 = (f1 - f) / h;
    const j21 = (g1 - g) / h;
    const j12 = (f2 - f) / h;
    const j22 = (g2 - g) / h;
    const det = j11 * j22 - j12 * j21;
    if (det === 0 || !Number.isFinite(det)) break;
    const dx = (j22 * rf - j12 * rg) / det;
    const dy = (-j21 * rf + j11 * rg) / det;
    xmm -= dx;
    ymm -= dy;
    if (Math.abs(dx) < 1e-13 && Math.abs(dy) < 1e-13) break;
  }
  const x = (p.ppo3 - xmm * 1000) / p.xPixelSize;
  const y = (ymm * 1000 + p.ppo6) / p.yPixelSize;
  return [x - p.cnpix1 + 0.5, y - p.cnpix2 + 0.5];
}
