import { type FormEvent, useEffect, useState, useSyncExternalStore } from "react";
import { type ApiError, toApiError } from "../api/api-error.js";
import { type ConsoleConfig, consoleConfig } from "../api/console-config.js";
import { ErrorBanner } from "../components/error-banner.js";
import { startOidcSignIn } from "../session/oidc-sign-in.js";
import { sessionStore } from "../session/session-store.js";
import { signInWithToken } from "../session/sign-in.js";

/**
 * Sign-in with a pasted token (`actiond token create`, or the data dir's
 * admin.token), or through the OIDC issuer when the server names a client
 * for the console. Either way the token is kept for this tab only.
 */
export function SignInPage() {
  const notice = useSyncExternalStore(sessionStore.subscribe, sessionStore.notice);
  const [config, setConfig] = useState<ConsoleConfig>({});
  const [token, setToken] = useState("");
  const [orgId, setOrgId] = useState("");
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void consoleConfig().then(setConfig);
  }, []);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signInWithToken(token, orgId);
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  }

  async function signInWithOidc() {
    setBusy(true);
    setError(undefined);
    try {
      await startOidcSignIn(config.oidc!, location.pathname + location.search);
    } catch (err) {
      setError({ code: "Unavailable", message: (err as Error).message, fields: {} });
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
      {config.oidc && (
        <p>
          <button type="button" className="primary" disabled={busy} onClick={signInWithOidc}>
            Sign in with {new URL(config.oidc.issuer).host}
          </button>
        </p>
      )}
      <form onSubmit={signIn} aria-label="Sign in with a token">
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
