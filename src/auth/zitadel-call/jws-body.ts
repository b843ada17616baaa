import { compactVerify, decodeProtectedHeader } from "jose";
import { type IssuerKeysResult, allowedAlgorithms, refusalFrom } from "../oidc/index.js";
import { exactText } from "./exact-text.js";
import { type ZitadelCallReason, type ZitadelCallRefusal, refuse } from "./refusal.js";

const jwsCompact = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Registered claims every ZITADEL token carries and no call body does (docs/zitadel-v2-target.md, "Trusting a call"). */
const tokenClaims = ["iss", "exp"];

const reasonOf: Record<ReturnType<typeof refusalFrom>["reason"], ZitadelCallReason> = {
  "bad-signature": "bad-signature",
  "unknown-key": "unknown-key",
  "issuer-unavailable": "issuer-unavailable",
  "algorithm-not-allowed": "algorithm-not-allowed",
  unsupported: "algorithm-not-allowed",
  // compactVerify checks no claims; these cannot occur, and are refusals all the same.
  malformed: "malformed-body",
  expired: "malformed-body",
  "not-yet-valid": "malformed-body",
  "claim-invalid": "malformed-body",
};

/**
 * Verifies a PAYLOAD_TYPE_JWT body: a compact JWS signed with one of the
 * issuer's web keys (asymmetric only, header `typ: JWT`), whose payload is the
 * call's JSON exactly. Returns those payload bytes. There is no iss/exp/aud to
 * check: only the signature says the body is ZITADEL's, and it says nothing
 * about when; the ZITADEL-Signature header, when sent, is what limits replay.
 */
export async function verifyJwsBody(
  body: string,
  issuerKeys: () => Promise<IssuerKeysResult>,
): Promise<{ ok: true; payload: Uint8Array } | ZitadelCallRefusal> {
  if (!jwsCompact.test(body)) return refuse("malformed-body", "the body is not a compact JWS");
  // Refuse what no key could verify before touching the network.
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(body);
  } catch {
    return refuse("malformed-body", "the JWS header is not a JSON object");
  }
  if (typeof header.alg !== "string" || !allowedAlgorithms.includes(header.alg)) {
    const alg = JSON.stringify(String(header.alg).slice(0, 20));
    return refuse("algorithm-not-allowed", `JWS alg ${alg} is not an asymmetric signature`);
  }
  if (typeof header.typ !== "string" || header.typ.toUpperCase() !== "JWT") {
    return refuse("malformed-body", "the JWS header's typ is not JWT");
  }
  // ZITADEL signs the payload as is; an unencoded (b64) or critical-extension JWS is not its.
  if ("b64" in header || "crit" in header) return refuse("malformed-body", "the JWS header has b64 or crit");

  const keys = await issuerKeys();
  if (!keys.ok) return refuse("issuer-unavailable", keys.detail);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(body, keys.resolve, { algorithms: [...allowedAlgorithms] }));
  } catch (error) {
    const refusal = refusalFrom(error);
    return refuse(reasonOf[refusal.reason], "detail" in refusal ? refusal.detail : `JWS refused: ${refusal.reason}`);
  }
  if (!isCallPayload(payload)) return refuse("malformed-body", "the JWS payload is a token or not a JSON object, not a call");
  return { ok: true, payload };
}

/**
 * The instance key that signs calls also signs ID tokens and JWT access tokens,
 * which users hold. Their claims are a JSON object too; the registered claims
 * tell them apart from a call, so a token cannot be posted in place of a call.
 */
function isCallPayload(payload: Uint8Array): boolean {
  const text = exactText(payload);
  if (text === undefined) return false;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return !tokenClaims.some((claim) => Object.hasOwn(value, claim));
}
