import { Code, ConnectError, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { type Session, sessionStore } from "../session/session-store.js";

/**
 * Sends the session's token and org with every call, as any client does, and
 * ends the session when the server no longer knows the token (expired or
 * revoked): the user is sent back to sign-in with the server's reason.
 */
function authInterceptor(session: () => Session | undefined): Interceptor {
  return (next) => async (req) => {
    const s = session();
    if (s) {
      req.header.set("Authorization", `Bearer ${s.token}`);
      if (s.orgId) req.header.set("x-zitadel-orgid", s.orgId);
    }
    try {
      return await next(req);
    } catch (err) {
      const e = ConnectError.from(err);
      if (e.code === Code.Unauthenticated && s && sessionStore.get()?.token === s.token) {
        sessionStore.signOut(`You were signed out: ${e.rawMessage}`);
      }
      throw e;
    }
  };
}

/**
 * gRPC-Web in binary, as browser gRPC-Web clients call actiond; the console
 * is the proof that they can. `session` is read per call, so a token typed on
 * the sign-in page can be tried before it is kept.
 */
export function createApiTransport(session: () => Session | undefined = sessionStore.get): Transport {
  return createGrpcWebTransport({
    baseUrl: location.origin,
    useBinaryFormat: true,
    interceptors: [authInterceptor(session)],
  });
}
