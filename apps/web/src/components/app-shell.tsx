/** The frame around every signed-in page: top bar with the user, side navigation built from the page list. */
import { type ReactNode, useEffect, useRef, useState } from "react";
import { CAPABILITIES } from "../capabilities.js";
import type { PageEntry, PageSection } from "../pages.js";
import { Link, useLocation } from "../router.js";
import { useSession } from "../session.js";

interface NavGroup {
  title: string | null;
  pages: PageEntry[];
}

/** Overview first, then one group per capability that has pages, then the account area. */
function navGroups(pages: readonly PageEntry[]): NavGroup[] {
  const inSection = (section: PageSection) => pages.filter((p) => p.section === section);
  const groups: NavGroup[] = [{ title: null, pages: inSection("home") }];
  for (const capability of CAPABILITIES)
    groups.push({ title: capability.title, pages: inSection(capability.id) });
  groups.push({ title: "You", pages: inSection("account") });
  groups.push({ title: "Administration", pages: inSection("admin") });
  return groups.filter((g) => g.pages.length > 0);
}

export function AppShell({ pages, children }: { pages: readonly PageEntry[]; children: ReactNode }) {
  const { user } = useSession();
  const { pathname } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  // After in-app navigation, move focus to the new page so screen readers announce it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each path change.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [pathname]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-toggle"
          aria-label="Toggle navigation"
          aria-expanded={menuOpen}
          onClick={() => setMenuOpen(!menuOpen)}
        >
          <span aria-hidden="true">☰</span>
        </button>
        <Link to="/" className="brand" onClick={() => setMenuOpen(false)}>
          <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
            <circle cx="16" cy="16" r="13" />
            <path d="M16 3v26" />
            <path className="brand-mark-accent" d="M5 20c4-2 18-2 22 0" />
          </svg>
          Meridian
        </Link>
        <div className="topbar-spacer" />
        {user ? (
          <div className="topbar-user">
            <Link to="/account" className="topbar-username" title="Account">
              <span className="avatar" aria-hidden="true">
                {(user.displayName || user.username).slice(0, 1).toUpperCase()}
              </span>
              <span>{user.displayName || user.username}</span>
            </Link>
            <Link to="/logout" className="button button-secondary button-small">
              Sign out
            </Link>
          </div>
        ) : null}
      </header>
      <div className="shell-body">
        <nav className={menuOpen ? "sidebar sidebar-open" : "sidebar"} aria-label="Main">
          <div className="sidebar-inner">
            {navGroups(pages).map((group) => (
              <div className="nav-group" key={group.title ?? "home"}>
                {group.title ? <div className="nav-group-title">{group.title}</div> : null}
                <ul>
                  {group.pages.map((page) => (
                    <li key={page.path}>
                      <Link
                        to={page.path}
                        className={pathname === page.path ? "nav-link nav-link-active" : "nav-link"}
                        aria-current={pathname === page.path ? "page" : undefined}
                        onClick={() => setMenuOpen(false)}
                      >
                        {page.label}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        </nav>
        <main className="content" id="main" ref={main} tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
