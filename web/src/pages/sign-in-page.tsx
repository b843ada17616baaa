import { type FormEvent, useState, useSyncExternalStore } from "react";
import { type ApiError, toApiError } from "../api/api-error.js";
import { createApi } from "../api/clients.js";
import { createApiTransport } from "../api/transport.js";
import { ErrorBanner } from "../components/error-banner.js";
import { probeCapabilities } from "../session/capabilities.js";
import { sessionStore } from "../session/session-store.js";

/**
 * Sign-in with a pasted token (`actiond token create`, or the data dir's
 * admin.token): it is tried with a read before it is kept, so a wrong one is
 * refused here rather than on the next page.
 */
export function SignInPage() {
  const notice = useSyncExternalStore(sessionStore.subscribe, sessionStore.notice);
  const [token, setToken] = useState("");
  const [orgId, setOrgId] = useState("");
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const candidate = { token: token.trim(), orgId: orgId.trim(), canWrite: false, instanceAdmin: false };
    const api = createApi(createApiTransport(() => candidate));
    try {
      await api.management.listActions({ query: { limit: 1 } });
      sessionStore.signIn({ ...candidate, ...(await probeCapabilities(api)) });
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to actiond</h1>
      {notice && (
        <p className="notice" role="alert">
          {notice}
        </p>
      )}
      <form onSubmit={signIn}>
        <label htmlFor="token">Token</label>
        <textarea
          id="token"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          rows={3}
          required
          autoComplete="off"
          spellCheck={false}
          aria-describedby="token-help"
        />
        <p id="token-help" className="help">
          An actiond token (<code>actiond token create</code>, or <code>admin.token</code> in the data dir) or an access token of
          the configured OIDC issuer. It is kept for this tab only.
        </p>
        <label htmlFor="sign-in-org">Org ID (optional)</label>
        <input id="sign-in-org" value={orgId} onChange={(e) => setOrgId(e.target.value)} autoComplete="off" />
        <ErrorBanner error={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
