/** Administrators: everyone who can sign in, page by page, and a form to add someone. */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { createUser, listUsers, type UserPage } from "../api-client.js";
import { isApiError } from "../api-error.js";
import type { User } from "../api-types.js";
import { ErrorAlert } from "../components/error-alert.js";
import { formatDate } from "../format.js";
import { useSignedIn } from "../session.js";

const PAGE_SIZE = 50;

function CreateUserForm({ onCreated }: { onCreated(user: User): void }) {
  const { csrfToken, expired } = useSignedIn();
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [isAdmin, setIsAdmin] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await createUser(csrfToken, {
        username: username.trim(),
        password,
        displayName: displayName.trim() || undefined,
        email: email.trim() || null,
        isAdmin,
      });
      setUsername("");
      setDisplayName("");
      setEmail("");
      setPassword("");
      setIsAdmin(false);
      onCreated(user);
    } catch (err) {
      if (isApiError(err, "UNAUTHENTICATED")) expired();
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={submit} aria-label="Create user">
      <div className="form-row">
        <label className="field field-grow">
          <span className="field-label">Username</span>
          <input
            className="input"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            maxLength={64}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field field-grow">
          <span className="field-label">Display name</span>
          <input
            className="input"
            autoComplete="off"
            maxLength={200}
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
          />
        </label>
      </div>
      <div className="form-row">
        <label className="field field-grow">
          <span className="field-label">Email (optional)</span>
          <input
            className="input"
            type="email"
            autoComplete="off"
            maxLength={320}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field field-grow">
          <span className="field-label">Initial password</span>
          <input
            className="input"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
      </div>
      <label className="check check-inline">
        <input type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} />
        <span>
          <strong>Administrator</strong>
          <span className="muted">Can manage users and the server.</span>
        </span>
      </label>
      <ErrorAlert error={error} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Creating…" : "Create user"}
        </button>
      </div>
    </form>
  );
}

export function UsersPage() {
  const { expired } = useSignedIn();
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<UserPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<User | null>(null);

  const load = useCallback(
    async (at: number, signal?: AbortSignal) => {
      try {
        setPage(await listUsers(PAGE_SIZE, at, signal));
        setError(null);
      } catch (err) {
        if (signal?.aborted) return;
        if (isApiError(err) && err.status === 401) expired();
        else setError(err);
      }
    },
    [expired],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(offset, controller.signal);
    return () => controller.abort();
  }, [load, offset]);

  const total = page?.total ?? 0;
  return (
    <section className="page">
      <header className="page-header">
        <h1>Users</h1>
        <p className="muted">Everyone who can sign in to this server.</p>
      </header>
      <section className="card" aria-labelledby="users-title">
        <div className="card-header">
          <h2 id="users-title">All users</h2>
          {page ? <span className="badge">{total}</span> : null}
        </div>
        <ErrorAlert error={error} title="Could not load the users" />
        {page === null && error === null ? <p className="muted">Loading…</p> : null}
        {page ? (
          <div className="table-wrap">
            <table className="table" aria-label="Users">
              <thead>
                <tr>
                  <th scope="col">Username</th>
                  <th scope="col">Display name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((user) => (
                  <tr key={user.id}>
                    <td className="cell-strong">{user.username}</td>
                    <td>{user.displayName || "—"}</td>
                    <td>{user.email ?? "—"}</td>
                    <td>
                      <span className={user.isAdmin ? "badge badge-accent" : "badge"}>
                        {user.isAdmin ? "Administrator" : "Member"}
                      </span>
                    </td>
                    <td>{formatDate(user.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {total > PAGE_SIZE ? (
          <div className="pager">
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
            >
              Previous
            </button>
            <span className="muted">
              {offset + 1}–{Math.min(offset + PAGE_SIZE, total)} of {total}
            </span>
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={offset + PAGE_SIZE >= total}
              onClick={() => setOffset(offset + PAGE_SIZE)}
            >
              Next
            </button>
          </div>
        ) : null}
      </section>
      <section className="card" aria-labelledby="new-user-title">
        <div className="card-header">
          <h2 id="new-user-title">Add a user</h2>
        </div>
        {created ? (
          <output className="alert alert-ok">
            Created {created.username}. Give them their initial password through a safe channel; they can
            change it on their account page.
          </output>
        ) : null}
        <CreateUserForm
          onCreated={(user) => {
            setCreated(user);
            void load(offset);
          }}
        />
      </section>
    </section>
  );
}
