/**
 * The observatory cloud: `/portals` lists your portals; `/portals?org=<slug>&tab=…` opens one
 * (apps/web/src/portal/). The query keeps every view a link.
 */
import { PortalHome } from "../portal/portal-home.js";
import { PortalView } from "../portal/portal-view.js";
import { useLocation } from "../router.js";

export function PortalPage() {
  const { search } = useLocation();
  const org = search.get("org");
  return org ? <PortalView key={org} org={org} params={search} /> : <PortalHome />;
}
