/**
 * ANSI escape sequences (ECMA-48 §8.3.117 SGR) in log lines, turned into styled segments: bold,
 * dim, italic, underline, the 16 standard colours as classes, 256-colour and 24-bit colours as
 * inline colours. Other control sequences (cursor movement, OSC titles) are dropped.
 */

export interface AnsiSegment {
  text: string;
  /** Class names: `ansi-bold`, `ansi-fg-1`, `ansi-bg-4`, … */
  classes: string[];
  /** Inline colours for 256-colour and truecolour codes. */
  color?: string;
  background?: string;
}

interface State {
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  fg: number | string | null;
  bg: number | string | null;
}

const fresh = (): State => ({ bold: false, dim: false, italic: false, underline: false, fg: null, bg: null });

// xterm 256-colour palette (indices 16-231 cube, 232-255 greys).
function color256(n: number): string | number {
  if (n < 16) return n;
  if (n < 232) {
    const i = n - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g},${g},${g})`;
}

function applySgr(state: State, params: number[]): State {
  const s = { ...state };
  if (params.length === 0) params = [0];
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (p === 0) Object.assign(s, fresh());
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 22) s.bold = s.dim = false;
    else if (p === 23) s.italic = false;
    else if (p === 24) s.underline = false;
    else if (p >= 30 && p <= 37) s.fg = p - 30;
    else if (p >= 90 && p <= 97) s.fg = p - 90 + 8;
    else if (p === 39) s.fg = null;
    else if (p >= 40 && p <= 47) s.bg = p - 40;
    else if (p >= 100 && p <= 107) s.bg = p - 100 + 8;
    else if (p === 49) s.bg = null;
    else if (p === 38 || p === 48) {
      let value: number | string | null = null;
      if (params[i + 1] === 5 && params[i + 2] !== undefined) {
        value = color256(params[i + 2]!);
        i += 2;
      } else if (params[i + 1] === 2 && params[i + 4] !== undefined) {
        value = `rgb(${params[i + 2]},${params[i + 3]},${params[i + 4]})`;
        i += 4;
      }
      if (p === 38) s.fg = value;
      else s.bg = value;
    }
  }
  return s;
}

function segmentOf(text: string, s: State): AnsiSegment {
  const classes: string[] = [];
  if (s.bold) classes.push("ansi-bold");
  if (s.dim) classes.push("ansi-dim");
  if (s.italic) classes.push("ansi-italic");
  if (s.underline) classes.push("ansi-underline");
  const seg: AnsiSegment = { text, classes };
  if (typeof s.fg === "number") classes.push(`ansi-fg-${s.fg}`);
  else if (typeof s.fg === "string") seg.color = s.fg;
  if (typeof s.bg === "number") classes.push(`ansi-bg-${s.bg}`);
  else if (typeof s.bg === "string") seg.background = s.bg;
  return seg;
}

// CSI (ESC [ params final), OSC (ESC ] ... BEL or ESC \), two-character escapes, and 8-bit CSI.
const ESC = String.fromCharCode(0x1b);
const BEL = String.fromCharCode(0x07);
const CSI8 = String.fromCharCode(0x9b);
const ESCAPE = new RegExp(
  `${ESC}(?:\\[([0-9;:?]*)([@-~])|\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)?|[@-Z\\\\-_])|${CSI8}([0-9;]*)([@-~])`,
  "g",
);

/** Split a line into styled segments; `state` carries styles across lines when given. */
export function parseAnsi(line: string): AnsiSegment[] {
  const out: AnsiSegment[] = [];
  let state = fresh();
  let last = 0;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(line); m !== null; m = ESCAPE.exec(line)) {
    if (m.index > last) out.push(segmentOf(line.slice(last, m.index), state));
    last = m.index + m[0].length;
    const params = m[1] ?? m[3];
    const final = m[2] ?? m[4];
    if (final === "m" && params !== undefined) {
      state = applySgr(
        state,
        params === "" ? [] : params.split(/[;:]/).map((x) => (x === "" ? 0 : Number(x))),
      );
    }
  }
  if (last < line.length) out.push(segmentOf(line.slice(last), state));
  return out;
}

/** The line without escape sequences (for searching and error detection). */
export function stripAnsi(line: string): string {
  return line.replace(ESCAPE, "");
}
