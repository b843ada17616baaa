import { useState } from "react";
import { api } from "../api/clients.js";
import { useChange } from "../api/use-change.js";
import { useLoad } from "../api/use-load.js";
import { ErrorBanner } from "../components/error-banner.js";
import { SecretsTable } from "../secrets/secrets-table.js";
import { secretFieldErrors, SetSecretForm } from "../secrets/set-secret-form.js";
import { useSession } from "../session/use-session.js";

/**
 * The org's secrets (docs/secrets.md): names and who set them, set or
 * replace a value, delete. Values go one way, into the API. The console's
 * write probe asks for org.action.write; the roles that hold it (IAM_OWNER,
 * ORG_OWNER) hold org.secret.write too, and a viewer holds neither.
 */
export function SecretsPage() {
  const canWrite = useSession()?.canWrite ?? false;
  const list = useLoad(() => api.secrets.listSecrets({}), []);
  const { error, status, busy, change } = useChange();
  // A new object per click, so choosing the same name again still moves focus to the value.
  const [replacing, setReplacing] = useState<{ name: string }>();
  const fields = secretFieldErrors(error);
  const secrets = list.data?.secrets ?? [];

  return (
    <>
      <h1>Secrets</h1>
      <p className="help">Values the org's scripts read at run time instead of carrying them in their source. No one can read a value back.</p>
      <ErrorBanner error={list.error ?? (fields.name || fields.value ? undefined : error)} />
      <p role="status" className="status">
        {status}
      </p>
      {canWrite && (
        <SetSecretForm
          error={error}
          busy={busy}
          replacing={replacing}
          onSet={(name, value) => change(() => api.secrets.setSecret({ name, value }), `Saved ${name}.`, list.reload)}
        />
      )}
      <h2>This org's secrets</h2>
      <p role="status" className="count">
        {list.loading ? "Loading…" : `${secrets.length} secret${secrets.length === 1 ? "" : "s"}`}
      </p>
      {secrets.length > 0 && (
        <SecretsTable
          secrets={secrets}
          canWrite={canWrite}
          busy={busy}
          onReplace={(name) => setReplacing({ name })}
          onDelete={(name) => void change(() => api.secrets.deleteSecret({ name }), `Deleted ${name}.`, list.reload)}
        />
      )}
    </>
  );
}
