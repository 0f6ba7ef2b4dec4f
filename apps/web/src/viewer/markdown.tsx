/**
 * Markdown (the CommonMark subset pipelines write: headings, paragraphs, lists, block quotes,
 * fenced code, rules, tables; emphasis, code, links, images) rendered to React elements. Raw HTML
 * is never interpreted: it shows as text, so a README cannot run scripts. Links and images are
 * resolved inside the tree; only http(s) and mailto leave it.
 */
import type { ReactNode } from "react";
import { Link } from "../router.js";
import { parseBlocks } from "./markdown-blocks.js";
import { fileUrl, resolveRelative, viewUrl } from "./viewer-api.js";

interface Context {
  /** Directory of the Markdown file, for relative links. */
  dir: string;
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
