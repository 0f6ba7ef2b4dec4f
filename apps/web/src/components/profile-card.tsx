/** Who is signed in. */
import type { User } from "../api-types.js";
import { formatDate } from "../format.js";

export function ProfileCard({ user }: { user: User }) {
  return (
    <section className="card" aria-labelledby="profile-title">
      <div className="card-header">
        <h2 id="profile-title">Profile</h2>
        <span className={user.isAdmin ? "badge badge-accent" : "badge"}>
          {user.isAdmin ? "Administrator" : "Member"}
        </span>
      </div>
      <dl className="facts">
        <div>
          <dt>Username</dt>
          <dd data-testid="profile-username">{user.username}</dd>
        </div>
        <div>
          <dt>Display name</dt>
          <dd>{user.displayName || "—"}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>{user.email ?? "—"}</dd>
        </div>
        <div>
          <dt>Member since</dt>
          <dd>{formatDate(user.createdAt)}</dd>
        </div>
      </dl>
    </section>
  );
}
