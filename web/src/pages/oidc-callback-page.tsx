import { useEffect, useRef } from "react";
import { toApiError } from "../api/api-error.js";
import { consoleConfig } from "../api/console-config.js";
import { finishOidcSignIn } from "../session/oidc-sign-in.js";
import { sessionStore } from "../session/session-store.js";
import { signInWithToken } from "../session/sign-in.js";

/** Where the issuer sends the browser back: trades the code for a token and signs in with it, or says why not. */
export function OidcCallbackPage() {
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      try {
        const { oidc } = await consoleConfig();
        if (!oidc) throw new Error("this server has no OIDC sign-in configured");
        const { token, returnTo } = await finishOidcSignIn(oidc, location.search);
        history.replaceState(null, "", returnTo);
        await signInWithToken(token, "");
      } catch (err) {
        history.replaceState(null, "", "/console/");
        const message = err instanceof Error && !("code" in err) ? err.message : toApiError(err).message;
        sessionStore.signOut(`Signing in through OIDC failed: ${message}`);
      }
    })();
  }, []);
  return (
    <main id="main">
      <p role="status">Signing in…</p>
    </main>
  );
}
