/**
 * Data packages: the list, one package's files and manifest, freeze, share (visibility and
 * embargo) and download; {@link NewPackageForm} makes one from a selection or a search.
 */
import { type FormEvent, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { formatDate, formatDateTime } from "../format.js";
import { Link, navigate } from "../router.js";
import { useSession } from "../session.js";
import { formatBytes } from "../viewer/format-bytes.js";
import { type DataPackage, type FileSearch, portalApi, type Visibility } from "./portal-api.js";
import type { TabProps } from "./portal-view.js";
import { SimpleTable } from "./simple-table.js";
import { splitList, TextField } from "./text-field.js";
import { portalHref, ROLE_RANK, useAction, useLoad } from "./use-load.js";

export function NewPackageForm({
  org,
  selection,
  search,
  onCreated,
}: {
  org: string;
  selection: string[];
  search: FileSearch;
  onCreated(id: string): void;
}) {
  const { csrfToken } = useSession();
  const [title, setTitle] = useState("");
  const [authors, setAuthors] = useState("");
  const [licence, setLicence] = useState("CC-BY-4.0");
  const [description, setDescription] = useState("");
  const [from, setFrom] = useState<"selection" | "search">("selection");
  const { busy, error, run } = useAction();
  const source = selection.length === 0 ? "search" : from;

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void run(async () => {
      const created = await portalApi.createPackage(csrfToken, org, {
        title: title.trim(),
        description: description.trim(),
        licence: licence.trim(),
        authors: splitList(authors),
        ...(source === "selection" ? { fileIds: selection } : { search }),
      });
      onCreated(created.package.id);
    });
  }

  return (
    <form className="form" onSubmit={submit} aria-label="New data package">
      <div className="form-row">
        <TextField label="Title" required maxLength={300} value={title} onChange={setTitle} />
        <TextField label="Authors (comma-separated)" value={authors} onChange={setAuthors} />
        <TextField label="Licence" grow={false} value={licence} onChange={setLicence} />
      </div>
      <TextField label="Description" rows={2} value={description} onChange={setDescription} />
      <fieldset className="portal-fieldset">
        <legend className="field-label">Files</legend>
        <label className="check check-inline">
          <input
            type="radio"
            name="package-source"
            disabled={selection.length === 0}
            checked={source === "selection"}
            onChange={() => setFrom("selection")}
          />
          <span>The {selection.length} selected files</span>
        </label>
        <label className="check check-inline">
          <input
            type="radio"
            name="package-source"
            checked={source === "search"}
            onChange={() => setFrom("search")}
          />
          <span>Every file this search finds</span>
        </label>
      </fieldset>
      <ErrorAlert error={error} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Creating…" : "Create package"}
        </button>
      </div>
    </form>
  );
}

