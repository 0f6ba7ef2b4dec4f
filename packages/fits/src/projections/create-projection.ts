/** Look up a projection by its three-letter code (Calabretta & Greisen 2002, Table 13). */
import { FitsError } from "../errors.js";
import { cod, coe, coo, cop } from "./conic.js";
import { ait, car, cea, cyp, mer, mol, par, sfl } from "./cylindrical.js";
import { hpx, xph } from "./healpix-projection.js";
import { bon, pco } from "./polyconic.js";
import type { Projection, ProjectionParameters } from "./projection.js";
import { csc, qsc, tsc } from "./quad-cube.js";
import { air, arc, azp, sin, stg, szp, tan, zea, zpn } from "./zenithal.js";

const FACTORIES: Record<string, (pv: ProjectionParameters) => Projection> = {
  AZP: azp,
  SZP: szp,
  TAN: () => tan(),
  STG: () => stg(),
  SIN: sin,
  ARC: () => arc(),
  ZPN: zpn,
  ZEA: () => zea(),
  AIR: air,
  CYP: cyp,
  CEA: cea,
  CAR: () => car(),
  MER: () => mer(),
  SFL: () => sfl(),
  PAR: () => par(),
  MOL: () => mol(),
  AIT: () => ait(),
  COP: cop,
  COE: coe,
  COD: cod,
  COO: coo,
  BON: bon,
  PCO: () => pco(),
  TSC: () => tsc(),
  CSC: () => csc(),
  QSC: () => qsc(),
  HPX: hpx,
  XPH: () => xph(),
};

/** Projection codes this package implements. */
export const PROJECTION_CODES: readonly string[] = Object.keys(FACTORIES);

/**
 * Create the projection `code` with parameters PVi_m of the latitude axis. Throws a FitsError
 * `UNSUPPORTED` for unknown codes and `INVALID_ARGUMENT` for parameters outside the projection's range.
 */
export function createProjection(code: string, pv: ProjectionParameters = new Map()): Projection {
  const make = FACTORIES[code];
  if (make === undefined) throw new FitsError("UNSUPPORTED", `projection ${code} is not supported`);
  try {
    return make(pv);
  } catch (err) {
    if (err instanceof RangeError) {
      throw new FitsError(
        "INVALID_ARGUMENT",
        `bad parameters for projection ${code}: ${err.message}`,
        {},
        { cause: err },
      );
    }
    throw err;
  }
}
