/**
 * One portal: its page (sites, telescopes, public packages) and, for members, tabs for datasets,
 * upload, search, night logs, data packages and members. Visitors without a role (`public`) see
 * the public page only, as the server answers them.
 */
import { ErrorAlert } from "../components/error-alert.js";
import { Link } from "../router.js";
import { DatasetsTab } from "./datasets-tab.js";
import { MembersTab } from "./members-tab.js";
import { NightsTab } from "./nights-tab.js";
import { OverviewTab } from "./overview-tab.js";
import { PackagesTab } from "./packages-tab.js";
import { type PortalPage, type PortalRole, portalApi } from "./portal-api.js";
import { SearchTab } from "./search-tab.js";
import { UploadTab } from "./upload-tab.js";
import { portalHref, ROLE_RANK, useLoad } from "./use-load.js";
import "./portal.css";

interface Tab {
  id: string;
  label: string;
  /** Weakest role that sees the tab. */
  role: PortalRole;
}

const TABS: readonly Tab[] = [
  { id: "overview", label: "Overview", role: "public" },
  { id: "datasets", label: "Datasets", role: "observer" },
  { id: "upload", label: "Upload", role: "member" },
  { id: "search", label: "Search", role: "observer" },
  { id: "nights", label: "Night logs", role: "observer" },
  { id: "packages", label: "Data packages", role: "observer" },
  { id: "members", label: "Members", role: "observer" },
];

export interface TabProps {
  org: string;
  page: PortalPage;
  params: URLSearchParams;
  reloadPage(): void;
}

export function PortalView({ org, params }: { org: string; params: URLSearchParams }) {
  const loaded = useLoad((signal) => portalApi.page(org, signal), `page:${org}`);
  const page = loaded.value;
  const tabs = page ? TABS.filter((t) => ROLE_RANK[page.role] >= ROLE_RANK[t.role]) : [];
  const wanted = params.get("tab") ?? "overview";
  const tab = tabs.find((t) => t.id === wanted) ?? tabs[0];
  const props = page ? { org, page, params, reloadPage: loaded.reload } : null;
  return (
    <section className="page">
      <header className="page-header">
        <p className="muted">
          <Link to={portalHref()}>Portals</Link> / {org}
        </p>
        <h1>{page?.portal.name ?? org}</h1>
        {page ? (
          <p className="muted">
            {page.portal.description || "No description."}{" "}
            <span className="badge" data-testid="portal-role">
              {page.role === "public" ? "public page" : page.role}
            </span>
          </p>
        ) : null}
      </header>
      <ErrorAlert error={loaded.error} />
      {page && tabs.length > 1 ? (
        <nav className="portal-tabs" aria-label="Portal">
          {tabs.map((t) => (
            <Link
              key={t.id}
              to={portalHref(org, t.id)}
              className={t.id === tab?.id ? "portal-tab portal-tab-active" : "portal-tab"}
              aria-current={t.id === tab?.id ? "page" : undefined}
            >
              {t.label}
            </Link>
          ))}
        </nav>
      ) : null}
      {props && tab?.id === "overview" ? <OverviewTab {...props} /> : null}
      {props && tab?.id === "datasets" ? <DatasetsTab {...props} /> : null}
      {props && tab?.id === "upload" ? <UploadTab {...props} /> : null}
      {props && tab?.id === "search" ? <SearchTab {...props} /> : null}
      {props && tab?.id === "nights" ? <NightsTab {...props} /> : null}
      {props && tab?.id === "packages" ? <PackagesTab {...props} /> : null}
      {props && tab?.id === "members" ? <MembersTab {...props} /> : null}
    </section>
  );
}
