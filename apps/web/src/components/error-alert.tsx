/** An error from the API (or anything thrown) shown to the user with its code. */
import { ApiError, errorMessage } from "../api-error.js";

export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (error === null || error === undefined) return null;
  const code = error instanceof ApiError ? error.code : null;
  return (
    <div className="alert alert-error" role="alert">
      <div className="alert-body">
        {title ? <strong className="alert-title">{title}</strong> : null}
        <span>{errorMessage(error)}</span>
      </div>
      {code ? <code className="alert-code">{code}</code> : null}
    </div>
  );
}
