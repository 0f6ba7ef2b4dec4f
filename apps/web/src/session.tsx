/**
 * The signed-in user and the CSRF token that goes with the session cookie, shared through context.
 * `null` user means signed out; `undefined` means the app is still asking the server.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { logout as apiLogout, getSession } from "./api-client.js";
import { isApiError } from "./api-error.js";
import type { SessionInfo, User } from "./api-types.js";

interface SessionValue {
  /** `undefined` while loading, `null` when signed out. */
  user: User | null | undefined;
  csrfToken: string | null;
  /** Set by the login page with the server's answer. */
  signedIn(info: SessionInfo): void;
  /** Ends the session on the server (best effort) and forgets it here. */
  signOut(): Promise<void>;
  /** Forget the session without calling the server (e.g. after a 401). */
  expired(): void;
  /** An error that kept the app from learning whether anyone is signed in. */
  loadError: unknown;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [csrfToken, setCsrfToken] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    getSession(controller.signal).then(
      (info) => {
        setUser(info.user);
        setCsrfToken(info.csrfToken);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        if (isApiError(err) && err.status === 401) setUser(null);
        else {
          setLoadError(err);
          setUser(null);
        }
      },
    );
    return () => controller.abort();
  }, []);

  const signedIn = useCallback((info: SessionInfo) => {
    setUser(info.user);
    setCsrfToken(info.csrfToken);
    setLoadError(null);
  }, []);

  const expired = useCallback(() => {
    setUser(null);
    setCsrfToken(null);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await apiLogout(csrfToken);
    } catch (err) {
      // A session the server no longer knows is already signed out.
      if (!(isApiError(err) && err.status === 401)) throw err;
    } finally {
      expired();
    }
  }, [csrfToken, expired]);

  const value = useMemo(
    () => ({ user, csrfToken, signedIn, signOut, expired, loadError }),
    [user, csrfToken, signedIn, signOut, expired, loadError],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session; only inside {@link SessionProvider}. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error("useSession() must be used inside <SessionProvider>.");
  return value;
}

/** The session of a page that is only shown when signed in. */
export function useSignedIn(): { user: User; csrfToken: string | null; expired(): void } {
  const { user, csrfToken, expired } = useSession();
  if (!user) throw new Error("This page needs a signed-in user.");
  return { user, csrfToken, expired };
}
