/** Members and their roles; admins add people and change roles (only owners touch owners). */
import { type FormEvent, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { formatDate } from "../format.js";
import { useSession } from "../session.js";
import { type OrgRole, portalApi } from "./portal-api.js";
import type { TabProps } from "./portal-view.js";
import { ROLE_RANK, useAction, useLoad } from "./use-load.js";

const ROLES: OrgRole[] = ["observer", "member", "admin", "owner"];

export function MembersTab({ org, page }: TabProps) {
  const { csrfToken, user } = useSession();
  const members = useLoad((signal) => portalApi.members(org, signal), `members:${org}`);
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<OrgRole>("member");
  const { error, run } = useAction();
  const isAdmin = ROLE_RANK[page.role] >= ROLE_RANK.admin;
  const isOwner = page.role === "owner";
  const roles = ROLES.filter((r) => r !== "owner" || isOwner);

  async function act(work: () => Promise<unknown>): Promise<void> {
    if (await run(work)) members.reload();
  }

  function add(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void act(async () => {
      await portalApi.addMember(csrfToken, org, username.trim(), role);
      setUsername("");
    });
  }

  return (
    <div className="grid grid-2 grid-top">
      <div className="card">
        <h2>Members</h2>
        <ErrorAlert error={members.error ?? error} />
        <div className="table-wrap">
          <table className="table" aria-label="Members">
            <thead>
              <tr>
                <th>User</th>
                <th>Role</th>
                <th>Since</th>
                {isAdmin ? <th className="cell-actions">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.value?.items.map((m) => {
                const editable = isAdmin && (isOwner || m.role !== "owner");
                return (
                  <tr key={m.userId}>
                    <td className="cell-strong">
                      {m.displayName || m.username} <span className="muted">{m.username}</span>
                      {m.userId === user?.id ? <span className="badge">you</span> : null}
                    </td>
                    <td>
                      {editable ? (
                        <select
                          className="input"
                          aria-label={`Role of ${m.username}`}
                          value={m.role}
                          onChange={(e) =>
                            void act(() =>
                              portalApi.setRole(csrfToken, org, m.userId, e.target.value as OrgRole),
                            )
                          }
                        >
                          {roles.map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                          {!roles.includes(m.role) ? <option value={m.role}>{m.role}</option> : null}
                        </select>
                      ) : (
                        <span className="badge">{m.role}</span>
                      )}
                    </td>
                    <td>{formatDate(m.since)}</td>
                    {isAdmin ? (
                      <td className="cell-actions">
                        {editable ? (
                          <button
                            type="button"
                            className="button button-danger-quiet button-small"
                            onClick={() => void act(() => portalApi.removeMember(csrfToken, org, m.userId))}
                          >
                            Remove
                          </button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
      <div className="card">
        <h2>Roles</h2>
        <ul className="link-list">
          <li>
            <strong>observer</strong>{" "}
            <span className="muted">reads everything: night logs, datasets, headers, search</span>
          </li>
          <li>
            <strong>member</strong>{" "}
            <span className="muted">and uploads, writes night logs, datasets and packages</span>
          </li>
          <li>
            <strong>admin</strong>{" "}
            <span className="muted">and manages sites, telescopes, members; deletes files</span>
          </li>
          <li>
            <strong>owner</strong>{" "}
            <span className="muted">and makes owners, deletes the portal (never the last owner)</span>
          </li>
        </ul>
        {isAdmin ? (
          <form className="form" onSubmit={add} aria-label="Add member">
            <div className="form-row">
              <label className="field field-grow">
                <span className="field-label">Username</span>
                <input
                  className="input"
                  required
                  autoCapitalize="none"
                  value={username}
                  onChange={(e) => setUsername(e.target.value)}
                />
              </label>
              <label className="field">
                <span className="field-label">Role</span>
                <select className="input" value={role} onChange={(e) => setRole(e.target.value as OrgRole)}>
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <div className="form-actions">
              <button type="submit" className="button">
                Add member
              </button>
            </div>
          </form>
        ) : null}
      </div>
    </div>
  );
}
