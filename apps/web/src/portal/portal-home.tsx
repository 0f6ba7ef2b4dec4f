/** The portals you belong to, with your role, and a form to create one. */
import { type FormEvent, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { Link, navigate } from "../router.js";
import { useSignedIn } from "../session.js";
import { formatBytes } from "../viewer/format-bytes.js";
import { portalApi } from "./portal-api.js";
import { TextField } from "./text-field.js";
import { portalHref, useAction, useLoad } from "./use-load.js";

function CreatePortalForm() {
  const { csrfToken } = useSignedIn();
  const [slug, setSlug] = useState("");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [isPublic, setIsPublic] = useState(false);
  const { busy, error, run } = useAction();

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void run(async () => {
      const body = { slug: slug.trim(), name: name.trim(), description: description.trim(), isPublic };
      const { portal } = await portalApi.create(csrfToken, body);
      navigate(portalHref(portal.slug));
    });
  }

  return (
    <form className="form" onSubmit={submit} aria-label="Create portal">
      <div className="form-row">
        <label className="field field-grow">
          <span className="field-label">Slug</span>
          <input
            className="input"
            required
            pattern="[a-z0-9][a-z0-9-]*"
            title="lower-case letters, digits and dashes"
            maxLength={63}
            autoCapitalize="none"
            spellCheck={false}
            value={slug}
            onChange={(e) => setSlug(e.target.value.toLowerCase())}
          />
        </label>
        <TextField label="Name" required maxLength={200} value={name} onChange={setName} />
      </div>
      <TextField label="Description" rows={2} value={description} onChange={setDescription} />
      <label className="check check-inline">
        <input type="checkbox" checked={isPublic} onChange={(e) => setIsPublic(e.target.checked)} />
        <span>
          <strong>Public page</strong>
          <span className="muted">Anyone may see its sites, telescopes and public data packages.</span>
        </span>
      </label>
      <ErrorAlert error={error} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Creating…" : "Create portal"}
        </button>
      </div>
    </form>
  );
}

export function PortalHome() {
  const list = useLoad((signal) => portalApi.list(signal), "portals");
  const [open, setOpen] = useState("");
  return (
    <section className="page">
      <header className="page-header">
        <h1>Portals</h1>
        <p className="muted">
          Your observatories and collaborations: members, nights, datasets and data packages.
        </p>
      </header>
      <div className="grid grid-2 grid-top">
        <div className="card">
          <h2>Your portals</h2>
          <ErrorAlert error={list.error} />
          {list.value && list.value.items.length === 0 ? (
            <p className="empty">You are not a member of any portal yet. Create one, or open a public one.</p>
          ) : null}
          {list.value && list.value.items.length > 0 ? (
            <div className="table-wrap">
              <table className="table" aria-label="Your portals">
                <thead>
                  <tr>
                    <th>Portal</th>
                    <th>Role</th>
                    <th>Storage</th>
                  </tr>
                </thead>
                <tbody>
                  {list.value.items.map(({ portal, role }) => (
                    <tr key={portal.id}>
                      <td className="cell-strong">
                        <Link to={portalHref(portal.slug)}>{portal.name}</Link>{" "}
                        <span className="muted">{portal.slug}</span>
                      </td>
                      <td>
                        <span className="badge">{role}</span>
                      </td>
                      <td>
                        {formatBytes(portal.usedBytes)}
                        {portal.quotaBytes !== null ? ` of ${formatBytes(portal.quotaBytes)}` : ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <form
            className="form-row"
            aria-label="Open a portal"
            onSubmit={(e) => {
              e.preventDefault();
              if (open.trim()) navigate(portalHref(open.trim().toLowerCase()));
            }}
          >
            <label className="field field-grow">
              <span className="field-label">Open a portal by slug</span>
              <input
                className="input"
                value={open}
                onChange={(e) => setOpen(e.target.value)}
                placeholder="demo"
              />
            </label>
            <button type="submit" className="button button-secondary portal-align-end">
              Open
            </button>
          </form>
        </div>
        <div className="card">
          <h2>Create a portal</h2>
          <CreatePortalForm />
        </div>
      </div>
    </section>
  );
}
