/** Datasets: pick one, see its files (sortable, paged), open a file's headers. */
import { type FormEvent, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { formatDate } from "../format.js";
import { navigate } from "../router.js";
import { useSession } from "../session.js";
import { FilesTable } from "./files-table.js";
import { HeaderViewer } from "./header-viewer.js";
import { call, type DataFile, portalApi, portalUrl } from "./portal-api.js";
import type { TabProps } from "./portal-view.js";
import { PickField, splitList, TextField } from "./text-field.js";
import { portalHref, ROLE_RANK, useAction, useLoad } from "./use-load.js";

/** Members make a dataset ahead of uploads, with the telescope its frames come from (their night logs follow it). */
function NewDatasetForm({
  org,
  page,
  onCreated,
}: {
  org: string;
  page: TabProps["page"];
  onCreated(id: string): void;
}) {
  const { csrfToken } = useSession();
  const [name, setName] = useState("");
  const [telescopeId, setTelescopeId] = useState("");
  const [description, setDescription] = useState("");
  const [tags, setTags] = useState("");
  const { busy, error, run } = useAction();

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void run(async () => {
      const body = {
        name: name.trim(),
        telescopeId: telescopeId || null,
        description,
        tags: splitList(tags),
      };
      const { dataset } = await call<{ dataset: { id: string } }>(
        "POST",
        portalUrl(org, "/datasets"),
        csrfToken,
        body,
      );
      setName("");
      setDescription("");
      setTags("");
      onCreated(dataset.id);
    });
  }

  return (
    <form className="form" onSubmit={submit} aria-label="New dataset">
      <div className="form-row">
        <TextField label="Dataset name" required maxLength={200} value={name} onChange={setName} />
        <PickField
          label="Telescope"
          value={telescopeId}
          onChange={setTelescopeId}
          items={page.telescopes}
          none="from each file's TELESCOP"
        />
        <TextField label="Tags (comma-separated)" value={tags} onChange={setTags} />
      </div>
      <TextField label="Dataset description" rows={2} value={description} onChange={setDescription} />
      <ErrorAlert error={error} />
      <div className="form-actions">
        <button type="submit" className="button button-secondary" disabled={busy}>
          Create dataset
        </button>
      </div>
    </form>
  );
}

export function DatasetsTab({ org, page, params }: TabProps) {
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
      {ROLE_RANK[page.role] >= ROLE_RANK.member ? (
        <div className="card">
          <h2>New dataset</h2>
          <NewDatasetForm
            org={org}
            page={page}
            onCreated={(id) => {
              datasets.reload();
              navigate(portalHref(org, "datasets", { dataset: id }));
            }}
          />
        </div>
      ) : null}
      {file ? <HeaderViewer org={org} file={file} onClose={() => setFile(null)} /> : null}
    </div>
  );
}
