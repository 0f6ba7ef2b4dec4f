/**
 * Search a portal's files: object, cone, dates, filter, exposure, instrument, frame type, dataset
 * and header conditions; the results table; a data package from the selection or from the search.
 */
import { type FormEvent, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { navigate } from "../router.js";
import { FilesTable } from "./files-table.js";
import { HeaderViewer } from "./header-viewer.js";
import { NewPackageForm } from "./packages-tab.js";
import { type DataFile, type FileSearch, portalApi } from "./portal-api.js";
import type { TabProps } from "./portal-view.js";
import { EMPTY_FIELDS, FRAME_TYPES, type SearchFields, toSearch } from "./search-form.js";
import { PickField, TextField } from "./text-field.js";
import { portalHref, ROLE_RANK, useLoad } from "./use-load.js";

export function SearchTab({ org, page }: TabProps) {
  const datasets = useLoad((signal) => portalApi.datasets(org, signal), `datasets:${org}`);
  const [fields, setFields] = useState<SearchFields>(EMPTY_FIELDS);
  const [search, setSearch] = useState<FileSearch | null>(null);
  const [round, setRound] = useState(0);
  const [formError, setFormError] = useState<unknown>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [file, setFile] = useState<DataFile | null>(null);
  const set = (k: keyof SearchFields) => (v: string) => setFields({ ...fields, [k]: v });
  const canWrite = ROLE_RANK[page.role] >= ROLE_RANK.member;

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    try {
      setSearch(toSearch(fields));
      setRound(round + 1);
      setFormError(null);
      setFile(null);
    } catch (err) {
      setFormError(err);
    }
  }

  return (
    <div className="grid grid-top">
      <form className="card form" onSubmit={submit} aria-label="Search files">
        <h2>Search files</h2>
        <div className="form-row">
          <TextField
            label="Object"
            value={fields.object}
            onChange={set("object")}
            placeholder="NGC* or M 42"
          />
          <TextField label="RA" value={fields.ra} onChange={set("ra")} placeholder="83.82 or 05:35:17.3" />
          <TextField label="Dec" value={fields.dec} onChange={set("dec")} placeholder="-5.39 or -05:23:28" />
          <TextField
            label="Radius"
            value={fields.radius}
            onChange={set("radius")}
            placeholder={'0.5 or 10arcmin or 30"'}
          />
        </div>
        <div className="form-row">
          <TextField
            label="From (DATE-OBS)"
            value={fields.from}
            onChange={set("from")}
            placeholder="2026-11-24"
          />
          <TextField
            label="Before"
            value={fields.to}
            onChange={set("to")}
            placeholder="2026-11-25T12:00:00Z"
          />
          <TextField label="Filter" value={fields.filter} onChange={set("filter")} placeholder="V" />
          <TextField label="Instrument" value={fields.instrument} onChange={set("instrument")} />
        </div>
        <div className="form-row">
          <TextField
            label="Exposure from (s)"
            value={fields.exptimeMin}
            onChange={set("exptimeMin")}
            type="number"
          />
          <TextField
            label="Exposure to (s)"
            value={fields.exptimeMax}
            onChange={set("exptimeMax")}
            type="number"
          />
          <PickField
            label="Dataset"
            value={fields.dataset}
            onChange={set("dataset")}
            items={datasets.value?.items ?? []}
            none="any"
          />
        </div>
        <fieldset className="portal-fieldset">
          <legend className="field-label">Frame type</legend>
          {FRAME_TYPES.map((t) => (
            <label key={t} className="check check-inline">
              <input
                type="checkbox"
                checked={fields.frameTypes.includes(t)}
                onChange={(e) =>
                  setFields({
                    ...fields,
                    frameTypes: e.target.checked
                      ? [...fields.frameTypes, t]
                      : fields.frameTypes.filter((x) => x !== t),
                  })
                }
              />
              <span>{t}</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span className="field-label">
            Header conditions, one per line (KEYWORD=value, !=, &gt;, &gt;=, &lt;, &lt;=)
          </span>
          <textarea
            className="input portal-mono"
            rows={2}
            spellCheck={false}
            value={fields.header}
            placeholder={"EXPTIME>30\nIMAGETYP=Light*"}
            onChange={(e) => set("header")(e.target.value)}
          />
        </label>
        <ErrorAlert error={formError} />
        <div className="form-actions">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setFields(EMPTY_FIELDS);
              setSearch(null);
              setSelected(new Set());
            }}
          >
            Clear
          </button>
          <button type="submit" className="button">
            Search
          </button>
        </div>
      </form>
      {search ? (
        <div className="card">
          <h2>Results</h2>
          <FilesTable
            org={org}
            search={search}
            round={round}
            selected={selected}
            onSelect={setSelected}
            onOpen={setFile}
            label="Search results"
          />
        </div>
      ) : null}
      {file ? <HeaderViewer org={org} file={file} onClose={() => setFile(null)} /> : null}
      {search && canWrite ? (
        <div className="card">
          <h2>Make a data package</h2>
          <NewPackageForm
            org={org}
            selection={[...selected]}
            search={search}
            onCreated={(id) => navigate(portalHref(org, "packages", { package: id }))}
          />
        </div>
      ) : null}
    </div>
  );
}
