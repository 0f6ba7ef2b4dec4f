/**
 * Jupyter notebooks (nbformat 4), read-only: Markdown cells rendered safely, code cells with
 * their outputs: streams and tracebacks (ANSI colours), PNG/JPEG images, plain text. HTML and
 * JavaScript outputs are not run; their text form is shown instead.
 */
import { AnsiLine } from "./log-lines.js";
import { Markdown } from "./markdown.js";

type MultiLine = string | string[];
const text = (t: MultiLine | undefined): string => (t === undefined ? "" : Array.isArray(t) ? t.join("") : t);

interface Output {
  output_type?: string;
  name?: string;
  text?: MultiLine;
  data?: Record<string, MultiLine>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

interface Cell {
  cell_type?: string;
  source?: MultiLine;
  execution_count?: number | null;
  outputs?: Output[];
}

function Ansi({ value }: { value: string }) {
  return (
    <pre className="nb-output-text">
      {value.split("\n").map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of one output are positional.
        <span key={i}>
          <AnsiLine text={line} />
          {"\n"}
        </span>
      ))}
    </pre>
  );
}

function OutputView({ output }: { output: Output }) {
  if (output.output_type === "stream") return <Ansi value={text(output.text)} />;
  if (output.output_type === "error")
    return <Ansi value={(output.traceback ?? [`${output.ename}: ${output.evalue}`]).join("\n")} />;
  const data = output.data ?? {};
  for (const type of ["image/png", "image/jpeg"] as const) {
    const b64 = data[type];
    if (b64 !== undefined) {
      return (
        <img
          className="nb-image"
          alt="cell output"
          src={`data:${type};base64,${text(b64).replace(/\s/g, "")}`}
        />
      );
    }
  }
  if (data["text/markdown"] !== undefined) return <Markdown source={text(data["text/markdown"])} dir="" />;
  if (data["text/plain"] !== undefined) return <Ansi value={text(data["text/plain"])} />;
  return <p className="muted">(output of type {Object.keys(data).join(", ") || "unknown"} not shown)</p>;
}

export function NotebookView({ source, dir }: { source: string; dir: string }) {
  let doc: { cells?: Cell[]; metadata?: { kernelspec?: { display_name?: string } } };
  try {
    doc = JSON.parse(source) as typeof doc;
  } catch (err) {
    return <p className="alert alert-error">This notebook is not valid JSON: {(err as Error).message}</p>;
  }
  const cells = doc.cells ?? [];
  return (
    <div className="notebook">
      <p className="muted">
        {cells.length} cells
        {doc.metadata?.kernelspec?.display_name ? ` · ${doc.metadata.kernelspec.display_name}` : ""} ·
        read-only
      </p>
      {cells.map((cell, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional.
        <div key={i} className={`nb-cell nb-${cell.cell_type ?? "raw"}`}>
          {cell.cell_type === "markdown" ? (
            <Markdown source={text(cell.source)} dir={dir} />
          ) : cell.cell_type === "code" ? (
            <>
              <div className="nb-input">
                <span className="nb-prompt">In [{cell.execution_count ?? " "}]:</span>
                <pre className="nb-source">
                  <code>{text(cell.source)}</code>
                </pre>
              </div>
              {(cell.outputs ?? []).map((o, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: outputs are positional.
                <div key={j} className="nb-output">
                  <OutputView output={o} />
                </div>
              ))}
            </>
          ) : (
            <pre className="nb-source">{text(cell.source)}</pre>
          )}
        </div>
      ))}
    </div>
  );
}
