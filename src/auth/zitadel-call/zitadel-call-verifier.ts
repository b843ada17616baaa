import { type IssuerKeysOptions, type IssuerKeysResult, createIssuerKeys } from "../oidc/index.js";
import { exactText } from "./exact-text.js";
import { decryptJweBody } from "./jwe-body.js";
import { verifyJwsBody } from "./jws-body.js";
import { type ZitadelCallRefusal, refuse } from "./refusal.js";
import { type SignatureWindow, defaultSignatureWindow, preCheckSignatureHeader, signatureHeaderName } from "./signature-header.js";
import { verifySignatureHeader } from "./verify-signature.js";

/** A target's `payload_type` in ZITADEL: PAYLOAD_TYPE_JSON (and UNSPECIFIED), _JWT, _JWE. */
export type ZitadelPayloadType = "json" | "jwt" | "jwe";

/** What the endpoint knows before reading the body. */
export interface ZitadelCallHead {
  payloadType: ZitadelPayloadType;
  /** A request header by lower-case name (Node's `req.headers[name]`); undefined when absent. */
  header: (name: string) => string | undefined;
}

/** A received call and what its target holds to trust it. */
export interface ZitadelCall extends ZitadelCallHead {
  /** The exact bytes received; the signature covers them, never a re-serialisation. */
  body: Uint8Array;
  /** The target's HMAC signing keys, as ZITADEL returned them; several during a rotation. */
  signingKeys: readonly string[];
  /** PAYLOAD_TYPE_JWT and _JWE: the ZITADEL instance URL, as its discovery document states it. */
  issuer?: string;
  /** PAYLOAD_TYPE_JWE: the target's private key (PKCS#8 PEM). */
  jwePrivateKeyPem?: string;
  /** PAYLOAD_TYPE_JWE: the id ZITADEL gave the uploaded public key, if the target knows it. */
  jweKeyId?: string;
}

export type ZitadelCallResult =
  | {
      ok: true;
      /** The call's JSON: the body itself, or the JWS payload. */
      json: Uint8Array;
      /** The header's signing time (unix seconds); undefined when a JWS alone was trusted. */
      signedAt: number | undefined;
    }
  | ZitadelCallRefusal;

export interface ZitadelCallVerifierOptions extends Omit<IssuerKeysOptions, "issuer"> {
  /** Default `() => new Date()`. */
  now?: () => Date;
  /** Oldest accepted signature, in seconds. Default 300, as ZITADEL's own validator. */
  toleranceSeconds?: number;
  /** Furthest accepted signature ahead of actiond's clock, in seconds. Default 60. */
  futureSkewSeconds?: number;
}

export interface ZitadelCallVerifier {
  /** The header checks that need no body; undefined when the body is worth reading. */
  preCheck(head: ZitadelCallHead): ZitadelCallRefusal | undefined;
  /** Whether the call is ZITADEL's, and its JSON if so. Never throws. */
  verify(call: ZitadelCall): Promise<ZitadelCallResult>;
}

/**
 * Decides whether a call to a ZITADEL target really comes from ZITADEL
 * (docs/zitadel-v2-target.md, "Trusting a call"). JSON calls need the
 * ZITADEL-Signature header. JWT and JWE calls are trusted on the instance's JWS;
 * a header, if sent, must verify as well, and is then what bounds replay.
 */
export function createZitadelCallVerifier(options: ZitadelCallVerifierOptions = {}): ZitadelCallVerifier {
  const now = options.now ?? (() => new Date());
  const window: SignatureWindow = {
    toleranceSeconds: options.toleranceSeconds ?? defaultSignatureWindow.toleranceSeconds,
    futureSkewSeconds: options.futureSkewSeconds ?? defaultSignatureWindow.futureSkewSeconds,
  };
  // One discovery and JWKS cache per issuer; issuers come from targets, not from callers.
  const issuers = new Map<string, () => Promise<IssuerKeysResult>>();
  const keysOf = (issuer: string) => {
    let keys = issuers.get(issuer);
    if (!keys) issuers.set(issuer, (keys = createIssuerKeys({ ...options, issuer })));
    return keys;
  };

  function preCheck({ payloadType, header }: ZitadelCallHead): ZitadelCallRefusal | undefined {
    const value = header(signatureHeaderName);
    if (payloadType !== "json" && value === undefined) return undefined;
    const checked = preCheckSignatureHeader(value, now(), window);
    return checked.ok ? undefined : checked;
  }

  async function verifyBody(call: ZitadelCall): Promise<ZitadelCallResult> {
    const value = call.header(signatureHeaderName);
    let signedAt: number | undefined;
    if (call.payloadType === "json" || value !== undefined) {
      const signed = verifySignatureHeader(value, call.body, call.signingKeys, now(), window);
      if (!signed.ok) return signed;
      signedAt = signed.signedAt;
    }
    if (call.payloadType === "json") return { ok: true, json: call.body, signedAt };

    if (!call.issuer || !/^https?:\/\//.test(call.issuer)) return refuse("not-configured", "the target has no http(s) issuer");
    let text = exactText(call.body);
    if (text === undefined) return refuse("malformed-body", "the body is not text");
    if (call.payloadType === "jwe") {
      if (!call.jwePrivateKeyPem) return refuse("not-configured", "the target has no JWE private key");
      const opened = await decryptJweBody(text, call.jwePrivateKeyPem, call.jweKeyId);
      if (!opened.ok) return opened;
      text = opened.jws;
    }
    const verified = await verifyJwsBody(text, keysOf(call.issuer));
    return verified.ok ? { ok: true, json: verified.payload, signedAt } : verified;
  }

  return {
    preCheck,
    async verify(call) {
      try {
        return await verifyBody(call);
      } catch (error) {
        // Belt and braces: every step above returns its refusals; an exception is still no trust.
        return refuse("malformed-body", `unexpected: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
