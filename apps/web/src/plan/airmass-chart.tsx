/**
 * Airmass through the night: one curve per shown target (sec z, 1 at the top, 3 at the bottom,
 * altitude on the right axis), the Moon dashed, the sky shaded by twilight from the Sun's
 * altitude, the observable stretches drawn thicker. Moving the pointer over the plot picks a time;
 * the page shows the values at that time ({@link hoverIndex}). Drawn with inline attributes only,
 * so the same SVG exports as a standalone file.
 */
import { forwardRef, type KeyboardEvent, type MouseEvent } from "react";
import { colourOf, hourTicks, linear, skyShade } from "./chart-scale.js";
import { useClock } from "./clock.js";
import type { PlanResponse } from "./plan-api.js";

export const AIRMASS_CHART = { width: 900, height: 420, left: 56, right: 56, top: 20, bottom: 44 } as const;
const MAX_AIRMASS = 3;

/** The time window drawn: an hour before sunset to an hour after sunrise (else the whole span). */
export function chartSpan(plan: PlanResponse): { start: number; end: number } {
  const s = Date.parse(plan.night.start);
  const e = Date.parse(plan.night.end);
  const set = plan.night.events.sunset;
  const rise = plan.night.events.sunrise;
  if (!set || !rise || Date.parse(rise) <= Date.parse(set)) return { start: s, end: e };
  return { start: Math.max(s, Date.parse(set) - 3600000), end: Math.min(e, Date.parse(rise) + 3600000) };
}

/** sec z of an altitude (degrees), or null at or below the horizon. */
function secZ(alt: number): number | null {
  return alt > 0 ? 1 / Math.sin((alt * Math.PI) / 180) : null;
}

interface Props {
  plan: PlanResponse;
  visible: readonly boolean[];
  hover: number | null;
  onHover(index: number | null): void;
}

