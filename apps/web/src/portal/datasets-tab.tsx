/** Datasets: pick one, see its files (sortable, paged), open a file's headers. */
import { useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { formatDate } from "../format.js";
import { navigate } from "../router.js";
import { FilesTable } from "./files-table.js";
import { HeaderViewer } from "./header-viewer.js";
import { type DataFile, portalApi } from "./portal-api.js";
import type { TabProps } from "./portal-view.js";
import { portalHref, useLoad } from "./use-load.js";

export function DatasetsTab({ org, params }: TabProps) {
  const datasets = useLoad((signal) => portalApi.datasets(org, signal), `datasets:${org}`);
  const [file, setFile] = useState<DataFile | null>(null);
  const chosen = params.get("dataset");
  const dataset = datasets.value?.items.find((d) => d.id === chosen) ?? null;
  return (
    <div className="grid grid-top">
      <div className="card">
        <h2>Datasets</h2>
        <ErrorAlert error={datasets.error} />
        {datasets.value && datasets.value.items.length === 0 ? (
          <p className="empty">No datasets yet: upload files to create one.</p>
        ) : null}
        <div className="chips">
          {datasets.value?.items.map((d) => (
            <button
              key={d.id}
              type="button"
              className={d.id === chosen ? "chip portal-chip-active" : "chip"}
              aria-pressed={d.id === chosen}
              onClick={() => {
                setFile(null);
                navigate(portalHref(org, "datasets", { dataset: d.id }));
              }}
            >
              {d.name}
            </button>
          ))}
        </div>
        {dataset ? (
          <>
            <p className="muted">
              {dataset.description || "No description."}{" "}
              {dataset.tags.length ? `Tags: ${dataset.tags.join(", ")}. ` : ""}
              Created {formatDate(dataset.createdAt)}.
            </p>
            <FilesTable
              org={org}
              search={{ dataset: dataset.id }}
              onOpen={setFile}
              label={`Files of ${dataset.name}`}
            />
          </>
        ) : null}
      </div>
      {file ? <HeaderViewer org={org} file={file} onClose={() => setFile(null)} /> : null}
    </div>
  );
}
