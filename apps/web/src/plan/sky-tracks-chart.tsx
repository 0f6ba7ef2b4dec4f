/**
 * Star tracks on a polar sky chart: each shown target's altitude–azimuth path above the horizon
 * during the drawn span (zenith in the centre, horizon at the rim, north up and east left as seen
 * looking up), hourly dots, the Moon dashed, and every target's position at the hovered time.
 */
import { forwardRef } from "react";
import { colourOf } from "./chart-scale.js";
import { useClock } from "./clock.js";
import type { PlanResponse } from "./plan-api.js";

export const SKY_CHART_SIZE = 420;

/** Chart coordinates of an alt/az direction (degrees). */
export function polarPoint(alt: number, az: number, size = SKY_CHART_SIZE): [number, number] {
  const c = size / 2;
  const r = ((90 - alt) / 90) * (c - 28);
  const a = (az * Math.PI) / 180;
  return [c - r * Math.sin(a), c - r * Math.cos(a)];
}

function trackPath(
  points: { alt: number; az: number; t: number }[],
  span: { start: number; end: number },
): string {
  let d = "";
  let pen = false;
  for (const p of points) {
    if (p.alt <= 0 || p.t < span.start || p.t > span.end) {
      pen = false;
      continue;
    }
    const [px, py] = polarPoint(p.alt, p.az);
    d += `${pen ? "L" : "M"}${px.toFixed(1)},${py.toFixed(1)}`;
    pen = true;
  }
  return d;
}

interface Props {
  plan: PlanResponse;
  visible: readonly boolean[];
  hover: number | null;
  span: { start: number; end: number };
}

export const SkyTracksChart = forwardRef<SVGSVGElement, Props>(function SkyTracksChart(
  { plan, visible, hover, span },
  ref,
) {
  const clock = useClock();
  const size = SKY_CHART_SIZE;
  const c = size / 2;
  const rim = c - 28;
  const times = plan.night.series.map((s) => Date.parse(s.time));
  const moon = plan.night.series.map((s, k) => ({
    alt: s.moonAltitude,
    az: s.moonAzimuth,
    t: times[k] ?? 0,
  }));
  return (
    <svg
      ref={ref}
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${size} ${size}`}
      width="100%"
      role="img"
      aria-label="Sky tracks"
      data-testid="sky-tracks"
      fontFamily="system-ui, sans-serif"
      fontSize="12"
    >
      <rect x="0" y="0" width={size} height={size} fill="#ffffff" />
      <circle cx={c} cy={c} r={rim} fill="#eef1f8" stroke="#5d6577" />
      {[30, 60].map((alt) => (
        <g key={alt}>
          <circle
            cx={c}
            cy={c}
            r={((90 - alt) / 90) * rim}
            fill="none"
            stroke="#8a93a6"
            strokeOpacity="0.5"
          />
          <text x={c + 3} y={c - ((90 - alt) / 90) * rim - 3} fill="#5d6577" fontSize="10">
            {alt}°
          </text>
        </g>
      ))}
      <line x1={c - rim} x2={c + rim} y1={c} y2={c} stroke="#8a93a6" strokeOpacity="0.4" />
      <line x1={c} x2={c} y1={c - rim} y2={c + rim} stroke="#8a93a6" strokeOpacity="0.4" />
      {(
        [
          ["N", 0],
          ["E", 90],
          ["S", 180],
          ["W", 270],
        ] as const
      ).map(([label, az]) => {
        const [px, py] = polarPoint(-7, az);
        return (
          <text key={label} x={px} y={py + 4} textAnchor="middle" fontWeight="600" fill="#1b2030">
            {label}
          </text>
        );
      })}
      <path d={trackPath(moon, span)} fill="none" stroke="#6b7280" strokeWidth="1.5" strokeDasharray="5 4" />
      {plan.targets.map((t, i) => {
        if (!visible[i]) return null;
        const pts = (t.series ?? []).map((s, k) => ({ alt: s.altitude, az: s.azimuth, t: times[k] ?? 0 }));
        const hourly = pts.filter(
          (p) => p.alt > 0 && p.t >= span.start && p.t <= span.end && p.t % 3600000 === 0,
        );
        return (
          <g key={t.name} data-track={t.name}>
            <path d={trackPath(pts, span)} fill="none" stroke={colourOf(i)} strokeWidth="2" />
            {hourly.map((p) => {
              const [px, py] = polarPoint(p.alt, p.az);
              return (
                <circle key={p.t} cx={px} cy={py} r="2.5" fill={colourOf(i)}>
                  <title>{`${t.name} ${clock.hm(p.t)} ${clock.label}`}</title>
                </circle>
              );
            })}
          </g>
        );
      })}
      {hover !== null
        ? plan.targets.map((t, i) => {
            const s = t.series?.[hover];
            if (!visible[i] || !s || s.altitude <= 0) return null;
            const [px, py] = polarPoint(s.altitude, s.azimuth);
            return (
              <circle
                key={`h-${t.name}`}
                cx={px}
                cy={py}
                r="6"
                fill="none"
                stroke={colourOf(i)}
                strokeWidth="2.5"
                data-hover-target={t.name}
              />
            );
          })
        : null}
    </svg>
  );
});
