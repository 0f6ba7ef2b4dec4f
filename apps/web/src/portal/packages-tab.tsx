/**
 * Data packages: the list, one package's files and manifest, freeze, share (visibility and
 * embargo) and download; {@link NewPackageForm} makes one from a selection or a search.
 */
import { type FormEvent, useEffect, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { formatDate, formatDateTime } from "../format.js";
import { Link, navigate } from "../router.js";
import { useSession } from "../session.js";
import { formatBytes } from "../viewer/format-bytes.js";
import {
  type DataPackage,
  type FileSearch,
  type PackageFile,
  portalApi,
  type Visibility,
} from "./portal-api.js";
import type { TabProps } from "./portal-view.js";
import { portalHref, ROLE_RANK, useLoad } from "./use-load.js";

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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const source = selection.length === 0 ? "search" : from;

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await portalApi.createPackage(csrfToken, org, {
        title: title.trim(),
        description: description.trim(),
        licence: licence.trim(),
        authors: authors
          .split(/[;,]/)
          .map((a) => a.trim())
          .filter((a) => a !== ""),
        ...(source === "selection" ? { fileIds: selection } : { search }),
      });
      onCreated(created.package.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={submit} aria-label="New data package">
      <div className="form-row">
        <label className="field field-grow">
          <span className="field-label">Title</span>
          <input
            className="input"
            required
            maxLength={300}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>
        <label className="field field-grow">
          <span className="field-label">Authors (comma-separated)</span>
          <input className="input" value={authors} onChange={(e) => setAuthors(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Licence</span>
          <input className="input" value={licence} onChange={(e) => setLicence(e.target.value)} />
        </label>
      </div>
      <label className="field">
        <span className="field-label">Description</span>
        <textarea
          className="input"
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
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
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setError(null);
    setSaved(false);
    try {
      await portalApi.updatePackage(csrfToken, org, pkg.id, {
        visibility,
        embargoUntil: embargo ? new Date(`${embargo}T00:00:00Z`).toISOString() : null,
      });
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err);
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
  const [data, setData] = useState<{ package: DataPackage; files: PackageFile[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` reloads.
  useEffect(() => {
    let live = true;
    portalApi.package(org, id).then(
      (d) => live && setData(d),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [org, id, round]);

  async function act(work: () => Promise<unknown>): Promise<void> {
    setError(null);
    try {
      await work();
      setRound((r) => r + 1);
      onChanged();
    } catch (err) {
      setError(err);
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
        <ShareForm
          key={`${pkg.id}:${pkg.frozenAt}`}
          org={org}
          pkg={pkg}
          onSaved={() => setRound((r) => r + 1)}
        />
      ) : null}
      <div className="table-wrap portal-header-table">
        <table className="table" aria-label="Package files">
          <thead>
            <tr>
              <th>Name</th>
              <th>Size</th>
              <th>SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {data.files.map((f) => (
              <tr key={f.fileId}>
                <td className="cell-strong">{f.name}</td>
                <td>{formatBytes(f.size)}</td>
                <td className="portal-mono">{f.sha256}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
          <div className="table-wrap">
            <table className="table" aria-label="Data packages">
              <thead>
                <tr>
                  <th>Title</th>
                  <th>State</th>
                  <th>Visibility</th>
                  <th>Embargo</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                {list.value.packages.map((p) => (
                  <tr key={p.id} className={p.id === chosen ? "portal-row-active" : undefined}>
                    <td className="cell-strong">
                      <Link to={portalHref(org, "packages", { package: p.id })}>{p.title}</Link>
                    </td>
                    <td>{p.frozenAt ? `frozen ${formatDateTime(p.frozenAt)}` : "draft"}</td>
                    <td>{p.visibility}</td>
                    <td>{formatDate(p.embargoUntil)}</td>
                    <td>{formatDate(p.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
      {chosen ? (
        <PackageDetail key={chosen} org={org} id={chosen} canWrite={canWrite} onChanged={list.reload} />
      ) : null}
    </div>
  );
}
