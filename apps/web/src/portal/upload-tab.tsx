/**
 * Drag-and-drop (files and whole folders) or pick files or a folder; every file goes up through tus,
 * several at once, with a bar per file and one for the total. Stopping keeps what arrived: picking
 * the same files again resumes from the server's offset.
 */
import { type DragEvent, useRef, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { Link } from "../router.js";
import { useSession } from "../session.js";
import { formatBytes } from "../viewer/format-bytes.js";
import { portalApi } from "./portal-api.js";
import type { TabProps } from "./portal-view.js";
import {
  droppedEntries,
  pickedEntries,
  type UploadEntry,
  type UploadProgress,
  uploadAll,
} from "./tus-upload.js";
import { portalHref, useLoad } from "./use-load.js";

const STATUS_TEXT: Record<UploadProgress["status"], string> = {
  queued: "waiting",
  hashing: "checksum",
  uploading: "uploading",
  done: "done",
  present: "already there",
  failed: "failed",
};

function Bar({ value, max, label }: { value: number; max: number; label: string }) {
  return (
    <progress
      className="portal-progress"
      value={max === 0 ? 1 : value}
      max={max === 0 ? 1 : max}
      aria-label={label}
    />
  );
}

export function UploadTab({ org }: TabProps) {
  const { csrfToken } = useSession();
  const datasets = useLoad((signal) => portalApi.datasets(org, signal), `datasets:${org}`);
  const [dataset, setDataset] = useState("");
  const [parallel, setParallel] = useState(4);
  const [items, setItems] = useState<UploadProgress[]>([]);
  const [running, setRunning] = useState(false);
  const [over, setOver] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const stop = useRef<AbortController | null>(null);

  async function start(entries: UploadEntry[]): Promise<void> {
    setError(null);
    if (dataset.trim() === "") {
      setError(new Error("name the dataset the files go into first"));
      return;
    }
    if (entries.length === 0) return;
    const controller = new AbortController();
    stop.current = controller;
    setRunning(true);
    setItems(entries.map((e) => ({ name: e.name, size: e.file.size, sent: 0, status: "queued" })));
    try {
      await uploadAll(entries, {
        org,
        dataset: dataset.trim(),
        csrfToken,
        parallel,
        onProgress: setItems,
        signal: controller.signal,
      });
      datasets.reload();
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
      stop.current = null;
    }
  }

  async function onDrop(event: DragEvent<HTMLDivElement>): Promise<void> {
    event.preventDefault();
    setOver(false);
    if (running) return;
    try {
      await start(await droppedEntries(event.dataTransfer));
    } catch (err) {
      setError(err);
    }
  }

  const total = items.reduce((s, i) => s + i.size, 0);
  const sent = items.reduce((s, i) => s + i.sent, 0);
  const count = (st: UploadProgress["status"]) => items.filter((i) => i.status === st).length;
  const finished = count("done") + count("present") + count("failed");
  return (
    <div className="grid grid-top">
      <div className="card">
        <h2>Upload files</h2>
        <p className="card-intro muted">
          Drop files or whole folders (folder names become part of the file names, and folders such as{" "}
          <code>bias/</code> or <code>flats/</code> give the frame type). Uploads resume: if one stops, choose
          the same files again.
        </p>
        <div className="form-row">
          <label className="field field-grow">
            <span className="field-label">Dataset</span>
            <input
              className="input"
              list="portal-datasets"
              required
              value={dataset}
              placeholder="Night 2026-11-24"
              onChange={(e) => setDataset(e.target.value)}
            />
            <datalist id="portal-datasets">
              {datasets.value?.items.map((d) => (
                <option key={d.id} value={d.name} />
              ))}
            </datalist>
          </label>
          <label className="field">
            <span className="field-label">Files at once</span>
            <select className="input" value={parallel} onChange={(e) => setParallel(Number(e.target.value))}>
              {[1, 2, 4, 6, 8].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </div>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: the inputs below are the keyboard path. */}
        <div
          className={over ? "portal-drop portal-drop-over" : "portal-drop"}
          data-testid="drop-zone"
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => void onDrop(e)}
        >
          <strong>Drop files or folders here</strong>
          <span className="muted">or</span>
          <div className="form-actions">
            <label className="button button-secondary">
              Choose files
              <input
                type="file"
                multiple
                hidden
                disabled={running}
                aria-label="Choose files"
                onChange={(e) => {
                  if (e.target.files) void start(pickedEntries(e.target.files));
                  e.target.value = "";
                }}
              />
            </label>
            <label className="button button-secondary">
              Choose a folder
              <input
                type="file"
                hidden
                disabled={running}
                aria-label="Choose a folder"
                ref={(el) => el?.setAttribute("webkitdirectory", "")}
                onChange={(e) => {
                  if (e.target.files) void start(pickedEntries(e.target.files));
                  e.target.value = "";
                }}
              />
            </label>
            {running ? (
              <button type="button" className="button button-danger" onClick={() => stop.current?.abort()}>
                Stop
              </button>
            ) : null}
          </div>
        </div>
        <ErrorAlert error={error} />
      </div>
      {items.length > 0 ? (
        <section className="card" aria-label="Upload progress">
          <div className="portal-total">
            <strong data-testid="upload-summary">
              {finished} of {items.length} files · {formatBytes(sent)} of {formatBytes(total)}
              {running
                ? ""
                : ` · ${count("done")} uploaded, ${count("present")} already there, ${count("failed")} failed`}
            </strong>
            <Bar value={sent} max={total} label="Total progress" />
          </div>
          <div className="table-wrap portal-upload-list">
            <table className="table" aria-label="Files being uploaded">
              <thead>
                <tr>
                  <th>File</th>
                  <th>Size</th>
                  <th>Progress</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.name} data-upload={i.name} data-status={i.status}>
                    <td className="cell-strong">{i.name}</td>
                    <td>{formatBytes(i.size)}</td>
                    <td>
                      <Bar value={i.sent} max={i.size} label={`Progress of ${i.name}`} />
                    </td>
                    <td>
                      <span
                        className={
                          i.status === "failed"
                            ? "badge badge-error"
                            : i.status === "done" || i.status === "present"
                              ? "badge badge-ok"
                              : "badge"
                        }
                      >
                        {STATUS_TEXT[i.status]}
                      </span>{" "}
                      {i.message ? <span className="muted">{i.message}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!running && count("done") + count("present") > 0 ? (
            <p>
              <Link to={portalHref(org, "search")}>Search the files</Link> or{" "}
              <Link to={portalHref(org, "datasets")}>open the dataset</Link>.
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
