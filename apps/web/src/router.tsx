/**
 * Client-side routing on the History API: `useLocation()` re-renders on navigation, `navigate()`
 * pushes a path, and `<Link>` renders a real `<a href>` that navigates without a page load.
 */
import { type AnchorHTMLAttributes, type MouseEvent, useMemo, useSyncExternalStore } from "react";

const NAVIGATE_EVENT = "meridian:navigate";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

/** The current path and query, e.g. `/account?tab=keys`. */
export function useLocation(): { pathname: string; search: URLSearchParams } {
  const current = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => {
    const url = new URL(current, window.location.origin);
    return { pathname: url.pathname, search: url.searchParams };
  }, [current]);
}

/** Go to `to` (a same-origin path); `replace` overwrites the current history entry. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  const hash = new URL(to, window.location.origin).hash.slice(1);
  if (hash === "") window.scrollTo(0, 0);
  // The target renders after this event; look for it on the next frame.
  else requestAnimationFrame(() => document.getElementById(hash)?.scrollIntoView());
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { to: string };

/** An in-app link: plain clicks navigate in place; modified clicks (new tab, etc.) behave as usual. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>): void {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  }
  return <a href={to} onClick={handleClick} {...rest} />;
}
