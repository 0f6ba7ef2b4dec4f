/** API-key management: create (secret shown once), list, revoke with confirmation. */
import { useCallback, useEffect, useState } from "react";
import { createApiKey, listApiKeys, type NewApiKey, revokeApiKey } from "../api-client.js";
import { isApiError } from "../api-error.js";
import type { ApiKey, CreatedApiKey } from "../api-types.js";
import { useSignedIn } from "../session.js";
import { ApiKeysTable } from "./api-keys-table.js";
import { ConfirmDialog } from "./confirm-dialog.js";
import { CreateApiKeyForm } from "./create-api-key-form.js";
import { ErrorAlert } from "./error-alert.js";
import { NewSecretPanel } from "./new-secret-panel.js";

export function ApiKeysCard() {
  const { user, csrfToken, expired } = useSignedIn();
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [revokeBusy, setRevokeBusy] = useState(false);
  const [revokeError, setRevokeError] = useState<unknown>(null);

  /** A 401 means the session ended elsewhere: back to the sign-in page. */
  const guard = useCallback(
    (err: unknown): void => {
      if (isApiError(err) && err.status === 401) expired();
      else throw err;
    },
    [expired],
  );

  const reload = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setKeys(await listApiKeys(signal));
        setLoadError(null);
      } catch (err) {
        if (signal?.aborted) return;
        try {
          guard(err);
        } catch (other) {
          setLoadError(other);
        }
      }
    },
    [guard],
  );

  useEffect(() => {
    const controller = new AbortController();
    void reload(controller.signal);
    return () => controller.abort();
  }, [reload]);

  async function create(key: NewApiKey): Promise<void> {
    try {
      setCreated(await createApiKey(csrfToken, key));
    } catch (err) {
      guard(err);
      return;
    }
    await reload();
  }

  async function confirmRevoke(): Promise<void> {
    if (!revoking) return;
    setRevokeBusy(true);
    setRevokeError(null);
    try {
      await revokeApiKey(csrfToken, revoking.id);
      setRevoking(null);
      await reload();
    } catch (err) {
      try {
        guard(err);
      } catch (other) {
        setRevokeError(other);
      }
    } finally {
      setRevokeBusy(false);
    }
  }

  return (
    <section className="card card-wide" id="api-keys" aria-labelledby="api-keys-title">
      <div className="card-header">
        <h2 id="api-keys-title">API keys</h2>
      </div>
      <p className="muted card-intro">
        Scripts, pipelines and the <code>meridian</code> CLI authenticate with an API key sent as{" "}
        <code>Authorization: Bearer mk_…</code>. Give each key only the scopes it needs, and revoke it when it
        is no longer used.
      </p>
      {created ? (
        <NewSecretPanel created={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateApiKeyForm isAdmin={user.isAdmin} onCreate={create} />
      )}
      <h3 className="section-title">Your keys</h3>
      <ErrorAlert error={loadError} title="Could not load your API keys" />
      {keys === null && loadError === null ? <p className="muted">Loading…</p> : null}
      {keys ? <ApiKeysTable keys={keys} onRevoke={setRevoking} /> : null}
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke API key?"
        confirmLabel="Revoke key"
        danger
        busy={revokeBusy}
        onConfirm={() => void confirmRevoke()}
        onCancel={() => {
          setRevoking(null);
          setRevokeError(null);
        }}
      >
        <p>
          Programs using <strong>{revoking?.name}</strong> (<code>{revoking?.prefix}…</code>) will be refused
          from now on. This cannot be undone.
        </p>
        <ErrorAlert error={revokeError} />
      </ConfirmDialog>
    </section>
  );
}
