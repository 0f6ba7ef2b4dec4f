import { describe, expect, test } from "vitest";
import { formatDate, formatDateTime, formatDuration, formatRelative } from "./format.js";

describe("formatDuration", () => {
  test("picks the two largest units", () => {
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(42.9)).toBe("42 s");
    expect(formatDuration(125)).toBe("2 min 5 s");
    expect(formatDuration(3 * 3600 + 7 * 60 + 9)).toBe("3 h 7 min");
    expect(formatDuration(2 * 86_400 + 5 * 3600)).toBe("2 d 5 h");
    expect(formatDuration(900)).toBe("15 min");
    expect(formatDuration(7200 + 30)).toBe("2 h");
  });

  test("clamps negative durations to zero", () => {
    expect(formatDuration(-5)).toBe("0 s");
  });
});

describe("absent or unreadable times", () => {
  test("give the fallback", () => {
    expect(formatDateTime(null)).toBe("—");
    expect(formatDate("not a time", "never")).toBe("never");
    expect(formatRelative(null, 0, "Never")).toBe("Never");
  });

  test("a time within 45 s is just now", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(formatRelative("2025-12-31T23:59:30Z", now)).toBe("just now");
  });
});
