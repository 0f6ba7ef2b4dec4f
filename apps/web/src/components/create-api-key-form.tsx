/** Name, scopes and optional expiry of a new API key. */
import { type FormEvent, useState } from "react";
import type { NewApiKey } from "../api-client.js";
import { API_KEY_SCOPES, type ApiKeyScope } from "../api-types.js";
import { ErrorAlert } from "./error-alert.js";

const SCOPE_HELP: Record<ApiKeyScope, string> = {
  read: "Read data and metadata",
  upload: "Upload files",
  write: "Create, change and delete records",
  admin: "Administer users and the server",
};

interface CreateApiKeyFormProps {
  isAdmin: boolean;
  onCreate(key: NewApiKey): Promise<void>;
}

/** End of the chosen day in local time, as ISO 8601. */
function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59`).toISOString();
}

export function CreateApiKeyForm({ isAdmin, onCreate }: CreateApiKeyFormProps) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ReadonlySet<ApiKeyScope>>(new Set(["read"]));
  const [expires, setExpires] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const offered = API_KEY_SCOPES.filter((s) => s !== "admin" || isAdmin);

  function toggle(scope: ApiKeyScope, on: boolean): void {
    const next = new Set(scopes);
    if (on) next.add(scope);
    else next.delete(scope);
    setScopes(next);
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const key: NewApiKey = { name: name.trim(), scopes: API_KEY_SCOPES.filter((s) => scopes.has(s)) };
      if (expires !== "") key.expiresAt = endOfDay(expires);
      await onCreate(key);
      setName("");
      setScopes(new Set(["read"]));
      setExpires("");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const today = new Date().toISOString().slice(0, 10);
  return (
    <form className="form create-key-form" onSubmit={submit} aria-label="Create API key">
      <div className="form-row">
        <label className="field field-grow">
          <span className="field-label">Key name</span>
          <input
            className="input"
            name="keyName"
            placeholder="e.g. reduction pipeline on lab-pc"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Expires (optional)</span>
          <input
            className="input"
            type="date"
            min={today}
            value={expires}
            onChange={(e) => setExpires(e.target.value)}
          />
        </label>
      </div>
      <fieldset className="field scopes">
        <legend className="field-label">Scopes</legend>
        <div className="scope-options">
          {offered.map((scope) => (
            <label key={scope} className="check">
              <input
                type="checkbox"
                name="scope"
                value={scope}
                checked={scopes.has(scope)}
                onChange={(e) => toggle(scope, e.target.checked)}
              />
              <span>
                <strong>{scope}</strong>
                <span className="muted">{SCOPE_HELP[scope]}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <ErrorAlert error={error} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy || scopes.size === 0 || name.trim() === ""}>
          {busy ? "Creating…" : "Create key"}
        </button>
      </div>
    </form>
  );
}
