/**
 * Markdown (the CommonMark subset pipelines write: headings, paragraphs, lists, block quotes,
 * fenced code, rules, tables; emphasis, code, links, images) rendered to React elements. Raw HTML
 * is never interpreted: it shows as text, so a README cannot run scripts. Links and images are
 * resolved inside the tree; only http(s) and mailto leave it.
 */
import type { ReactNode } from "react";
import { Link } from "../router.js";
import { fileUrl, resolveRelative, viewUrl } from "./viewer-api.js";

interface Context {
  /** Directory of the Markdown file, for relative links. */
  dir: string;
}

type Block =
  | { type: "heading"; level: number; text: string }
  | { type: "paragraph"; text: string }
  | { type: "code"; lang: string; text: string }
  | { type: "quote"; lines: string[] }
  | { type: "list"; ordered: boolean; items: string[] }
  | { type: "table"; header: string[]; rows: string[][] }
  | { type: "rule" };

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((c) => c.trim());
}

/** Split Markdown text into blocks. */
export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "") {
      i++;
      continue;
    }
    const fence = /^\s*(```|~~~)\s*([\w+-]*)/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) body.push(lines[i++]!);
      i++;
      blocks.push({ type: "code", lang: fence[2] ?? "", text: body.join("\n") });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      blocks.push({ type: "heading", level: heading[1]!.length, text: heading[2]! });
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      blocks.push({ type: "rule" });
      i++;
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i]!)) quoted.push(lines[i++]!.replace(/^\s*>\s?/, ""));
      blocks.push({ type: "quote", lines: quoted });
      continue;
    }
    const bullet = /^\s*([-*+]|\d+[.)])\s+/.exec(line);
    if (bullet) {
      const ordered = /\d/.test(bullet[1]!);
      const items: string[] = [];
      while (i < lines.length) {
        const m = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(lines[i]!);
        if (m) items.push(m[2]!);
        else if (lines[i]!.trim() !== "" && /^\s{2,}/.test(lines[i]!) && items.length > 0)
          items[items.length - 1] += ` ${lines[i]!.trim()}`;
        else break;
        i++;
      }
      blocks.push({ type: "list", ordered, items });
      continue;
    }
    if (line.includes("|") && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? "")) {
      const header = splitRow(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.includes("|") && lines[i]!.trim() !== "")
        rows.push(splitRow(lines[i++]!));
      blocks.push({ type: "table", header, rows });
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      lines[i]!.trim() !== "" &&
      !/^(#{1,6}\s|\s*```|\s*~~~|\s*>|\s*([-*+]|\d+[.)])\s)/.test(lines[i]!)
    )
      para.push(lines[i++]!.trim());
    blocks.push({ type: "paragraph", text: para.join(" ") });
  }
  return blocks;
}

function safeHref(href: string, ctx: Context): { external: boolean; to: string } | null {
  if (/^(https?:|mailto:)/i.test(href)) return { external: true, to: href };
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) return null;
  const [pathPart, hash] = href.split("#", 2);
  if (pathPart === "" || pathPart === undefined) return hash ? { external: true, to: `#${hash}` } : null;
  const resolved = resolveRelative(href.startsWith("/") ? "" : ctx.dir, pathPart);
  return resolved === null ? null : { external: false, to: resolved };
}

const INLINE =
  /(`+)([^`]|[^`][\s\S]*?[^`])\1|!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|(https?:\/\/[^\s<>()]+)/g;

/** Inline Markdown to React nodes (text stays text). */
export function renderInline(text: string, ctx: Context, keyPrefix = "i"): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let k = 0;
  const key = () => `${keyPrefix}-${k++}`;
  for (const m of text.matchAll(INLINE)) {
    const index = m.index ?? 0;
    if (index > last) out.push(text.slice(last, index));
    last = index + m[0].length;
    if (m[2] !== undefined) out.push(<code key={key()}>{m[2]}</code>);
    else if (m[4] !== undefined) {
      const target = safeHref(m[4], ctx);
      if (target === null || target.external) out.push(`[image: ${m[3] ?? ""}]`);
      else out.push(<img key={key()} src={fileUrl(target.to)} alt={m[3] ?? ""} className="md-image" />);
    } else if (m[6] !== undefined) {
      const target = safeHref(m[6], ctx);
      const label = renderInline(m[5] ?? "", ctx, key());
      if (target === null) out.push(<span key={key()}>{label}</span>);
      else if (target.external)
        out.push(
          <a key={key()} href={target.to} rel="noopener noreferrer" target="_blank">
            {label}
          </a>,
        );
      else
        out.push(
          <Link key={key()} to={viewUrl(target.to)}>
            {label}
          </Link>,
        );
    } else if (m[7] !== undefined || m[8] !== undefined)
      out.push(<strong key={key()}>{renderInline(m[7] ?? m[8] ?? "", ctx, key())}</strong>);
    else if (m[9] !== undefined || m[10] !== undefined)
      out.push(<em key={key()}>{renderInline(m[9] ?? m[10] ?? "", ctx, key())}</em>);
    else if (m[11] !== undefined)
      out.push(
        <a key={key()} href={m[11]} rel="noopener noreferrer" target="_blank">
          {m[11]}
        </a>,
      );
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ source, dir }: { source: string; dir: string }) {
  const ctx = { dir };
  return (
    <div className="markdown">
      {parseBlocks(source).map((b, i) => {
        const key = `b${i}`;
        switch (b.type) {
          case "heading": {
            const content = renderInline(b.text, ctx, key);
            if (b.level === 1) return <h1 key={key}>{content}</h1>;
            if (b.level === 2) return <h2 key={key}>{content}</h2>;
            if (b.level === 3) return <h3 key={key}>{content}</h3>;
            return <h4 key={key}>{content}</h4>;
          }
          case "paragraph":
            return <p key={key}>{renderInline(b.text, ctx, key)}</p>;
          case "code":
            return (
              <pre key={key} className="md-code" data-lang={b.lang || undefined}>
                <code>{b.text}</code>
              </pre>
            );
          case "quote":
            return (
              <blockquote key={key}>
                <Markdown source={b.lines.join("\n")} dir={dir} />
              </blockquote>
            );
          case "list": {
            const items = b.items.map((item, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: blocks of one document are positional.
              <li key={`${key}-${j}`}>{renderInline(item, ctx, `${key}-${j}`)}</li>
            ));
            return b.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
          }
          case "table":
            return (
              <div key={key} className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      {b.header.map((h, j) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: blocks of one document are positional.
                        <th key={`${key}-h${j}`}>{renderInline(h, ctx, `${key}-h${j}`)}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {b.rows.map((row, r) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: blocks of one document are positional.
                      <tr key={`${key}-r${r}`}>
                        {row.map((c, j) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: blocks of one document are positional.
                          <td key={`${key}-r${r}-${j}`}>{renderInline(c, ctx, `${key}-r${r}-${j}`)}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          default:
            return <hr key={key} />;
        }
      })}
    </div>
  );
}
