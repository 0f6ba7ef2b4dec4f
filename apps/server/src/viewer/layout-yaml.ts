/**
 * The YAML subset a `meridian-view.yaml` layout needs (YAML 1.2 block style): nested mappings
 * and sequences by indentation, `- ` items, `key: value` pairs, plain, single- and double-quoted
 * scalars, numbers, booleans, null, `#` comments and flow lists of scalars (`[a, b]`). Anchors,
 * tags, multi-line scalars and flow mappings are not supported and are reported with their line.
 */

export class LayoutYamlError extends Error {
  override readonly name = "LayoutYamlError";
  readonly code = "BAD_LAYOUT" as const;
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

interface Line {
  readonly indent: number;
  readonly text: string;
  readonly number: number;
}

function stripComment(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || text[i - 1] === " " || text[i - 1] === "\t")) return text.slice(0, i);
  }
  return text;
}

function scalar(raw: string, line: number): unknown {
  const t = raw.trim();
  if (t === "" || t === "~" || t === "null") return null;
  if (t === "true") return true;
  if (t === "false") return false;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  if (t.startsWith('"')) {
    if (!t.endsWith('"') || t.length < 2)
      throw new LayoutYamlError("unterminated double-quoted string", line);
    try {
      return JSON.parse(t) as unknown;
    } catch {
      throw new LayoutYamlError("bad escape in double-quoted string", line);
    }
  }
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2)
      throw new LayoutYamlError("unterminated single-quoted string", line);
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (t.startsWith("[")) {
    if (!t.endsWith("]")) throw new LayoutYamlError("unterminated flow list", line);
    const inner = t.slice(1, -1).trim();
    return inner === "" ? [] : inner.split(",").map((x) => scalar(x, line));
  }
  if (/^[&*!|>{]/.test(t)) throw new LayoutYamlError(`unsupported YAML feature "${t[0]}"`, line);
  return t;
}

/** Parse a YAML layout document into plain values. */
export function parseLayoutYaml(text: string): unknown {
  const lines: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.includes("\t") && /^\s*\t/.test(raw))
      throw new LayoutYamlError("tabs are not allowed for indentation", i + 1);
    const body = stripComment(raw).replace(/\s+$/, "");
    if (body.trim() === "" || body.trim() === "---") return;
    lines.push({ indent: body.length - body.trimStart().length, text: body.trim(), number: i + 1 });
  });
  let pos = 0;

  function block(): unknown {
    const first = lines[pos];
    if (first === undefined) return null;
    if (first.text.startsWith("- ") || first.text === "-") return sequence(first.indent);
    return mapping(first.indent);
  }

  function sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    while (pos < lines.length) {
      const l = lines[pos]!;
      if (l.indent < indent) break;
      if (l.indent > indent) throw new LayoutYamlError("unexpected indentation", l.number);
      if (!(l.text.startsWith("- ") || l.text === "-")) break;
      const rest = l.text === "-" ? "" : l.text.slice(2);
      if (rest.trim() === "") {
        pos++;
        out.push(pos < lines.length && lines[pos]!.indent > indent ? block() : null);
      } else if (rest.startsWith("- ") || rest === "-") {
        // "- - x": a sequence inside a sequence, its items lining up with the inner dash.
        const inner = indent + (l.text.length - rest.length);
        lines[pos] = { indent: inner, text: rest, number: l.number };
        out.push(sequence(inner));
      } else if (/^[^'"[\]{}#&*!|>][^:]*:(\s|$)/.test(rest)) {
        // "- key: value" starts a mapping whose keys line up with "key".
        const inner = indent + (l.text.length - rest.length);
        lines[pos] = { indent: inner, text: rest.trim(), number: l.number };
        out.push(mapping(inner));
      } else {
        out.push(scalar(rest, l.number));
        pos++;
      }
    }
    return out;
  }

  function mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (pos < lines.length) {
      const l = lines[pos]!;
      if (l.indent < indent) break;
      if (l.indent > indent) throw new LayoutYamlError("unexpected indentation", l.number);
      if (l.text.startsWith("- ")) break;
      const m = /^("[^"]*"|'[^']*'|[^:]+?)\s*:(?:\s+(.*)|)$/.exec(l.text);
      if (m === null)
        throw new LayoutYamlError(`expected "key: value", found ${JSON.stringify(l.text)}`, l.number);
      const key = String(scalar(m[1]!, l.number));
      if (Object.hasOwn(out, key)) throw new LayoutYamlError(`duplicate key "${key}"`, l.number);
      pos++;
      const value = m[2];
      if (value === undefined || value.trim() === "") {
        const next = lines[pos];
        if (
          next !== undefined &&
          (next.indent > indent || (next.indent === indent && next.text.startsWith("- ")))
        ) {
          out[key] = block();
        } else out[key] = null;
      } else out[key] = scalar(value, l.number);
    }
    return out;
  }

  const doc = block();
  if (pos < lines.length) throw new LayoutYamlError("unexpected content", lines[pos]!.number);
  return doc;
}
