/**
 * Which satellites cross a field of view during an exposure. Coarse to fine:
 *  1. orbit geometry — one SGP4 call per object at mid-exposure gives the orbital plane, the
 *     perigee/apogee shell and the angular rate; objects whose plane never comes near the line of
 *     sight inside their shell, or that cannot reach that part of the orbit during the exposure,
 *     are dropped (with margins for plane drift, observer motion and SGP4 periodics);
 *  2. coarse propagation at a step whose chord error (a Δt²/8) is ≤ 5 km, testing each chord
 *     against the field's enclosing cone widened by that error;
 *  3. fine propagation (default 1 s) only over coarse steps that pass, clipping each fine chord
 *     to the exact field shape in the gnomonic plane to get entry and exit times.
 * Positions are topocentric and geometric, on J2000/ICRS axes (see satellite-frames.ts).
 */
import { sgp4 } from "satellite.js";
import { PlanError } from "./errors.js";
import { clipSegment, type FieldShape, fieldHalfAngle, gnomonic, tangentBasis } from "./field-of-view.js";
import type { ElementsUsed } from "./satellite-catalogue.js";
import { julianDate, SatelliteFrame, vectorToRaDec } from "./satellite-frames.js";
import type { Site } from "./site.js";
import { isSunlit, sunDirectionTeme } from "./sunlit.js";
import type { ElementSet } from "./tle.js";

const DEG = Math.PI / 180;
/** WGS72 gravitational parameter used by SGP4, km³/s². */
const MU = 398600.8;
const EARTH_RADIUS_KM = 6378.135;
const OMEGA_EARTH = 7.292115e-5;

/** Pointing: fixed on the sky (ICRS RA/Dec, sidereal tracking) or fixed in the dome (alt/az). */
export type Pointing =
  | { readonly ra: number; readonly dec: number }
  | { readonly alt: number; readonly az: number };

/** A satellite check request. */
export interface SatCheckRequest {
  readonly site: Site;
  readonly pointing: Pointing;
  readonly field: FieldShape;
  /** Exposure start, Unix ms UTC. */
  readonly start: number;
  /** Exposure length in seconds. */
  readonly duration: number;
  /** Element sets to test (with their age, from `SatelliteCatalogue.allAt`), or bare sets. */
  readonly elements: readonly (ElementsUsed | ElementSet)[];
  readonly ut1MinusUtc?: number;
  /** Fine step in seconds (default 1). */
  readonly fineStep?: number;
  /** Only report satellites lit by the Sun at mid-crossing. */
  readonly sunlitOnly?: boolean;
  /** Age in days beyond which bare element sets are flagged stale (default 3). */
  readonly maxAgeDays?: number;
}

/** A point of a track. RA/Dec (J2000/ICRS axes, geometric) and alt/az in degrees. */
export interface TrackPoint {
  readonly time: number;
  readonly ra: number;
  readonly dec: number;
  readonly alt: number;
  readonly az: number;
  readonly rangeKm: number;
}

/** One satellite crossing the field. */
export interface SatelliteCrossing {
  readonly name: string;
  readonly satnum: string;
  readonly entry: TrackPoint;
  readonly exit: TrackPoint;
  /** True when already inside at exposure start / still inside at the end. */
  readonly inFieldAtStart: boolean;
  readonly inFieldAtEnd: boolean;
  /** Apparent angular rate at mid-crossing, degrees per second. */
  readonly angularRate: number;
  /** Range at mid-crossing, km. */
  readonly rangeKm: number;
  /** Lit by the Sun at mid-crossing (cylindrical Earth shadow, no penumbra). */
  readonly sunlit: boolean;
  /** Samples at the fine step from entry to exit, entry and exit included. */
  readonly track: readonly TrackPoint[];
  /** The element set used, its age at exposure mid-time (days) and whether it is stale. */
  readonly elements: {
    readonly line1?: string;
    readonly line2?: string;
    readonly epoch: number;
    readonly ageDays: number;
    readonly stale: boolean;
  };
}

