/** Trusting a call from ZITADEL to a v2 target: the surface the endpoint and the target resource use. */
export {
  type ZitadelCall,
  type ZitadelCallHead,
  type ZitadelCallResult,
  type ZitadelCallVerifier,
  type ZitadelCallVerifierOptions,
  type ZitadelPayloadType,
  createZitadelCallVerifier,
} from "./zitadel-call-verifier.js";
export type { ZitadelCallReason, ZitadelCallRefusal } from "./refusal.js";
export { type JweKeyKind, type JweKeyPair, generateJweKeyPair, jweKeyAlgorithm } from "./jwe-key-pair.js";
export { type SignatureWindow, defaultSignatureWindow, preCheckSignatureHeader, signatureHeaderName } from "./signature-header.js";
export { verifySignatureHeader } from "./verify-signature.js";
export { decryptJweBody } from "./jwe-body.js";
export { verifyJwsBody } from "./jws-body.js";
