/** The secret of a key just created, shown this one time with a copy button. */
import type { CreatedApiKey } from "../api-types.js";
import { CopyButton } from "./copy-button.js";

export function NewSecretPanel({ created, onDone }: { created: CreatedApiKey; onDone(): void }) {
  return (
    <section className="secret-panel" aria-labelledby="secret-title">
      <h3 id="secret-title">Key “{created.apiKey.name}” created</h3>
      <p className="secret-warning" role="alert">
        Copy this secret now and keep it somewhere safe. It is shown only once: Meridian stores only a hash
        and cannot show it again.
      </p>
      <div className="secret-row">
        <code className="secret" data-testid="api-key-secret">
          {created.secret}
        </code>
        <CopyButton text={created.secret} />
      </div>
      <p className="muted">
        Use it as <code>Authorization: Bearer {created.apiKey.prefix}…</code>
      </p>
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </section>
  );
}
