/** The user's API keys with their state, and a revoke button on each live one. */
import type { ApiKey } from "../api-types.js";
import { formatDate, formatDateTime, formatRelative } from "../format.js";

interface KeyState {
  label: string;
  /** When the state began or ends, shown under the badge. */
  detail: string | null;
  className: string;
  live: boolean;
}

function keyState(key: ApiKey, now: number): KeyState {
  if (key.revokedAt !== null) {
    return { label: "Revoked", detail: formatRelative(key.revokedAt, now), className: "badge", live: false };
  }
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now) {
    return {
      label: "Expired",
      detail: formatDate(key.expiresAt),
      className: "badge badge-warn",
      live: false,
    };
  }
  const detail = key.expiresAt === null ? null : `until ${formatDate(key.expiresAt)}`;
  return { label: "Active", detail, className: "badge badge-ok", live: true };
}

export function ApiKeysTable({ keys, onRevoke }: { keys: readonly ApiKey[]; onRevoke(key: ApiKey): void }) {
  if (keys.length === 0) {
    return <p className="empty">No API keys yet. Create one above to use the API or the CLI.</p>;
  }
  const now = Date.now();
  return (
    <div className="table-wrap">
      <table className="table" aria-label="API keys">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => {
            const state = keyState(key, now);
            return (
              <tr key={key.id} className={state.live ? undefined : "row-dim"}>
                <td className="cell-strong">{key.name}</td>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>
                  <span className="chips">
                    {key.scopes.map((s) => (
                      <span key={s} className="chip">
                        {s}
                      </span>
                    ))}
                  </span>
                </td>
                <td title={formatDateTime(key.createdAt)}>{formatDate(key.createdAt)}</td>
                <td title={key.lastUsedAt ? formatDateTime(key.lastUsedAt) : undefined}>
                  {formatRelative(key.lastUsedAt, now, "Never")}
                </td>
                <td>
                  <span className="status">
                    <span className={state.className}>{state.label}</span>
                    {state.detail ? <span className="status-detail">{state.detail}</span> : null}
                  </span>
                </td>
                <td className="cell-actions">
                  {state.live ? (
                    <button
                      type="button"
                      className="button button-danger-quiet button-small"
                      aria-label={`Revoke ${key.name}`}
                      onClick={() => onRevoke(key)}
                    >
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