function ShareForm({ org, pkg, onSaved }: { org: string; pkg: DataPackage; onSaved(): void }) {
  const { csrfToken } = useSession();
  const [visibility, setVisibility] = useState<Visibility>(pkg.visibility);
  const [embargo, setEmbargo] = useState(pkg.embargoUntil?.slice(0, 10) ?? "");
  const { error, run } = useAction();
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setSaved(false);
    const embargoUntil = embargo ? new Date(`${embargo}T00:00:00Z`).toISOString() : null;
    if (await run(() => portalApi.updatePackage(csrfToken, org, pkg.id, { visibility, embargoUntil }))) {
      setSaved(true);
      onSaved();
    }
  }

  return (
    <form className="form" onSubmit={submit} aria-label="Share">
      <div className="form-row">
        <label className="field field-grow">
          <span className="field-label">Visibility</span>
          <select
            className="input"
            value={visibility}
            onChange={(e) => setVisibility(e.target.value as Visibility)}
          >
            <option value="private">private (you and the admins)</option>
            <option value="organisation">organisation (every member)</option>
            <option value="public" disabled={!pkg.frozenAt}>
              public (anyone; frozen packages only)
            </option>
          </select>
        </label>
        <label className="field field-grow">
          <span className="field-label">Embargo until (UTC, optional)</span>
          <input className="input" type="date" value={embargo} onChange={(e) => setEmbargo(e.target.value)} />
        </label>
      </div>
      <ErrorAlert error={error} />
      {saved ? (
        <div className="alert alert-ok" role="status">
          Sharing saved.
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-secondary">
          Save sharing
        </button>
      </div>
    </form>
  );
}

function PackageDetail({
  org,
  id,
  canWrite,
  onChanged,
}: {
  org: string;
  id: string;
  canWrite: boolean;
  onChanged(): void;
}) {
  const { csrfToken } = useSession();
  const loaded = useLoad(() => portalApi.package(org, id), `package:${org}:${id}`);
  const data = loaded.value;
  const action = useAction();
  const error = action.error ?? loaded.error;

  async function act(work: () => Promise<unknown>): Promise<void> {
    if (await action.run(work)) {
      loaded.reload();
      onChanged();
    }
  }

  if (!data) return <ErrorAlert error={error} />;
  const pkg = data.package;
  const total = data.files.reduce((s, f) => s + f.size, 0);
  return (
    <section className="card" aria-label={`Package ${pkg.title}`}>
      <div className="card-header">
        <h2>{pkg.title}</h2>
        <span className={pkg.frozenAt ? "badge badge-ok" : "badge badge-warn"} data-testid="package-state">
          {pkg.frozenAt ? "frozen" : "draft"}
        </span>
      </div>
      <dl className="facts">
        <div>
          <dt>Authors</dt>
          <dd>{pkg.authors.join(", ") || "—"}</dd>
        </div>
        <div>
          <dt>Licence</dt>
          <dd>{pkg.licence || "—"}</dd>
        </div>
        <div>
          <dt>Files</dt>
          <dd data-testid="package-count">
            {data.files.length} ({formatBytes(total)})
          </dd>
        </div>
        <div>
          <dt>Visibility</dt>
          <dd>
            {pkg.visibility}
            {pkg.embargoUntil ? `, embargo until ${formatDate(pkg.embargoUntil)}` : ""}
          </dd>
        </div>
        {pkg.manifestSha256 ? (
          <div className="portal-span">
            <dt>Manifest SHA-256</dt>
            <dd className="portal-mono" data-testid="manifest-sha256">
              {pkg.manifestSha256}
            </dd>
          </div>
        ) : null}
      </dl>
      <ErrorAlert error={error} />
      <div className="form-actions">
        {canWrite && !pkg.frozenAt ? (
          <button
            type="button"
            className="button"
            onClick={() => void act(() => portalApi.freeze(csrfToken, org, pkg.id))}
          >
            Freeze
          </button>
        ) : null}
        {pkg.frozenAt ? (
          <a className="button" href={portalApi.downloadUrl(org, pkg.id)} download>
            Download (tar)
          </a>
        ) : (
          <span className="muted">Freeze the package to download or publish it.</span>
        )}
        {canWrite ? (
          <button
            type="button"
            className="button button-danger-quiet"
            onClick={() =>
              void act(async () => {
                await portalApi.deletePackage(csrfToken, org, pkg.id);
                navigate(portalHref(org, "packages"));
              })
            }
          >
            Delete package
          </button>
        ) : null}
      </div>
      {canWrite ? (
        <ShareForm key={`${pkg.id}:${pkg.frozenAt}`} org={org} pkg={pkg} onSaved={loaded.reload} />
      ) : null}
      <SimpleTable
        label="Package files"
        className="table-wrap portal-header-table"
        rows={data.files}
        rowKey={(f) => f.fileId}
        columns={[
          { head: "Name", cell: (f) => f.name },
          { head: "Size", cell: (f) => formatBytes(f.size) },
          { head: "SHA-256", cell: (f) => f.sha256, className: "portal-mono" },
        ]}
      />
    </section>
  );
}

export function PackagesTab({ org, page, params }: TabProps) {
  const list = useLoad((signal) => portalApi.packages(org, signal), `packages:${org}`);
  const chosen = params.get("package");
  const canWrite = ROLE_RANK[page.role] >= ROLE_RANK.member;
  return (
    <div className="grid grid-top">
      <div className="card">
        <h2>Data packages</h2>
        <p className="muted card-intro">
          Make one from the <Link to={portalHref(org, "search")}>search</Link>: select files or take every
          match.
        </p>
        <ErrorAlert error={list.error} />
        {list.value && list.value.packages.length === 0 ? (
          <p className="empty">No data packages yet.</p>
        ) : null}
        {list.value && list.value.packages.length > 0 ? (
          <SimpleTable
            label="Data packages"
            rows={list.value.packages}
            rowKey={(p) => p.id}
            rowProps={(p) => ({ className: p.id === chosen ? "portal-row-active" : undefined })}
            columns={[
              {
                head: "Title",
                cell: (p) => <Link to={portalHref(org, "packages", { package: p.id })}>{p.title}</Link>,
              },
              { head: "State", cell: (p) => (p.frozenAt ? `frozen ${formatDateTime(p.frozenAt)}` : "draft") },
              { head: "Visibility", cell: (p) => p.visibility },
              { head: "Embargo", cell: (p) => formatDate(p.embargoUntil) },
              { head: "Created", cell: (p) => formatDate(p.createdAt) },
            ]}
          />
        ) : null}
      </div>
      {chosen ? (
        <PackageDetail key={chosen} org={org} id={chosen} canWrite={canWrite} onChanged={list.reload} />
      ) : null}
    </div>
  );
}
