/** The signed-in user's profile, password and API keys. */
import { ApiKeysCard } from "../components/api-keys-card.js";
import { ChangePasswordForm } from "../components/change-password-form.js";
import { ProfileCard } from "../components/profile-card.js";
import { useSignedIn } from "../session.js";

export function AccountPage() {
  const { user } = useSignedIn();
  return (
    <section className="page">
      <header className="page-header">
        <h1>Account</h1>
        <p className="muted">Your profile, your password and your API keys.</p>
      </header>
      <div className="grid grid-2 grid-top">
        <ProfileCard user={user} />
        <ChangePasswordForm />
        <ApiKeysCard />
      </div>
    </section>
  );
}
