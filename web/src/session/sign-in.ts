import { createApi } from "../api/clients.js";
import { createApiTransport } from "../api/transport.js";
import { probeCapabilities } from "./capabilities.js";
import { sessionStore } from "./session-store.js";

/**
 * Tries a token with a read before keeping it, so a wrong one is refused on
 * the sign-in page rather than on the next, then learns what the console may
 * offer it. Throws the API's error.
 */
export async function signInWithToken(token: string, orgId: string): Promise<void> {
  const candidate = { token: token.trim(), orgId: orgId.trim(), canWrite: false, instanceAdmin: false };
  const api = createApi(createApiTransport(() => candidate));
  await api.management.listActions({ query: { limit: 1 } });
  sessionStore.signIn({ ...candidate, ...(await probeCapabilities(api)) });
}
