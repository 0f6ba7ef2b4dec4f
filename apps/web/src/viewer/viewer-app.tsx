/** The viewer's frame (top bar with the served directory's pages) and its three kinds of page. */
import { Link, useLocation } from "../router.js";
import { FilePage } from "./file-page.js";
import { ListingPage } from "./listing-page.js";
import { OverviewPage } from "./overview-page.js";

/** The tree path in a `/browse/…` or `/view/…` URL path (each segment percent-decoded once). */
export function treePathOf(pathname: string, prefix: string): string {
  const rest = pathname.slice(prefix.length).replace(/^\/+/, "").replace(/\/+$/, "");
  return rest === "" ? "" : rest.split("/").map(decodeURIComponent).join("/");
}

export function ViewerApp() {
  const { pathname } = useLocation();
  let page: React.ReactNode;
  let key: string;
  if (pathname === "/browse" || pathname.startsWith("/browse/")) {
    const path = treePathOf(pathname, "/browse");
    page = <ListingPage key={`b:${path}`} path={path} />;
    key = "browse";
  } else if (pathname.startsWith("/view/")) {
    const path = treePathOf(pathname, "/view");
    page = <FilePage key={`v:${path}`} path={path} />;
    key = "view";
  } else {
    page = <OverviewPage />;
    key = "overview";
  }
  return (
    <div className="shell viewer-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
            <circle cx="16" cy="16" r="13" />
            <path d="M16 3v26" />
            <path className="brand-mark-accent" d="M5 20c4-2 18-2 22 0" />
          </svg>
          Meridian viewer
        </Link>
        <nav className="viewer-nav" aria-label="Viewer">
          <Link to="/" className={key === "overview" ? "nav-link nav-link-active" : "nav-link"}>
            Overview
          </Link>
          <Link to="/browse" className={key === "browse" ? "nav-link nav-link-active" : "nav-link"}>
            Files
          </Link>
        </nav>
        <span className="topbar-spacer" />
        <span className="badge badge-accent">read-only</span>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        {page}
      </main>
    </div>
  );
}
