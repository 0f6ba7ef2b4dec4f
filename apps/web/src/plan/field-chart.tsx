/**
 * A small sky chart of a field of view: the field (circle, or rectangle at its position angle)
 * in the gnomonic plane of its centre, with every crossing satellite's track across it (entry
 * marked by a dot, exit by an arrow head). RA/Dec pointings draw north up and east left; alt/az
 * pointings draw altitude up and azimuth increasing to the right.
 */
import type { ReactElement } from "react";
import { colourOf } from "./chart-scale.js";
import type { Field, SatCrossing } from "./plan-api.js";

const SIZE = 360;
const DEG = Math.PI / 180;

/** Gnomonic (ξ, η) in degrees of tangent-plane units of (lon, lat) about (lon0, lat0), or null behind. */
export function tangentPoint(lon: number, lat: number, lon0: number, lat0: number): [number, number] | null {
  const d = (lon - lon0) * DEG;
  const cosc =
    Math.sin(lat0 * DEG) * Math.sin(lat * DEG) + Math.cos(lat0 * DEG) * Math.cos(lat * DEG) * Math.cos(d);
  if (cosc <= 1e-6) return null;
  const xi = (Math.cos(lat * DEG) * Math.sin(d)) / cosc;
  const eta =
    (Math.cos(lat0 * DEG) * Math.sin(lat * DEG) - Math.sin(lat0 * DEG) * Math.cos(lat * DEG) * Math.cos(d)) /
    cosc;
  return [xi / DEG, eta / DEG];
}

export function FieldChart({
  centre,
  mode,
  field,
  crossings,
}: {
  centre: { lon: number; lat: number };
  mode: "radec" | "altaz";
  field: Field;
  crossings: readonly SatCrossing[];
}) {
  const half = "radius" in field ? field.radius : Math.hypot(field.width, field.height) / 2;
  const scale = (SIZE / 2 - 24) / (half * 1.35);
  const c = SIZE / 2;
  const flip = mode === "radec" ? -1 : 1;
  const toXY = (xi: number, eta: number): [number, number] => [c + flip * xi * scale, c - eta * scale];
  let outline: ReactElement;
  if ("radius" in field) {
    outline = (
      <circle
        cx={c}
        cy={c}
        r={(Math.tan(field.radius * DEG) / DEG) * scale}
        fill="#eef1f8"
        stroke="#3d63dd"
        strokeWidth="2"
      />
    );
  } else {
    const pa = (field.pa ?? 0) * DEG;
    const hu = Math.tan((field.width / 2) * DEG) / DEG;
    const hv = Math.tan((field.height / 2) * DEG) / DEG;
    const corners = [
      [-hu, -hv],
      [hu, -hv],
      [hu, hv],
      [-hu, hv],
    ].map(([u = 0, v = 0]) =>
      toXY(u * Math.cos(pa) + v * Math.sin(pa), -u * Math.sin(pa) + v * Math.cos(pa)),
    );
    outline = (
      <polygon
        points={corners.map((p) => p.join(",")).join(" ")}
        fill="#eef1f8"
        stroke="#3d63dd"
        strokeWidth="2"
      />
    );
  }
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${SIZE} ${SIZE}`}
      width="100%"
      role="img"
      aria-label="Field of view with satellite tracks"
      data-testid="field-chart"
      fontFamily="system-ui, sans-serif"
      fontSize="11"
    >
      <defs>
        <marker
          id="sat-arrow"
          viewBox="0 0 10 10"
          refX="8"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0,0L10,5L0,10z" fill="context-stroke" />
        </marker>
      </defs>
      <rect x="0" y="0" width={SIZE} height={SIZE} fill="#ffffff" />
      {outline}
      <line x1={c - 6} x2={c + 6} y1={c} y2={c} stroke="#5d6577" />
      <line x1={c} x2={c} y1={c - 6} y2={c + 6} stroke="#5d6577" />
      <text x={c} y={14} textAnchor="middle" fill="#1b2030">
        {mode === "radec" ? "N" : "up (altitude)"}
      </text>
      <text
        x={mode === "radec" ? 8 : SIZE - 8}
        y={c + 4}
        textAnchor={mode === "radec" ? "start" : "end"}
        fill="#1b2030"
      >
        {mode === "radec" ? "E" : "az →"}
      </text>
      <text x={8} y={SIZE - 8} fill="#5d6577">
        {`${(2 * half).toFixed(2)}° across the field`}
      </text>
      {crossings.map((x, i) => {
        const pts = x.track
          .map((p) =>
            mode === "radec"
              ? tangentPoint(p.ra, p.dec, centre.lon, centre.lat)
              : tangentPoint(p.az, p.alt, centre.lon, centre.lat),
          )
          .filter((p): p is [number, number] => p !== null)
          .map(([xi, eta]) => toXY(xi, eta));
        if (pts.length === 0) return null;
        const [x0, y0] = pts[0] as [number, number];
        return (
          <g key={`${x.satnum}-${x.entry.time}`} data-crossing={x.name}>
            <polyline
              points={pts.map((p) => p.join(",")).join(" ")}
              fill="none"
              stroke={colourOf(i)}
              strokeWidth="2"
              markerEnd="url(#sat-arrow)"
            />
            <circle cx={x0} cy={y0} r="3.5" fill={colourOf(i)} />
            <text x={x0 + 5} y={y0 - 5} fill="#1b2030">
              {x.name}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
