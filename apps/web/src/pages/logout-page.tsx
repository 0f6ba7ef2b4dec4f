/** Visiting /logout ends the session and returns to the sign-in page. */
import { useEffect, useRef, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { navigate } from "../router.js";
import { useSession } from "../session.js";

export function LogoutPage() {
  const { signOut } = useSession();
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);
  useEffect(() => {
    // StrictMode runs effects twice in development; sign out once.
    if (started.current) return;
    started.current = true;
    signOut().then(
      () => navigate("/login", { replace: true }),
      (err: unknown) => setError(err),
    );
  }, [signOut]);
  return (
    <div className="login-screen">
      <main className="login-card">
        {error ? (
          <ErrorAlert error={error} title="Signing out failed" />
        ) : (
          <p className="muted">Signing out…</p>
        )}
      </main>
    </div>
  );
}