/** Counts of the search stages, for the curious and for benchmarks. */
export interface SatCheckStats {
  readonly objects: number;
  readonly propagationErrors: number;
  readonly afterGeometry: number;
  readonly coarseCalls: number;
  readonly fineCalls: number;
  readonly milliseconds: number;
}

/** Result of {@link satcheck}. */
export interface SatCheckResult {
  readonly crossings: SatelliteCrossing[];
  readonly stats: SatCheckStats;
}

function isUsed(x: ElementsUsed | ElementSet): x is ElementsUsed {
  return (x as ElementsUsed).elements !== undefined;
}

/** TEME position (km) at `ms`, or undefined when SGP4 fails (decay, bad elements). */
function propagateTeme(
  e: ElementSet,
  ms: number,
): { r: [number, number, number]; v: [number, number, number] } | undefined {
  const tsince = (julianDate(ms) - e.satrec.jdsatepoch) * 1440;
  const pv = sgp4(e.satrec, tsince);
  if (!pv || typeof pv.position !== "object" || !Number.isFinite(pv.position.x)) return undefined;
  return {
    r: [pv.position.x, pv.position.y, pv.position.z],
    v: [pv.velocity.x, pv.velocity.y, pv.velocity.z],
  };
}

/** Check every element set against the field during the exposure. */
export function satcheck(req: SatCheckRequest): SatCheckResult {
  const t0 = performance.now();
  if (!(req.duration > 0))
    throw new PlanError("INVALID_ARGUMENT", `duration ${req.duration} s must be positive`);
  const T = req.duration;
  const start = req.start;
  const end = start + T * 1000;
  const mid = (start + end) / 2;
  const frame = new SatelliteFrame(req.site, mid, req.ut1MinusUtc ?? 0);
  const fine = req.fineStep ?? 1;
  const beta0 = fieldHalfAngle(req.field) * DEG;
  const altaz = "alt" in req.pointing;
  const pointing = req.pointing;
  // Field centre on J2000 axes at mid-exposure (for alt/az pointings it drifts; handled per time).
  const centreJ2000 = (ms: number): [number, number, number] => {
    if ("ra" in pointing) {
      const b = tangentBasis(pointing.ra, pointing.dec);
      return b.c;
    }
    return frame.dateToJ2000(frame.temeToDate(frame.altAzToTeme(pointing.alt, pointing.az, ms)));
  };
  const dirTeme = (ms: number): [number, number, number] =>
    "ra" in pointing
      ? frame.j2000ToTeme(tangentBasis(pointing.ra, pointing.dec).c)
      : frame.altAzToTeme(pointing.alt, pointing.az, ms);
  const dMid = dirTeme(mid);
  const oMid = [0, 0, 0];
  frame.observerTeme(mid, oMid);
  const o0 = oMid[0] ?? 0;
  const o1 = oMid[1] ?? 0;
  const o2 = oMid[2] ?? 0;
  const oNorm2 = o0 * o0 + o1 * o1 + o2 * o2;
  const od = o0 * dMid[0] + o1 * dMid[1] + o2 * dMid[2];
  // Alt/az pointings sweep across the sky at up to Ω per second.
  const sweep = altaz ? OMEGA_EARTH * (T / 2) : 0;
  const betaGeo = beta0 + sweep + 0.5 * DEG;
  const tanGeo = Math.tan(Math.min(betaGeo, 80 * DEG));
  const observerShift = 0.4651 * (T / 2);

  // Sun direction (TEME ≈ of-date; 1′ does not matter for a shadow test).
  const sunU = sunDirectionTeme(frame, mid);
  const sunlitAt = (r: readonly [number, number, number]) => isSunlit(r, sunU);

  const maxAge = req.maxAgeDays ?? 3;
  let propagationErrors = 0;
  let afterGeometry = 0;
  let coarseCalls = 0;
  let fineCalls = 0;
  const crossings: SatelliteCrossing[] = [];
  const obs = [0, 0, 0];

  for (const item of req.elements) {
    const e = isUsed(item) ? item.elements : item;
    const ageDays = isUsed(item) ? item.ageDays : (mid - e.epoch) / 86400000;
    const stale = isUsed(item) ? item.stale : Math.abs(ageDays) > maxAge;
    const s0 = propagateTeme(e, mid);
    if (!s0) {
      propagationErrors++;
      continue;
    }
    // --- 1. orbit geometry ---
    const [rx, ry, rz] = s0.r;
    const [vx, vy, vz] = s0.v;
    const hx = ry * vz - rz * vy;
    const hy = rz * vx - rx * vz;
    const hz = rx * vy - ry * vx;
    const h = Math.hypot(hx, hy, hz);
    const r = Math.hypot(rx, ry, rz);
    const v2 = vx * vx + vy * vy + vz * vz;
    const inv = 2 / r - v2 / MU;
    const a = inv > 0 ? 1 / inv : Number.POSITIVE_INFINITY;
    const p = (h * h) / MU;
    const ecc = Number.isFinite(a) ? Math.sqrt(Math.max(0, 1 - p / a)) : 1;
    const rp = Number.isFinite(a) ? a * (1 - ecc) : p / 2;
    const ra = Number.isFinite(a) ? a * (1 + ecc) : 1e9;
    // Osculating elements wobble under J2 by tens of km; allow for it.
    const shellMargin = 50 + 0.01 * r;
    const lamAt = (R: number) => {
      const disc = od * od - oNorm2 + R * R;
      return disc <= 0 ? 0 : Math.max(0, -od + Math.sqrt(disc));
    };
    const lam1 = lamAt(rp - shellMargin);
    const lam2 = lamAt(ra + shellMargin);
    let keep = lam2 > lam1;
    let la = lam1;
    let lb = lam2;
    if (keep) {
      const nx = hx / h;
      const ny = hy / h;
      const nz = hz / h;
      const g0 = nx * o0 + ny * o1 + nz * o2;
      const g1 = nx * dMid[0] + ny * dMid[1] + nz * dMid[2];
      // |g0 + λ g1| ≤ λ tanβ + M  (plane within the cone slice at range λ).
      const M = observerShift + 30 + 0.005 * lam2;
      for (const sign of [1, -1]) {
        // sign·(g0 + λ g1) − λ tanβ − M ≤ 0  →  λ (sign g1 − tanβ) ≤ M − sign g0.
        const coef = sign * g1 - tanGeo;
        const rhs = M - sign * g0;
        if (coef > 0) lb = Math.min(lb, rhs / coef);
        else if (coef < 0) la = Math.max(la, rhs / coef);
        else if (rhs < 0) keep = false;
      }
      if (la > lb) keep = false;
      // Phase: can the object reach that part of its orbit during the exposure?
      const period = Number.isFinite(a)
        ? 2 * Math.PI * Math.sqrt((a * a * a) / MU)
        : Number.POSITIVE_INFINITY;
      if (keep && T < period / 3) {
        const e1 = [rx / r, ry / r, rz / r];
        const e2 = [
          ny * (e1[2] ?? 0) - nz * (e1[1] ?? 0),
          nz * (e1[0] ?? 0) - nx * (e1[2] ?? 0),
          nx * (e1[1] ?? 0) - ny * (e1[0] ?? 0),
        ];
        const phase = (lam: number) => {
          const x = o0 + lam * dMid[0];
          const y = o1 + lam * dMid[1];
          const z = o2 + lam * dMid[2];
          return Math.atan2(
            x * (e2[0] ?? 0) + y * (e2[1] ?? 0) + z * (e2[2] ?? 0),
            x * (e1[0] ?? 0) + y * (e1[1] ?? 0) + z * (e1[2] ?? 0),
          );
        };
        const pa = phase(la);
        const pb = phase(lb);
        const pm = phase((la + lb) / 2);
        // Unwrap around the middle sample.
        const unwrap = (x: number) => pm + Math.atan2(Math.sin(x - pm), Math.cos(x - pm));
        const lo = Math.min(unwrap(pa), unwrap(pb), pm);
        const hi = Math.max(unwrap(pa), unwrap(pb), pm);
        const rateMax = h / (rp * rp);
        const reach = rateMax * (T / 2) + (observerShift + 100) / rp + betaGeo;
        if (hi < -reach || lo > reach) keep = false;
      }
    }
    if (!keep) continue;
    afterGeometry++;

    // --- 2. coarse chords ---
    const accel = MU / Math.max(rp, EARTH_RADIUS_KM) ** 2 + (altaz ? 2 * OMEGA_EARTH * Math.sqrt(v2) : 0);
    const sagitta = 5;
    const step = Math.min(120, T, Math.sqrt((8 * sagitta) / accel));
    const nSeg = Math.max(1, Math.ceil(T / step));
    const dt = T / nSeg;
    const pts: ([number, number, number] | undefined)[] = [];
    for (let k = 0; k <= nSeg; k++) {
      const ms = start + k * dt * 1000;
      const s = k === nSeg / 2 ? s0 : propagateTeme(e, ms);
      coarseCalls++;
      if (!s) {
        pts.push(undefined);
        continue;
      }
      frame.observerTeme(ms, obs);
      pts.push([s.r[0] - (obs[0] ?? 0), s.r[1] - (obs[1] ?? 0), s.r[2] - (obs[2] ?? 0)]);
    }
    const candidate = new Uint8Array(nSeg);
    let any = false;
    const slack = sagitta + 1;
    for (let k = 0; k < nSeg; k++) {
      const A = pts[k];
      const B = pts[k + 1];
      if (!A || !B) continue;
      const d = altaz ? dirTeme(start + (k + 0.5) * dt * 1000) : dMid;
      const beta = beta0 + (altaz ? (OMEGA_EARTH * dt) / 2 : 0) + 0.01 * DEG;
      const tb = Math.tan(Math.min(beta, 80 * DEG));
      const ad = A[0] * d[0] + A[1] * d[1] + A[2] * d[2];
      const bd = B[0] * d[0] + B[1] * d[1] + B[2] * d[2];
      if (Math.max(ad, bd) < -slack) continue;
      // Perpendicular parts of the chord; closest approach of the chord to the axis.
      const apx = A[0] - ad * d[0];
      const apy = A[1] - ad * d[1];
      const apz = A[2] - ad * d[2];
      const dpx = B[0] - bd * d[0] - apx;
      const dpy = B[1] - bd * d[1] - apy;
      const dpz = B[2] - bd * d[2] - apz;
      const dd = dpx * dpx + dpy * dpy + dpz * dpz;
      const sMin = dd > 0 ? Math.min(1, Math.max(0, -(apx * dpx + apy * dpy + apz * dpz) / dd)) : 0;
      const minPerp = Math.hypot(apx + sMin * dpx, apy + sMin * dpy, apz + sMin * dpz);
      if (minPerp <= tb * Math.max(ad, bd) + slack * (1 + tb)) {
        candidate[k] = 1;
        any = true;
      }
    }
    if (!any) continue;

    // --- 3. fine chords clipped to the field ---
    type Sample = {
      time: number;
      xi: [number, number] | undefined;
      p: TrackPoint;
      r: [number, number, number];
    };
    const sampleAt = (ms: number): Sample | undefined => {
      const s = propagateTeme(e, ms);
      fineCalls++;
      if (!s) return undefined;
      frame.observerTeme(ms, obs);
      const rho: [number, number, number] = [
        s.r[0] - (obs[0] ?? 0),
        s.r[1] - (obs[1] ?? 0),
        s.r[2] - (obs[2] ?? 0),
      ];
      const j = frame.dateToJ2000(frame.temeToDate(rho));
      const rd = vectorToRaDec(j);
      const aa = frame.temeToAltAz(rho, ms);
      const c = centreJ2000(ms);
      const basis =
        "ra" in pointing
          ? tangentBasis(pointing.ra, pointing.dec)
          : tangentBasis(vectorToRaDec(c).ra, vectorToRaDec(c).dec);
      const range = Math.hypot(...rho);
      return {
        time: ms,
        xi: gnomonic(basis, [j[0] / range, j[1] / range, j[2] / range]),
        p: { time: ms, ra: rd.ra, dec: rd.dec, alt: aa.alt, az: aa.az, rangeKm: range },
        r: s.r,
      };
    };
    const interp = (a: Sample, b: Sample, f: number): TrackPoint => {
      const ms = a.time + f * (b.time - a.time);
      const exact = sampleAt(ms);
      return exact ? exact.p : a.p;
    };
    let current: { entry: TrackPoint; track: TrackPoint[]; atStart: boolean; mids: Sample[] } | undefined;
    const finish = (exit: TrackPoint, atEnd: boolean) => {
      if (!current) return;
      const c = current;
      current = undefined;
      const midSample = c.mids[Math.floor(c.mids.length / 2)];
      const track = [...c.track, exit];
      const midIdx = Math.floor(track.length / 2);
      const pA = track[Math.max(0, midIdx - 1)] as TrackPoint;
      const pB = track[Math.min(track.length - 1, midIdx)] as TrackPoint;
      const sepRad = Math.acos(
        Math.min(
          1,
          Math.sin(pA.dec * DEG) * Math.sin(pB.dec * DEG) +
            Math.cos(pA.dec * DEG) * Math.cos(pB.dec * DEG) * Math.cos((pA.ra - pB.ra) * DEG),
        ),
      );
      const rate = pB.time > pA.time ? sepRad / DEG / ((pB.time - pA.time) / 1000) : 0;
      const sunlit = midSample ? sunlitAt(midSample.r) : false;
      if (req.sunlitOnly && !sunlit) return;
      crossings.push({
        name: e.name,
        satnum: e.satnum.trim(),
        entry: c.entry,
        exit,
        inFieldAtStart: c.atStart,
        inFieldAtEnd: atEnd,
        angularRate: rate,
        rangeKm: (track[midIdx] as TrackPoint).rangeKm,
        sunlit,
        track,
        elements: {
          ...(e.line1 !== undefined ? { line1: e.line1 } : {}),
          ...(e.line2 !== undefined ? { line2: e.line2 } : {}),
          epoch: e.epoch,
          ageDays,
          stale,
        },
      });
    };
    for (let k = 0; k < nSeg; k++) {
      if (candidate[k] !== 1) {
        if (current) {
          const last = current.track[current.track.length - 1] as TrackPoint;
          finish(last, false);
        }
        continue;
      }
      const segStart = start + k * dt * 1000;
      const nFine = Math.max(1, Math.ceil(dt / fine));
      let prev = sampleAt(segStart);
      for (let j = 1; j <= nFine && prev; j++) {
        const next = sampleAt(segStart + ((j * dt) / nFine) * 1000);
        if (!next) break;
        const clip = prev.xi && next.xi ? clipSegment(req.field, prev.xi, next.xi) : undefined;
        const isLast = k === nSeg - 1 && j === nFine;
        if (clip) {
          const [c0, c1] = clip;
          if (!current) {
            const atStart = k === 0 && j === 1 && c0 === 0;
            current = { entry: c0 === 0 ? prev.p : interp(prev, next, c0), track: [], atStart, mids: [] };
            if (c0 > 0) current.track.push(current.entry);
            else current.track.push(prev.p);
          }
          current.mids.push(next);
          if (c1 < 1) {
            finish(interp(prev, next, c1), false);
          } else if (isLast) {
            finish(next.p, true);
          } else {
            current.track.push(next.p);
          }
        } else if (current) {
          finish(current.track[current.track.length - 1] as TrackPoint, false);
        }
        prev = next;
      }
    }
    if (current) finish((current as { track: TrackPoint[] }).track.at(-1) as TrackPoint, true);
  }
  crossings.sort((x, y) => x.entry.time - y.entry.time);
  return {
    crossings,
    stats: {
      objects: req.elements.length,
      propagationErrors,
      afterGeometry,
      coarseCalls,
      fineCalls,
      milliseconds: performance.now() - t0,
    },
  };
}
