/** A portal's page: sites, telescopes, public data packages; admins switch the public page on or off. */
import { useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { formatDate } from "../format.js";
import { useSession } from "../session.js";
import { formatBytes } from "../viewer/format-bytes.js";
import { portalApi } from "./portal-api.js";
import type { TabProps } from "./portal-view.js";
import { SiteForms } from "./site-forms.js";
import { ROLE_RANK } from "./use-load.js";

export function OverviewTab({ org, page, reloadPage }: TabProps) {
  const { csrfToken } = useSession();
  const [error, setError] = useState<unknown>(null);
  const isAdmin = ROLE_RANK[page.role] >= ROLE_RANK.admin;
  const siteName = (id: string | null) => page.sites.find((s) => s.id === id)?.name ?? "—";

  async function togglePublic(): Promise<void> {
    setError(null);
    try {
      await portalApi.update(csrfToken, org, { isPublic: !page.portal.isPublic });
      reloadPage();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div className="grid grid-2 grid-top">
      <div className="card">
        <h2>Sites</h2>
        {page.sites.length === 0 ? <p className="empty">No sites yet.</p> : null}
        {page.sites.length > 0 ? (
          <div className="table-wrap">
            <table className="table" aria-label="Sites">
              <thead>
                <tr>
                  <th>Site</th>
                  <th>Longitude</th>
                  <th>Latitude</th>
                  <th>Elevation</th>
                  <th>Time zone</th>
                  <th>IAU</th>
                </tr>
              </thead>
              <tbody>
                {page.sites.map((s) => (
                  <tr key={s.id}>
                    <td className="cell-strong">{s.name}</td>
                    <td>{s.longitude.toFixed(4)}°</td>
                    <td>{s.latitude.toFixed(4)}°</td>
                    <td>{s.elevation} m</td>
                    <td>{s.timeZone}</td>
                    <td>{s.iauCode ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <h2>Telescopes</h2>
        {page.telescopes.length === 0 ? <p className="empty">No telescopes yet.</p> : null}
        {page.telescopes.length > 0 ? (
          <div className="table-wrap">
            <table className="table" aria-label="Telescopes">
              <thead>
                <tr>
                  <th>Telescope</th>
                  <th>Site</th>
                  <th>Aperture</th>
                  <th>Focal length</th>
                </tr>
              </thead>
              <tbody>
                {page.telescopes.map((t) => (
                  <tr key={t.id}>
                    <td className="cell-strong">{t.name}</td>
                    <td>{siteName(t.siteId)}</td>
                    <td>{t.apertureM === null ? "—" : `${t.apertureM} m`}</td>
                    <td>{t.focalLengthM === null ? "—" : `${t.focalLengthM} m`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
