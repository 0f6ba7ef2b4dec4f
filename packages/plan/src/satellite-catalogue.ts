/**
 * A catalogue of element sets that keeps every epoch it has seen for each object, answers with
 * the set nearest in time to a query, and reports that set's age (query time − epoch) so old
 * elements can be flagged.
 */
import { detectElementFormat, parseOmmCsv, parseOmmJson, parseOmmXml } from "./omm.js";
import { type ElementSet, parseTle, type TleParseResult } from "./tle.js";

/** Read TLE or OMM (JSON/XML/CSV) text, detecting which it is. */
export function parseElements(text: string): TleParseResult {
  switch (detectElementFormat(text)) {
    case "omm-json":
      return parseOmmJson(text);
    case "omm-xml":
      return parseOmmXml(text);
    case "omm-csv":
      return parseOmmCsv(text);
    default:
      return parseTle(text);
  }
}

/** The set chosen for a time, with its age. */
export interface ElementsUsed {
  readonly elements: ElementSet;
  /** Query time − epoch, days (negative: elements from the future). */
  readonly ageDays: number;
  /** True when |age| exceeds the catalogue's `maxAgeDays`. */
  readonly stale: boolean;
}

/** History of element sets by catalogue number. */
export class SatelliteCatalogue {
  readonly #byId = new Map<string, ElementSet[]>();
  /** Age beyond which elements are flagged (days; default 3, typical LEO accuracy horizon). */
  readonly maxAgeDays: number;

  constructor(sets: readonly ElementSet[] = [], options: { maxAgeDays?: number } = {}) {
    this.maxAgeDays = options.maxAgeDays ?? 3;
    this.add(sets);
  }

  /** Add sets; a set with an epoch already held for that object replaces it. */
  add(sets: readonly ElementSet[]): void {
    for (const s of sets) {
      const id = s.satnum.trim();
      const list = this.#byId.get(id) ?? [];
      const same = list.findIndex((x) => x.epoch === s.epoch);
      if (same >= 0) list[same] = s;
      else list.push(s);
      list.sort((a, b) => a.epoch - b.epoch);
      this.#byId.set(id, list);
    }
  }

  /** Number of objects. */
  get size(): number {
    return this.#byId.size;
  }

  /** Catalogue numbers held. */
  ids(): string[] {
    return [...this.#byId.keys()];
  }

  /** Every epoch held for `satnum`, oldest first. */
  history(satnum: string): readonly ElementSet[] {
    return this.#byId.get(satnum.trim()) ?? [];
  }

  /** The set with the epoch nearest to `timeMs` (Unix ms UTC) for one object. */
  elementsAt(satnum: string, timeMs: number): ElementsUsed | undefined {
    const list = this.#byId.get(satnum.trim());
    if (!list || list.length === 0) return undefined;
    let best = list[0] as ElementSet;
    for (const s of list) if (Math.abs(s.epoch - timeMs) < Math.abs(best.epoch - timeMs)) best = s;
    const ageDays = (timeMs - best.epoch) / 86400000;
    return { elements: best, ageDays, stale: Math.abs(ageDays) > this.maxAgeDays };
  }

  /** The nearest set of every object at `timeMs`. */
  allAt(timeMs: number): ElementsUsed[] {
    const out: ElementsUsed[] = [];
    for (const id of this.#byId.keys()) {
      const u = this.elementsAt(id, timeMs);
      if (u) out.push(u);
    }
    return out;
  }
}
