/** The overview: is the server well, which version, and what this installation offers. */
import { useCallback, useEffect, useState } from "react";
import { getHealth } from "../api-client.js";
import type { Health } from "../api-types.js";
import { CAPABILITIES } from "../capabilities.js";
import { ErrorAlert } from "../components/error-alert.js";
import { formatDuration } from "../format.js";
import type { PageProps } from "../pages.js";
import { Link } from "../router.js";
import { useSignedIn } from "../session.js";

const HEALTH_REFRESH_MS = 30_000;

const DATABASE_LABEL: Record<Health["database"], string> = {
  pglite: "PGlite (embedded)",
  postgres: "PostgreSQL server",
};

function useHealth(): { health: Health | null; error: unknown; checkedAt: Date | null; refresh(): void } {
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is the refresh trigger.
  useEffect(() => {
    const controller = new AbortController();
    getHealth(controller.signal).then(
      (h) => {
        setHealth(h);
        setError(null);
        setCheckedAt(new Date());
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setCheckedAt(new Date());
      },
    );
    const timer = window.setTimeout(refresh, HEALTH_REFRESH_MS);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [tick, refresh]);
  return { health, error, checkedAt, refresh };
}

function ServerCard() {
  const { health, error, checkedAt, refresh } = useHealth();
  const ok = health !== null && error === null && health.status === "ok";
  return (
    <section className="card" aria-labelledby="server-title">
      <div className="card-header">
        <h2 id="server-title">Server</h2>
        <span className={ok ? "badge badge-ok" : health || error ? "badge badge-error" : "badge"}>
          {ok ? "Healthy" : health || error ? "Unavailable" : "Checking…"}
        </span>
      </div>
      <ErrorAlert error={error} />
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd data-testid="health-status">{health?.status ?? "—"}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd data-testid="health-version">{health?.version ?? "—"}</dd>
        </div>
        <div>
          <dt>Database</dt>
          <dd>{health ? (DATABASE_LABEL[health.database] ?? health.database) : "—"}</dd>
        </div>
        <div>
          <dt>Uptime</dt>
          <dd>{health ? formatDuration(health.uptimeSeconds) : "—"}</dd>
        </div>
      </dl>
      <div className="card-foot muted">
        {checkedAt ? `Checked at ${checkedAt.toLocaleTimeString()}` : "Checking…"}
        <button type="button" className="button button-link" onClick={refresh}>
          Check now
        </button>
      </div>
    </section>
  );
}

export function HomePage({ pages }: PageProps) {
  const { user } = useSignedIn();
  const elsewhere = pages.filter((p) => p.section !== "home");
  const withPages = CAPABILITIES.filter((c) => pages.some((p) => p.section === c.id));
  return (
    <section className="page">
      <header className="page-header">
        <h1>Welcome, {user.displayName || user.username}</h1>
        <p className="muted">
          Meridian brings observatory data, planning, data discovery and analysis together.
        </p>
      </header>
      <div className="grid grid-2">
        <ServerCard />
        <section className="card" aria-labelledby="here-title">
          <div className="card-header">
            <h2 id="here-title">In this web app</h2>
          </div>
          <ul className="link-list">
            {withPages.map((c) => (
              <li key={c.id}>
                <strong>{c.title}</strong>
                <span className="muted">{c.summary}</span>
              </li>
            ))}
            {elsewhere.map((page) => (
              <li key={page.path}>
                <Link to={page.path}>{page.label}</Link>
                <span className="muted">{page.summary}</span>
              </li>
            ))}
          </ul>
        </section>
        <section className="card card-wide" aria-labelledby="programs-title">
          <div className="card-header">
            <h2 id="programs-title">For scripts and programs</h2>
          </div>
          <ul className="link-list link-list-columns">
            <li>
              <a href="/api/docs">API reference</a>
              <span className="muted">Interactive documentation of every endpoint.</span>
            </li>
            <li>
              <a href="/api/openapi.json">OpenAPI document</a>
              <span className="muted">Generate clients in any language.</span>
            </li>
            <li>
              <Link to="/account#api-keys">API keys</Link>
              <span className="muted">
                Send <code>Authorization: Bearer mk_…</code> with each request.
              </span>
            </li>
            <li>
              <span>Command line</span>
              <span className="muted">
                <code>npx meridian --help</code>
              </span>
            </li>
          </ul>
        </section>
      </div>
    </section>
  );
}
