/**
 * The observatory cloud: `/portals` lists your portals; `/portals?org=<slug>&tab=…` opens one
 * (apps/web/src/portal/). The query keeps every view a link. Visitors who are not signed in see
 * a portal's public page (when it has one) and a way to sign in.
 */
import { PortalHome } from "../portal/portal-home.js";
import { PortalView } from "../portal/portal-view.js";
import { Link, useLocation } from "../router.js";
import { useSession } from "../session.js";

export function PortalPage() {
  const { search } = useLocation();
  const { user } = useSession();
  const org = search.get("org");
  const here = `/portals${org ? `?org=${encodeURIComponent(org)}` : ""}`;
  const signIn = user ? null : (
    <p className="alert alert-ok" data-testid="portal-sign-in">
      <span>
        You are not signed in: only public pages are shown.{" "}
        <Link to={`/login?next=${encodeURIComponent(here)}`}>Sign in</Link>
      </span>
    </p>
  );
  if (!org)
    return user ? (
      <PortalHome />
    ) : (
      <section className="page">
        <header className="page-header">
          <h1>Portals</h1>
        </header>
        {signIn}
      </section>
    );
  return (
    <>
      {signIn}
      <PortalView key={org} org={org} params={search} />
    </>
  );
}
