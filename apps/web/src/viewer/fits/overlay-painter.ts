/** Drawing regions (already in pixels) and catalogue markers on the overlay canvas. */
import type { OverlayPainter } from "./fits-canvas.js";
import type { PixelShape } from "./overlay-geometry.js";

const DEFAULT_REGION = "#39ff14";
const CATALOGUE = "#ff4fd8";

function rotated(
  toScreen: (x: number, y: number) => [number, number],
  x: number,
  y: number,
  dx: number,
  dy: number,
  angle: number,
): [number, number] {
  const a = (angle * Math.PI) / 180;
  return toScreen(x + dx * Math.cos(a) - dy * Math.sin(a), y + dx * Math.sin(a) + dy * Math.cos(a));
}

function marker(ctx: CanvasRenderingContext2D, kind: string, sx: number, sy: number, r: number): void {
  ctx.beginPath();
  switch (kind) {
    case "box":
      ctx.rect(sx - r, sy - r, 2 * r, 2 * r);
      break;
    case "diamond":
      ctx.moveTo(sx, sy - r);
      ctx.lineTo(sx + r, sy);
      ctx.lineTo(sx, sy + r);
      ctx.lineTo(sx - r, sy);
      ctx.closePath();
      break;
    case "cross":
      ctx.moveTo(sx - r, sy);
      ctx.lineTo(sx + r, sy);
      ctx.moveTo(sx, sy - r);
      ctx.lineTo(sx, sy + r);
      break;
    case "x":
      ctx.moveTo(sx - r, sy - r);
      ctx.lineTo(sx + r, sy + r);
      ctx.moveTo(sx - r, sy + r);
      ctx.lineTo(sx + r, sy - r);
      break;
    default:
      ctx.arc(sx, sy, r, 0, 2 * Math.PI);
  }
  ctx.stroke();
}

/** A painter for `shapes` (FITS pixel coordinates). */
export function regionPainter(shapes: readonly PixelShape[]): OverlayPainter {
  return (ctx, toScreen, zoom) => {
    ctx.lineWidth = 1.5;
    ctx.font = "12px sans-serif";
    for (const s of shapes) {
      ctx.strokeStyle = s.color ?? DEFAULT_REGION;
      ctx.fillStyle = s.color ?? DEFAULT_REGION;
      ctx.setLineDash(s.exclude ? [6, 4] : []);
      let labelAt: [number, number] | null = null;
      switch (s.kind) {
        case "circle": {
          const [sx, sy] = toScreen(s.x, s.y);
          ctx.beginPath();
          ctx.arc(sx, sy, Math.max(1, s.r * zoom), 0, 2 * Math.PI);
          ctx.stroke();
          labelAt = [sx, sy - s.r * zoom - 4];
          break;
        }
        case "ellipse": {
          const [sx, sy] = toScreen(s.x, s.y);
          ctx.beginPath();
          // Screen y is flipped, so a counter-clockwise image angle is clockwise on screen.
          ctx.ellipse(
            sx,
            sy,
            Math.max(1, s.a * zoom),
            Math.max(1, s.b * zoom),
            (-s.angle * Math.PI) / 180,
            0,
            2 * Math.PI,
          );
          ctx.stroke();
          labelAt = [sx, sy - Math.max(s.a, s.b) * zoom - 4];
          break;
        }
        case "box": {
          const corners = [
            [-s.a / 2, -s.b / 2],
            [s.a / 2, -s.b / 2],
            [s.a / 2, s.b / 2],
            [-s.a / 2, s.b / 2],
          ].map(([dx, dy]) => rotated(toScreen, s.x, s.y, dx!, dy!, s.angle));
          ctx.beginPath();
          for (const [i, [x, y]] of corners.entries()) {
            if (i === 0) ctx.moveTo(x, y);
            else ctx.lineTo(x, y);
          }
          ctx.closePath();
          ctx.stroke();
          labelAt = toScreen(s.x, s.y + s.b / 2);
          break;
        }
        case "polygon":
        case "line": {
          ctx.beginPath();
          s.points.forEach(([x, y], i) => {
            const [sx, sy] = toScreen(x, y);
            if (i === 0) ctx.moveTo(sx, sy);
            else ctx.lineTo(sx, sy);
          });
          if (s.kind === "polygon") ctx.closePath();
          ctx.stroke();
          if (s.points[0]) labelAt = toScreen(s.points[0][0], s.points[0][1]);
          break;
        }
        case "point": {
          const [sx, sy] = toScreen(s.x, s.y);
          marker(ctx, s.marker, sx, sy, 5);
          labelAt = [sx, sy - 8];
          break;
        }
        case "text": {
          const [sx, sy] = toScreen(s.x, s.y);
          ctx.textAlign = "center";
          ctx.textBaseline = "middle";
          ctx.fillText(s.text ?? "", sx, sy);
          break;
        }
      }
      if (labelAt !== null && s.text && s.kind !== "text") {
        ctx.textAlign = "center";
        ctx.textBaseline = "bottom";
        ctx.fillText(s.text, labelAt[0], labelAt[1]);
      }
    }
    ctx.setLineDash([]);
  };
}

/** A painter for catalogue positions (FITS pixel coordinates), labels when zoomed in. */
export function cataloguePainter(
  x: Float64Array,
  y: Float64Array,
  labels: readonly string[] | null,
  index: Uint32Array,
): OverlayPainter {
  return (ctx, toScreen, zoom) => {
    const w = ctx.canvas.clientWidth || ctx.canvas.width;
    const h = ctx.canvas.clientHeight || ctx.canvas.height;
    ctx.strokeStyle = CATALOGUE;
    ctx.fillStyle = CATALOGUE;
    ctx.lineWidth = 1.25;
    ctx.font = "11px sans-serif";
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    const r = Math.max(4, Math.min(12, 3 * zoom));
    ctx.beginPath();
    let shown = 0;
    for (let i = 0; i < x.length; i++) {
      const [sx, sy] = toScreen(x[i] as number, y[i] as number);
      if (sx < -r || sy < -r || sx > w + r || sy > h + r) continue;
      ctx.moveTo(sx + r, sy);
      ctx.arc(sx, sy, r, 0, 2 * Math.PI);
      shown++;
    }
    ctx.stroke();
    if (labels !== null && shown <= 200) {
      for (let i = 0; i < x.length; i++) {
        const [sx, sy] = toScreen(x[i] as number, y[i] as number);
        if (sx < 0 || sy < 0 || sx > w || sy > h) continue;
        ctx.fillText(labels[index[i] as number] ?? "", sx + r + 2, sy);
      }
    }
  };
}
