/** Loading an API answer for a component: value, error, and a reload that refetches. */
import { useCallback, useEffect, useState } from "react";
import { isApiError } from "../api-error.js";
import { useSession } from "../session.js";

export interface Loaded<T> {
  value: T | null;
  error: unknown;
  reload(): void;
}

/** Calls `load` when `key` changes (and on reload); a 401 ends the session. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, key: string): Loaded<T> {
  const { expired, user } = useSession();
  const signedIn = Boolean(user);
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what `load` reads.
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (v) => {
        setValue(v);
        setError(null);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        // A 401 ends a session; a visitor who never signed in sees the error (and a sign-in link).
        if (isApiError(err) && err.status === 401 && signedIn) expired();
        else setError(err);
      },
    );
    return () => controller.abort();
  }, [key, round, expired, signedIn]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { value, error, reload };
}

/** Link target inside the portal app: `/portals?org=…&tab=…&…`. */
export function portalHref(org?: string, tab?: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (org) q.set("org", org);
  if (tab) q.set("tab", tab);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `/portals?${s}` : "/portals";
}

export const ROLE_RANK = { public: 0, observer: 1, member: 2, admin: 3, owner: 4 } as const;

/** A write started from a form or button: `run(work)` tracks busy and the error; true when it succeeded. */
export function useAction(): {
  busy: boolean;
  error: unknown;
  run(work: () => Promise<unknown>): Promise<boolean>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
