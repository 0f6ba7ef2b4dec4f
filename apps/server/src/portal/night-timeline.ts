/**
 * Night reconstruction: the timeline of a night built from its files alone. Frames in DATE-OBS
 * order are grouped into blocks of one kind (science on one object in one filter, or one kind of
 * calibration in one filter); a pause longer than the gap threshold between the end of one
 * exposure and the start of the next ends a block and is reported as a gap.
 */

/** What the timeline needs of a file. */
export interface TimelineFrame {
  readonly id: string;
  readonly dateObs: Date | null;
  /** Seconds; null counts as 0. */
  readonly exptime: number | null;
  readonly frameType: string | null;
  readonly object: string | null;
  readonly filter: string | null;
  readonly instrument: string | null;
}

/** Consecutive frames of one kind. */
export interface TimelineBlock {
  /** "science" for light frames (and frames without a type), "other" for unknown types, else "calibration". */
  readonly kind: "science" | "calibration" | "other";
  readonly frameType: string;
  readonly object: string | null;
  readonly filter: string | null;
  readonly instrument: string | null;
  /** Start of the first exposure and end of the last one (ISO 8601 UTC). */
  readonly start: string;
  readonly end: string;
  readonly frames: number;
  /** Sum of exposure times, seconds. */
  readonly exposureSeconds: number;
  readonly fileIds: string[];
}

/** A pause with no exposure. */
export interface TimelineGap {
  readonly start: string;
  readonly end: string;
  readonly seconds: number;
}

/** Per-object totals. */
export interface TimelineTarget {
  readonly object: string;
  readonly frames: number;
  readonly exposureSeconds: number;
  readonly filters: string[];
}

export interface Timeline {
  readonly start: string | null;
  readonly end: string | null;
  readonly blocks: TimelineBlock[];
  readonly gaps: TimelineGap[];
  readonly targets: TimelineTarget[];
  readonly filters: string[];
  /** Frame counts per calibration type (bias, dark, flat, arc, ...). */
  readonly calibrations: Record<string, number>;
  /** Total exposure time of science frames, seconds. */
  readonly scienceSeconds: number;
  /** Files of the night without DATE-OBS (not placed on the timeline). */
  readonly undated: number;
}

const SCIENCE = new Set(["light", "science", "object"]);

/** Build the timeline of `frames`; `gapSeconds` is the smallest pause reported as a gap. */
export function buildTimeline(frames: readonly TimelineFrame[], gapSeconds = 300): Timeline {
  const dated = frames
    .filter((f): f is TimelineFrame & { dateObs: Date } => f.dateObs !== null)
    .sort((a, b) => a.dateObs.getTime() - b.dateObs.getTime() || (a.id < b.id ? -1 : 1));
  const blocks: (TimelineBlock & { endMs: number })[] = [];
  const gaps: TimelineGap[] = [];
  const targets = new Map<string, { frames: number; exposureSeconds: number; filters: Set<string> }>();
  const filters = new Set<string>();
  const calibrations: Record<string, number> = {};
  let scienceSeconds = 0;
  let lastEnd: number | null = null;
  for (const f of dated) {
    const startMs = f.dateObs.getTime();
    const exp = Math.max(0, f.exptime ?? 0);
    const endMs = startMs + exp * 1000;
    const frameType = f.frameType ?? "light";
    const kind = SCIENCE.has(frameType) ? "science" : frameType === "other" ? "other" : "calibration";
    const object = kind === "science" ? f.object : null;
    if (f.filter !== null) filters.add(f.filter);
    if (kind === "science") {
      scienceSeconds += exp;
      const key = f.object ?? "(no object)";
      const t = targets.get(key) ?? { frames: 0, exposureSeconds: 0, filters: new Set<string>() };
      t.frames++;
      t.exposureSeconds += exp;
      if (f.filter !== null) t.filters.add(f.filter);
      targets.set(key, t);
    } else if (kind === "calibration") {
      calibrations[frameType] = (calibrations[frameType] ?? 0) + 1;
    }
    const pause = lastEnd === null ? 0 : (startMs - lastEnd) / 1000;
    if (lastEnd !== null && pause >= gapSeconds) {
      gaps.push({ start: new Date(lastEnd).toISOString(), end: f.dateObs.toISOString(), seconds: pause });
    }
    const prev = blocks[blocks.length - 1];
    const same =
      prev !== undefined &&
      pause < gapSeconds &&
      prev.frameType === frameType &&
      prev.object === object &&
      prev.filter === f.filter &&
      prev.instrument === f.instrument;
    if (same) {
      const endMsNew = Math.max(prev.endMs, endMs);
      blocks[blocks.length - 1] = {
        ...prev,
        end: new Date(endMsNew).toISOString(),
        endMs: endMsNew,
        frames: prev.frames + 1,
        exposureSeconds: prev.exposureSeconds + exp,
        fileIds: [...prev.fileIds, f.id],
      };
    } else {
      blocks.push({
        kind,
        frameType,
        object,
        filter: f.filter,
        instrument: f.instrument,
        start: f.dateObs.toISOString(),
        end: new Date(endMs).toISOString(),
        endMs,
        frames: 1,
        exposureSeconds: exp,
        fileIds: [f.id],
      });
    }
    lastEnd = lastEnd === null ? endMs : Math.max(lastEnd, endMs);
  }
  return {
    start: dated[0]?.dateObs.toISOString() ?? null,
    end: lastEnd === null ? null : new Date(lastEnd).toISOString(),
    blocks: blocks.map(({ endMs: _endMs, ...b }) => b),
    gaps,
    targets: [...targets].map(([object, t]) => ({
      object,
      frames: t.frames,
      exposureSeconds: t.exposureSeconds,
      filters: [...t.filters].sort(),
    })),
    filters: [...filters].sort(),
    calibrations,
    scienceSeconds,
    undated: frames.length - dated.length,
  };
}
