/** Shown for a path that no page claims. */
import { Link, useLocation } from "../router.js";

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <section className="page">
      <header className="page-header">
        <h1>Page not found</h1>
        <p className="muted">
          Nothing lives at <code>{pathname}</code>.
        </p>
      </header>
      <Link to="/" className="button">
        Go to the overview
      </Link>
    </section>
  );
}
