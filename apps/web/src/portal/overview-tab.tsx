/** A portal's page: sites, telescopes, public data packages; admins switch the public page on or off. */
import { ErrorAlert } from "../components/error-alert.js";
import { formatDate } from "../format.js";
import { useSession } from "../session.js";
import { formatBytes } from "../viewer/format-bytes.js";
import { portalApi } from "./portal-api.js";
import type { TabProps } from "./portal-view.js";
import { SimpleTable } from "./simple-table.js";
import { SiteForms } from "./site-forms.js";
import { ROLE_RANK, useAction } from "./use-load.js";

export function OverviewTab({ org, page, reloadPage }: TabProps) {
  const { csrfToken } = useSession();
  const { error, run } = useAction();
  const isAdmin = ROLE_RANK[page.role] >= ROLE_RANK.admin;
  const siteName = (id: string | null) => page.sites.find((s) => s.id === id)?.name ?? "—";

  async function togglePublic(): Promise<void> {
    if (await run(() => portalApi.update(csrfToken, org, { isPublic: !page.portal.isPublic }))) reloadPage();
  }

  return (
    <div className="grid grid-2 grid-top">
      <div className="card">
        <h2>Sites</h2>
        {page.sites.length === 0 ? <p className="empty">No sites yet.</p> : null}
        {page.sites.length > 0 ? (
          <SimpleTable
            label="Sites"
            rows={page.sites}
            rowKey={(s) => s.id}
            columns={[
              { head: "Site", cell: (s) => s.name },
              { head: "Longitude", cell: (s) => `${s.longitude.toFixed(4)}°` },
              { head: "Latitude", cell: (s) => `${s.latitude.toFixed(4)}°` },
              { head: "Elevation", cell: (s) => `${s.elevation} m` },
              { head: "Time zone", cell: (s) => s.timeZone },
              { head: "IAU", cell: (s) => s.iauCode ?? "—" },
            ]}
          />
        ) : null}
        <h2>Telescopes</h2>
        {page.telescopes.length === 0 ? <p className="empty">No telescopes yet.</p> : null}
        {page.telescopes.length > 0 ? (
          <SimpleTable
            label="Telescopes"
            rows={page.telescopes}
            rowKey={(t) => t.id}
            columns={[
              { head: "Telescope", cell: (t) => t.name },
              { head: "Site", cell: (t) => siteName(t.siteId) },
              { head: "Aperture", cell: (t) => (t.apertureM === null ? "—" : `${t.apertureM} m`) },
              { head: "Focal length", cell: (t) => (t.focalLengthM === null ? "—" : `${t.focalLengthM} m`) },
            ]}
          />
        ) : null}
      </div>
      <div className="card">
        <h2>Public data packages</h2>
        {page.publicPackages.length === 0 ? <p className="empty">No public data packages.</p> : null}
        <ul className="link-list">
          {page.publicPackages.map((p) => (
            <li key={p.id}>
              <a href={portalApi.downloadUrl(org, p.id)} download>
                {p.title}
              </a>{" "}
              <span className="muted">
                {p.authors.join(", ") || "no authors"} · {p.licence || "no licence"} · frozen{" "}
                {formatDate(p.frozenAt)}
              </span>
            </li>
          ))}
        </ul>
        {page.role !== "public" ? (
          <>
            <h2>Portal</h2>
            <dl className="facts">
              <div>
                <dt>Slug</dt>
                <dd>{page.portal.slug}</dd>
              </div>
              <div>
                <dt>Storage</dt>
                <dd>
                  {formatBytes(page.portal.usedBytes)}
                  {page.portal.quotaBytes !== null ? ` of ${formatBytes(page.portal.quotaBytes)}` : ""}
                </dd>
              </div>
              <div>
                <dt>Public page</dt>
                <dd>{page.portal.isPublic ? "on" : "off"}</dd>
              </div>
              <div>
                <dt>Created</dt>
                <dd>{formatDate(page.portal.createdAt)}</dd>
              </div>
            </dl>
            {isAdmin ? (
              <div className="form-actions">
                <button type="button" className="button button-secondary" onClick={() => void togglePublic()}>
                  {page.portal.isPublic ? "Make the page private" : "Make the page public"}
                </button>
              </div>
            ) : null}
            <ErrorAlert error={error} />
          </>
        ) : null}
        {isAdmin ? <SiteForms org={org} sites={page.sites} onAdded={reloadPage} /> : null}
      </div>
    </div>
  );
}
