/** Change the signed-in user's password (current password required). */
import { type FormEvent, useState } from "react";
import { changePassword } from "../api-client.js";
import { isApiError } from "../api-error.js";
import { useSignedIn } from "../session.js";
import { ErrorAlert } from "./error-alert.js";

export function ChangePasswordForm() {
  const { csrfToken, expired } = useSignedIn();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const mismatch = repeat !== "" && next !== repeat;

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (next !== repeat) return;
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await changePassword(csrfToken, current, next);
      setCurrent("");
      setNext("");
      setRepeat("");
      setDone(true);
    } catch (err) {
      if (isApiError(err, "UNAUTHENTICATED")) expired();
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="password-title">
      <div className="card-header">
        <h2 id="password-title">Password</h2>
      </div>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">Current password</span>
          <input
            className="input"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">New password</span>
          <input
            className="input"
            type="password"
            autoComplete="new-password"
            required
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Repeat new password</span>
          <input
            className="input"
            type="password"
            autoComplete="new-password"
            required
            aria-invalid={mismatch}
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
          {mismatch ? <span className="field-error">The two new passwords differ.</span> : null}
        </label>
        <ErrorAlert error={error} />
        {done ? (
          <output className="alert alert-ok">Password changed. Your other sessions were signed out.</output>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy || mismatch}>
            {busy ? "Changing…" : "Change password"}
          </button>
        </div>
      </form>
    </section>
  );
}
