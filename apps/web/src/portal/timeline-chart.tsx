/**
 * The night rebuilt from its files, drawn: one lane for science blocks (coloured by filter,
 * labelled by object), one for calibrations (by kind), gaps hatched, the log's entries as marks.
 */
import type { Timeline } from "./portal-api.js";

const W = 900;
const LANE = 46;
const TOP = 24;
const LEFT = 96;
const PALETTE = ["#3d63dd", "#d99a1e", "#1d7f4e", "#c4323a", "#7b4bd1", "#0f8fa3", "#b8527a", "#6b7280"];

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

export function TimelineChart({ timeline }: { timeline: Timeline }) {
  const times = [
    ...timeline.blocks.flatMap((b) => [Date.parse(b.start), Date.parse(b.end)]),
    ...timeline.entries.map((e) => Date.parse(e.at)),
  ].filter(Number.isFinite);
  if (timeline.blocks.length === 0)
    return <p className="empty">No dated frames on this night yet: upload its files and they appear here.</p>;
  // The data's extent with a little room on both sides.
  const pad = Math.max(60_000, (Math.max(...times) - Math.min(...times)) * 0.04);
  const t0 = Math.min(...times) - pad;
  const t1 = Math.max(...times) + pad;
  const x = (ms: number) => LEFT + ((ms - t0) / (t1 - t0)) * (W - LEFT - 12);
  const filters = [...new Set(timeline.blocks.map((b) => b.filter ?? "none"))];
  const colour = (f: string | null) => PALETTE[filters.indexOf(f ?? "none") % PALETTE.length];
  const lanes = ["science", "calibration", "other"] as const;
  const height = TOP + lanes.length * LANE + 40;
  const step =
    [1, 2, 5, 10, 15, 30, 60, 120, 180].map((m) => m * 60_000).find((m) => (t1 - t0) / m <= 8) ??
    6 * 3600_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
  return (
    <figure className="portal-timeline">
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label="Night timeline" data-testid="night-timeline">
        <defs>
          <pattern
            id="gap-hatch"
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <line x1="0" y1="0" x2="0" y2="6" stroke="currentColor" strokeOpacity="0.35" strokeWidth="2" />
          </pattern>
        </defs>
        {lanes.map((lane, i) => (
          <g key={lane}>
            <text x={8} y={TOP + i * LANE + LANE / 2 + 4} className="portal-axis-text">
              {lane === "science" ? "Science" : lane === "calibration" ? "Calibrations" : "Other"}
            </text>
            <line
              x1={LEFT}
              x2={W - 12}
              y1={TOP + (i + 1) * LANE}
              y2={TOP + (i + 1) * LANE}
              className="portal-grid"
            />
          </g>
        ))}
        {timeline.gaps.map((g) => (
          <rect
            key={g.start}
            x={x(Date.parse(g.start))}
            y={TOP}
            width={Math.max(1, x(Date.parse(g.end)) - x(Date.parse(g.start)))}
            height={lanes.length * LANE}
            fill="url(#gap-hatch)"
            data-gap-seconds={g.seconds}
          >
            <title>
              gap {hhmm(Date.parse(g.start))}–{hhmm(Date.parse(g.end))} UTC ({Math.round(g.seconds / 60)} min)
            </title>
          </rect>
        ))}
        {timeline.blocks.map((b) => {
          const lane = lanes.indexOf(b.kind);
          const x0 = x(Date.parse(b.start));
          const w = Math.max(2, x(Date.parse(b.end)) - x0);
          const label = b.kind === "science" ? (b.object ?? "?") : b.frameType;
          return (
            <g key={`${b.start}-${b.kind}-${label}`} data-block={b.kind}>
              <rect
                x={x0}
                y={TOP + lane * LANE + 6}
                width={w}
                height={LANE - 12}
                rx={3}
                fill={b.kind === "science" ? colour(b.filter) : "#8a94a6"}
                fillOpacity={b.kind === "science" ? 0.85 : 0.6}
              >
                <title>
                  {label} {b.filter ? `in ${b.filter} ` : ""}· {b.frames} frames, {b.exposureSeconds} s ·{" "}
                  {hhmm(Date.parse(b.start))}–{hhmm(Date.parse(b.end))} UTC
                </title>
              </rect>
              {w > 40 ? (
                <text x={x0 + 4} y={TOP + lane * LANE + LANE / 2 + 4} className="portal-block-text">
                  {label}
                </text>
              ) : null}
            </g>
          );
        })}
        {timeline.entries.map((e) => (
          <g key={e.id}>
            <line
              x1={x(Date.parse(e.at))}
              x2={x(Date.parse(e.at))}
              y1={TOP - 6}
              y2={TOP + lanes.length * LANE}
              className="portal-entry-mark"
            />
            <circle cx={x(Date.parse(e.at))} cy={TOP - 8} r={4} className="portal-entry-dot">
              <title>
                {hhmm(Date.parse(e.at))} UTC: {e.text}
              </title>
            </circle>
          </g>
        ))}
        {ticks.map((t) => (
          <text key={t} x={x(t)} y={height - 16} textAnchor="middle" className="portal-axis-text">
            {hhmm(t)}
          </text>
        ))}
        <text x={W - 12} y={height - 2} textAnchor="end" className="portal-axis-text">
          UTC
        </text>
      </svg>
      <figcaption className="portal-legend">
        {filters.map((f) => (
          <span key={f}>
            <span className="portal-swatch" style={{ background: colour(f) }} /> {f}
          </span>
        ))}
        <span>
          <span className="portal-swatch portal-swatch-gap" /> gap
        </span>
        <span>
          <span className="portal-swatch portal-swatch-entry" /> log entry
        </span>
      </figcaption>
    </figure>
  );
}
