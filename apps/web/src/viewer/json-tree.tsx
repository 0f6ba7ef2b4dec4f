/** JSON as a collapsible tree: objects and arrays fold; the first two levels start open. */
import { useState } from "react";

const CHUNK = 200;

function Leaf({ value }: { value: unknown }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === "string") return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === "number") return <span className="json-number">{String(value)}</span>;
  if (typeof value === "boolean") return <span className="json-boolean">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

function Node({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  const [shown, setShown] = useState(CHUNK);
  const label = name === null ? null : <span className="json-key">{name}: </span>;
  if (value === null || typeof value !== "object") {
    return (
      <div className="json-row">
        {label}
        <Leaf value={value} />
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries: [string, unknown][] = isArray
    ? (value as unknown[]).map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  const summary = isArray ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <details className="json-node" open={depth < 2}>
      <summary>
        {label}
        <span className="json-summary">{summary}</span>
      </summary>
      <div className="json-children">
        {entries.slice(0, shown).map(([k, v]) => (
          <Node key={k} name={k} value={v} depth={depth + 1} />
        ))}
        {entries.length > shown ? (
          <button type="button" className="button-link" onClick={() => setShown(shown + CHUNK)}>
            Show {Math.min(CHUNK, entries.length - shown)} more of {entries.length - shown}
          </button>
        ) : null}
      </div>
    </details>
  );
}

export function JsonTree({ value }: { value: unknown }) {
  return (
    <div className="json-tree">
      <Node name={null} value={value} depth={0} />
    </div>
  );
}
