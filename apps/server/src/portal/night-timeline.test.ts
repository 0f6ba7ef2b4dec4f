import { describe, expect, test } from "vitest";
import { buildTimeline, type TimelineFrame } from "./night-timeline.js";

const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 0, 0, s));
const frame = (
  id: string,
  s: number | null,
  exptime: number | null,
  frameType: string | null,
  object: string | null = null,
  filter: string | null = null,
): TimelineFrame => ({
  id,
  dateObs: s === null ? null : at(s),
  exptime,
  frameType,
  object,
  filter,
  instrument: "CAM",
});

describe("night timeline", () => {
  test("no files: an empty night", () => {
    expect(buildTimeline([])).toEqual({
      start: null,
      end: null,
      blocks: [],
      gaps: [],
      targets: [],
      filters: [],
      calibrations: {},
      scienceSeconds: 0,
      undated: 0,
    });
  });

  test("files out of order, undated files, unknown types and missing exposure times", () => {
    const t = buildTimeline([
      frame("c", 200, 100, "light", "M1", "R"),
      frame("a", 0, null, "bias"),
      frame("u", null, 10, "light", "M1", "R"),
      frame("b", 100, 50, null, "M1", "R"),
      frame("o", 320, 5, "other"),
    ]);
    expect(t.undated).toBe(1);
    expect(t.blocks.map((b) => [b.kind, b.frameType, b.fileIds])).toEqual([
      ["calibration", "bias", ["a"]],
      // A frame without a type counts as light.
      ["science", "light", ["b", "c"]],
      ["other", "other", ["o"]],
    ]);
    expect(t.blocks[1]).toMatchObject({
      start: at(100).toISOString(),
      end: at(300).toISOString(),
      exposureSeconds: 150,
    });
    expect(t.targets).toEqual([{ object: "M1", frames: 2, exposureSeconds: 150, filters: ["R"] }]);
    expect(t.calibrations).toEqual({ bias: 1 });
    expect(t.gaps).toEqual([]);
    expect([t.start, t.end]).toEqual([at(0).toISOString(), at(325).toISOString()]);
  });

  test("overlapping exposures do not make a negative gap; a long pause is a gap and ends the block", () => {
    const t = buildTimeline(
      [
        frame("a", 0, 600, "light", "M2", "V"),
        frame("b", 60, 60, "light", "M2", "V"),
        frame("c", 1300, 60, "light", "M2", "V"),
      ],
      300,
    );
    expect(t.blocks.map((b) => b.fileIds)).toEqual([["a", "b"], ["c"]]);
    expect(t.blocks[0]!.end).toBe(at(600).toISOString());
    expect(t.gaps).toEqual([{ start: at(600).toISOString(), end: at(1300).toISOString(), seconds: 700 }]);
  });
});
