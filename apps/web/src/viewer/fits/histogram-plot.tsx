/**
 * The plane's histogram around the display limits (from the server's quantiles of the plane's
 * sample, log counts), with the limits marked and the current scale drawn as a curve. Clicking
 * sets the nearer limit (switching the limits to manual).
 */
import { useEffect, useRef } from "react";
import { formatValue, histogramOf } from "./display-settings.js";

interface Props {
  readonly quantiles: readonly number[];
  readonly vmin: number;
  readonly vmax: number;
  /** The scale as a function of x in [0, 1]. */
  readonly curve: (x: number) => number;
  readonly colormap: Uint8Array;
  readonly onLimit?: (which: "min" | "max", value: number) => void;
}

const BINS = 160;

export function HistogramPlot(props: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const span = props.vmax - props.vmin || Math.abs(props.vmax) || 1;
  const lo = props.vmin - 0.15 * span;
  const hi = props.vmax + 0.15 * span;
  useEffect(() => {
    const c = ref.current;
    if (c === null) return;
    const ratio = window.devicePixelRatio || 1;
    const w = c.clientWidth;
    const h = c.clientHeight;
    c.width = Math.round(w * ratio);
    c.height = Math.round(h * ratio);
    const ctx = c.getContext("2d");
    if (ctx === null) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const counts = histogramOf(props.quantiles, lo, hi, BINS);
    const logs = Array.from(counts, (v) => (v > 0 ? Math.log10(v) : Number.NaN));
    const finite = logs.filter(Number.isFinite);
    const top = Math.max(...finite, -6);
    const bottom = Math.min(...finite, top - 1);
    const bw = w / BINS;
    for (let i = 0; i < BINS; i++) {
      const l = logs[i] as number;
      if (!Number.isFinite(l)) continue;
      const v = lo + ((hi - lo) * (i + 0.5)) / BINS;
      const x = Math.min(1, Math.max(0, (v - props.vmin) / (props.vmax - props.vmin || 1)));
      const k = Math.min(255, Math.max(0, Math.floor(props.curve(x) * 256)));
      ctx.fillStyle = `rgb(${props.colormap[4 * k]} ${props.colormap[4 * k + 1]} ${props.colormap[4 * k + 2]})`;
      const bh = ((l - bottom) / (top - bottom || 1)) * (h - 14) + 2;
      ctx.fillRect(i * bw, h - bh, Math.max(1, bw - 0.5), bh);
    }
    const sx = (v: number) => ((v - lo) / (hi - lo)) * w;
    ctx.strokeStyle = "#d99a1e";
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (let i = 0; i <= 100; i++) {
      const x = i / 100;
      const px = sx(props.vmin + x * (props.vmax - props.vmin));
      const py = h - 2 - props.curve(x) * (h - 14);
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    }
    ctx.stroke();
    ctx.strokeStyle = "#c4323a";
    for (const v of [props.vmin, props.vmax]) {
      ctx.beginPath();
      ctx.moveTo(sx(v), 0);
      ctx.lineTo(sx(v), h);
      ctx.stroke();
    }
  }, [props.quantiles, props.vmin, props.vmax, props.curve, props.colormap, lo, hi]);
  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    if (!props.onLimit) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const v = lo + ((e.clientX - rect.left) / rect.width) * (hi - lo);
    props.onLimit(Math.abs(v - props.vmin) < Math.abs(v - props.vmax) ? "min" : "max", v);
  };
  return (
    <figure className="fits-histogram">
      <canvas ref={ref} onClick={onClick} aria-label="Histogram of pixel values" role="img" />
      <figcaption className="muted">
        <span>{formatValue(props.vmin)}</span>
        <span>log counts · click to move a limit</span>
        <span>{formatValue(props.vmax)}</span>
      </figcaption>
    </figure>
  );
}
