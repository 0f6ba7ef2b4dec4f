/**
 * Best months: hours each target is observable on each night through a year (lines), under the
 * hours of astronomical darkness (grey area), with month boundaries marked.
 */
import { forwardRef } from "react";
import { colourOf, linear } from "./chart-scale.js";
import type { YearlyResponse } from "./plan-api.js";

const W = 900;
const H = 300;
const L = 48;
const R = 16;
const T = 16;
const B = 40;

export const YearlyChart = forwardRef<SVGSVGElement, { yearly: YearlyResponse; visible: readonly boolean[] }>(
  function YearlyChart({ yearly, visible }, ref) {
    const n = yearly.nights.length;
    const maxH = Math.max(
      1,
      Math.ceil(Math.max(...yearly.darkHours, ...yearly.targets.flatMap((t) => t.hours))),
    );
    const x = linear(0, Math.max(1, n - 1), L, W - R);
    const y = linear(0, maxH, H - B, T);
    const line = (hs: number[]) =>
      hs.map((h, k) => `${k === 0 ? "M" : "L"}${x(k).toFixed(1)},${y(h).toFixed(1)}`).join("");
    const dark = `${line(yearly.darkHours)}L${x(n - 1)},${y(0)}L${x(0)},${y(0)}Z`;
    const months = yearly.nights
      .map((d, k) => ({ d, k }))
      .filter(({ d, k }) => k === 0 || d.slice(8) === "01");
    return (
      <svg
        ref={ref}
        xmlns="http://www.w3.org/2000/svg"
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label="Hours observable per night through the year"
        data-testid="yearly-chart"
        fontFamily="system-ui, sans-serif"
        fontSize="12"
      >
        <rect x="0" y="0" width={W} height={H} fill="#ffffff" />
        <path d={dark} fill="#ccd5ea" />
        {Array.from({ length: maxH + 1 }, (_, h) => h)
          .filter((h) => maxH <= 12 || h % 2 === 0)
          .map((h) => (
            <g key={h}>
              <line x1={L} x2={W - R} y1={y(h)} y2={y(h)} stroke="#8a93a6" strokeOpacity="0.3" />
              <text x={L - 6} y={y(h) + 4} textAnchor="end" fill="#1b2030">
                {h}
              </text>
            </g>
          ))}
        {months.map(({ d, k }) => (
          <g key={d}>
            <line x1={x(k)} x2={x(k)} y1={T} y2={H - B} stroke="#8a93a6" strokeOpacity="0.3" />
            <text x={x(k) + 3} y={H - B + 16} fill="#1b2030">
              {new Date(`${d}T00:00:00Z`).toLocaleString("en", { month: "short", timeZone: "UTC" })}
            </text>
          </g>
        ))}
        {yearly.targets.map((t, i) =>
          visible[i] ? (
            <path
              key={t.name}
              d={line(t.hours)}
              fill="none"
              stroke={colourOf(i)}
              strokeWidth="2"
              data-series={t.name}
            />
          ) : null,
        )}
        <text transform={`translate(14 ${(T + H - B) / 2}) rotate(-90)`} textAnchor="middle" fill="#5d6577">
          hours per night
        </text>
        <rect x={L} y={T} width={W - L - R} height={H - T - B} fill="none" stroke="#5d6577" />
      </svg>
    );
  },
);
