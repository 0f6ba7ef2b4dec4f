/** Decides what to show: a splash while asking the server, sign-in when signed out, else the page for the path. */
import { useEffect } from "react";
import { AppShell } from "./components/app-shell.js";
import { LoginPage } from "./pages/login-page.js";
import { LogoutPage } from "./pages/logout-page.js";
import { NotFoundPage } from "./pages/not-found-page.js";
import { PAGES, pagesFor } from "./pages.js";
import { navigate, useLocation } from "./router.js";
import { useSession } from "./session.js";

/** A `next` target we are willing to go to after sign-in: same-origin paths only. */
function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function App() {
  const { user } = useSession();
  const { pathname, search } = useLocation();
  const onLogin = pathname === "/login";
  const anonymousPage = PAGES.find((p) => p.anonymous && p.path === pathname);

  useEffect(() => {
    if (user === null && !onLogin && !anonymousPage) {
      const back = pathname === "/" || pathname === "/logout" ? "" : `?next=${encodeURIComponent(pathname)}`;
      navigate(`/login${back}`, { replace: true });
    } else if (user && onLogin) {
      navigate(safeNext(search.get("next")), { replace: true });
    }
  }, [user, onLogin, pathname, search, anonymousPage]);

  useEffect(() => {
    const page = PAGES.find((p) => p.path === pathname);
    document.title = onLogin ? "Sign in · Meridian" : page ? `${page.label} · Meridian` : "Meridian";
  }, [pathname, onLogin]);

  if (user === undefined) {
    return (
      <div className="splash" aria-busy="true">
        <span className="spinner" aria-hidden="true" />
        <span className="visually-hidden">Loading</span>
      </div>
    );
  }
  if (user === null && anonymousPage) {
    const visible = PAGES.filter((p) => p.anonymous);
    return (
      <AppShell pages={visible}>
        <anonymousPage.component pages={visible} />
      </AppShell>
    );
  }
  if (user === null) return onLogin ? <LoginPage /> : null;
  if (pathname === "/logout") return <LogoutPage />;
  if (onLogin) return null;
  const pages = pagesFor(user);
  const Page = pages.find((p) => p.path === pathname)?.component;
  return <AppShell pages={pages}>{Page ? <Page pages={pages} /> : <NotFoundPage />}</AppShell>;
}
