import { createHmac, createPublicKey } from "node:crypto";
import http2 from "node:http2";
import { CompactEncrypt, CompactSign } from "jose";
import type { SigningKey } from "./oidc-issuer.js";

/**
 * A caller that behaves as ZITADEL Actions v2 does towards a REST Call target
 * (docs/zitadel-v2-target.md): POST with `Content-Type: application/json`,
 * the body as Go's encoder wrote it, signed in `ZITADEL-Signature`, or as a
 * JWS, or as a JWS inside a JWE.
 */
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>`, one v1 per key, as ZITADEL signs. */
export function signatureHeader(body: string | Uint8Array, keys: string | string[], t = nowSeconds()): string {
  const parts = [keys].flat().map((key) => `v1=${createHmac("sha256", key).update(`${t}.`).update(body).digest("hex")}`);
  return [`t=${t}`, ...parts].join(",");
}

/** The compact JWS ZITADEL sends for PAYLOAD_TYPE_JWT: the body's exact bytes, `typ: JWT`, the web key's kid. */
export function jwsBody(body: string, key: SigningKey): Promise<string> {
  return new CompactSign(new TextEncoder().encode(body)).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT" }).sign(key.privateKey);
}

/** The compact JWE ZITADEL sends for PAYLOAD_TYPE_JWE: the JWS encrypted to the target's public key (an EC key: ECDH-ES+A256KW). */
export function jweBody(jws: string, publicKeyPem: string, kid = "zitadel-key-1"): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(jws))
    .setProtectedHeader({ alg: "ECDH-ES+A256KW", enc: "A256GCM", typ: "JWT", cty: "JWT", kid })
    .encrypt(createPublicKey(publicKeyPem));
}

export interface TargetAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** POSTs `body` to a target's endpoint over HTTP/1.1, as ZITADEL's Go client does. */
export async function postToTarget(
  baseUrl: string,
  targetId: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  method = "POST",
): Promise<TargetAnswer> {
  const res = await fetch(`${baseUrl}/zitadel/v2/targets/${encodeURIComponent(targetId)}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: method === "GET" || method === "HEAD" ? undefined : body,
  });
  return answerOf(res);
}

/** A fetch response read whole: its body as text, and as JSON when it is JSON. */
export async function answerOf(res: Response): Promise<TargetAnswer> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The same over cleartext HTTP/2 (prior knowledge). */
export function postToTargetH2(baseUrl: string, targetId: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(baseUrl);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": `/zitadel/v2/targets/${targetId}`, "content-type": "application/json", ...headers });
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on("response", (h) => (status = Number(h[":status"])));
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", reject);
    stream.on("end", () => {
      session.close();
      resolve({ status, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
    });
    stream.end(body);
  });
}
