/** Sign in with username and password; the server sets the session cookie. */
import { type FormEvent, useState } from "react";
import { login } from "../api-client.js";
import { ApiError } from "../api-error.js";
import { ErrorAlert } from "../components/error-alert.js";
import { formatDuration } from "../format.js";
import { useSession } from "../session.js";

/** A rate-limit answer says when to try again. */
function loginError(err: unknown): unknown {
  if (err instanceof ApiError && err.retryAfterSeconds !== null) {
    const wait = formatDuration(err.retryAfterSeconds);
    return new ApiError(err.code, `${err.message} (in ${wait}).`, err.status);
  }
  return err;
}

export function LoginPage() {
  const { signedIn, loadError } = useSession();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      signedIn(await login(username.trim(), password));
    } catch (err) {
      setError(loginError(err));
      setPassword("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-screen">
      <main className="login-card">
        <div className="login-brand">
          <svg className="brand-mark brand-mark-large" viewBox="0 0 32 32" aria-hidden="true">
            <circle cx="16" cy="16" r="13" />
            <path d="M16 3v26" />
            <path className="brand-mark-accent" d="M5 20c4-2 18-2 22 0" />
          </svg>
          <h1>Sign in to Meridian</h1>
          <p className="muted">An open science platform for astronomy.</p>
        </div>
        <ErrorAlert error={loadError} title="The server did not answer" />
        <form className="form" onSubmit={submit}>
          <label className="field">
            <span className="field-label">Username</span>
            <input
              className="input"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field-label">Password</span>
            <input
              className="input"
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <ErrorAlert error={error} />
          <button type="submit" className="button button-block" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
        <p className="login-foot muted">
          First start? The server printed the first administrator's credentials in its log.
        </p>
      </main>
    </div>
  );
}
