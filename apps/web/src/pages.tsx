/**
 * Every page of the app, in navigation order. The navigation, the router and the overview page
 * are all built from this list: a new page is one entry here.
 */
import type { ComponentType } from "react";
import type { CapabilityId } from "./capabilities.js";
import { AccountPage } from "./pages/account-page.js";
import { HomePage } from "./pages/home-page.js";
import { PlanPage } from "./pages/plan-page.js";
import { PortalPage } from "./pages/portal-page.js";
import { SatcheckPage } from "./pages/satcheck-page.js";
import { UsersPage } from "./pages/users-page.js";

/** Where a page sits in the navigation: the overview, one of the seven capabilities, the account area or administration. */
export type PageSection = "home" | CapabilityId | "account" | "admin";

/** What each page component receives. */
export interface PageProps {
  pages: readonly PageEntry[];
}

/** One page of the app. */
export interface PageEntry {
  /** Exact path, e.g. `/account`. */
  path: string;
  label: string;
  section: PageSection;
  /** One sentence for the overview page. */
  summary: string;
  component: ComponentType<PageProps>;
  /** Shown to administrators only (the server enforces the same). */
  adminOnly?: boolean;
  /** Also shown to visitors who are not signed in (the page asks the server what they may see). */
  anonymous?: boolean;
}

export const PAGES: readonly PageEntry[] = [
  {
    path: "/",
    label: "Overview",
    section: "home",
    summary: "Server status and what this installation offers.",
    component: HomePage,
  },
  {
    path: "/portals",
    label: "Portals",
    section: "observatory",
    summary:
      "Your observatory's portals: upload frames, search headers and cones, night logs, data packages and members.",
    component: PortalPage,
    anonymous: true,
  },
  {
    path: "/plan",
    label: "Planner",
    section: "planning",
    summary:
      "When your targets are observable from a site: airmass, twilights, the Moon, windows and best months.",
    component: PlanPage,
  },
  {
    path: "/satcheck",
    label: "Satellite check",
    section: "planning",
    summary: "Which satellites cross your field of view during an exposure, with the element sets used.",
    component: SatcheckPage,
  },
  {
    path: "/account",
    label: "Account",
    section: "account",
    summary: "Your profile, your password and the API keys that let scripts and the CLI act for you.",
    component: AccountPage,
  },
  {
    path: "/admin/users",
    label: "Users",
    section: "admin",
    summary: "Everyone who can sign in to this server; create accounts for new people.",
    component: UsersPage,
    adminOnly: true,
  },
];

/** The pages `user` may open. */
export function pagesFor(user: { isAdmin: boolean }): readonly PageEntry[] {
  return PAGES.filter((p) => !p.adminOnly || user.isAdmin);
}