export const AirmassChart = forwardRef<SVGSVGElement, Props>(function AirmassChart(
  { plan, visible, hover, onHover },
  ref,
) {
  const { width, height, left, right, top, bottom } = AIRMASS_CHART;
  const span = chartSpan(plan);
  const x = linear(span.start, span.end, left, width - right);
  const y = linear(1, MAX_AIRMASS, top, height - bottom);
  const times = plan.night.series.map((s) => Date.parse(s.time));
  const inSpan = (t: number) => t >= span.start && t <= span.end;

  // Twilight bands: runs of equal shade.
  const bands: { x0: number; x1: number; fill: string; name: string }[] = [];
  plan.night.series.forEach((s, k) => {
    const t = times[k] ?? 0;
    if (!inSpan(t)) return;
    const shade = skyShade(s.sunAltitude);
    const last = bands[bands.length - 1];
    const x1 = x(Math.min(span.end, t + ((times[1] ?? 0) - (times[0] ?? 0))));
    if (last && last.name === shade.name) last.x1 = x1;
    else bands.push({ x0: x(t), x1, fill: shade.fill, name: shade.name });
  });

  function path(values: (number | null)[], keep: (k: number) => boolean = () => true): string {
    let d = "";
    let pen = false;
    values.forEach((v, k) => {
      const t = times[k] ?? 0;
      if (v === null || v > MAX_AIRMASS || !inSpan(t) || !keep(k)) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    return d;
  }

  function move(event: MouseEvent<SVGRectElement>): void {
    const box = event.currentTarget.getBoundingClientRect();
    const px = left + ((event.clientX - box.left) / box.width) * (width - left - right);
    const t = span.start + ((px - left) / (width - left - right)) * (span.end - span.start);
    const step = (times[1] ?? 0) - (times[0] ?? 0) || 60000;
    const k = Math.round((t - (times[0] ?? 0)) / step);
    onHover(Math.max(0, Math.min(times.length - 1, k)));
  }

  function key(event: KeyboardEvent<SVGRectElement>): void {
    const stepK = event.shiftKey ? 60 : 5;
    const first = times.findIndex((t) => t >= span.start);
    const k = hover ?? Math.max(0, first);
    if (event.key === "ArrowRight") onHover(Math.min(times.length - 1, k + stepK));
    else if (event.key === "ArrowLeft") onHover(Math.max(0, k - stepK));
    else return;
    event.preventDefault();
  }

  const clock = useClock();
  const ticks = hourTicks(
    span.start + clock.offsetMs,
    span.end + clock.offsetMs,
    span.end - span.start > 16 * 3600000 ? 2 : 1,
  ).map((t) => t - clock.offsetMs);
  const airmassTicks = [1, 1.2, 1.5, 2, 2.5, 3];
  const altitudeTicks = [90, 60, 45, 30, 20];
  const hoverT = hover === null ? null : (times[hover] ?? null);
  const moon = plan.night.series.map((s) => secZ(s.moonAltitude));

  return (
    <svg
      ref={ref}
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label="Airmass chart"
      data-testid="airmass-chart"
      fontFamily="system-ui, sans-serif"
      fontSize="12"
    >
      <rect x="0" y="0" width={width} height={height} fill="#ffffff" />
      {bands.map((b) => (
        <rect
          key={`${b.name}-${b.x0}`}
          x={b.x0}
          y={top}
          width={Math.max(0, b.x1 - b.x0)}
          height={height - top - bottom}
          fill={b.fill}
          data-shade={b.name}
        />
      ))}
      {airmassTicks.map((a) => (
        <g key={`a${a}`}>
          <line x1={left} x2={width - right} y1={y(a)} y2={y(a)} stroke="#8a93a6" strokeOpacity="0.35" />
          <text x={left - 6} y={y(a) + 4} textAnchor="end" fill="#1b2030">
            {a.toFixed(1)}
          </text>
        </g>
      ))}
      {altitudeTicks.map((alt) => (
        <text key={`h${alt}`} x={width - right + 6} y={y(secZ(alt) ?? 1) + 4} fill="#5d6577">
          {alt}°
        </text>
      ))}
      {ticks.map((t) => (
        <g key={`t${t}`}>
          <line x1={x(t)} x2={x(t)} y1={top} y2={height - bottom} stroke="#8a93a6" strokeOpacity="0.25" />
          <text x={x(t)} y={height - bottom + 16} textAnchor="middle" fill="#1b2030">
            {clock.hm(t)}
          </text>
        </g>
      ))}
      <text x={(left + width - right) / 2} y={height - 8} textAnchor="middle" fill="#5d6577">
        time ({clock.label})
      </text>
      <text
        transform={`translate(14 ${(top + height - bottom) / 2}) rotate(-90)`}
        textAnchor="middle"
        fill="#5d6577"
      >
        airmass (sec z)
      </text>
      <text
        transform={`translate(${width - 10} ${(top + height - bottom) / 2}) rotate(90)`}
        textAnchor="middle"
        fill="#5d6577"
      >
        altitude
      </text>
      <path
        d={path(moon)}
        fill="none"
        stroke="#6b7280"
        strokeWidth="1.5"
        strokeDasharray="5 4"
        data-series="Moon"
      />
      {plan.targets.map((t, i) =>
        visible[i] ? (
          <g key={t.name} data-series={t.name}>
            <path
              d={path((t.series ?? []).map((s) => s.airmass))}
              fill="none"
              stroke={colourOf(i)}
              strokeWidth="1.5"
            />
            <path
              d={path(
                (t.series ?? []).map((s) => s.airmass),
                (k) => t.series?.[k]?.observable === true,
              )}
              fill="none"
              stroke={colourOf(i)}
              strokeWidth="4"
              strokeLinecap="round"
            />
          </g>
        ) : null,
      )}
      {hoverT !== null && inSpan(hoverT) ? (
        <line x1={x(hoverT)} x2={x(hoverT)} y1={top} y2={height - bottom} stroke="#1b2030" strokeWidth="1" />
      ) : null}
      <rect
        x={left}
        y={top}
        width={width - left - right}
        height={height - top - bottom}
        fill="none"
        stroke="#5d6577"
      />
      <rect
        x={left}
        y={top}
        width={width - left - right}
        height={height - top - bottom}
        fill="transparent"
        data-testid="airmass-hover-area"
        role="slider"
        tabIndex={0}
        aria-label="Time on the chart"
        aria-valuemin={0}
        aria-valuemax={times.length - 1}
        aria-valuenow={hover ?? 0}
        aria-valuetext={hoverT === null ? "none" : `${clock.hm(hoverT)} ${clock.label}`}
        onMouseMove={move}
        onMouseLeave={() => onHover(null)}
        onKeyDown={key}
      />
    </svg>
  );
});
