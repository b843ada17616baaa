import http from "node:http";
import http2 from "node:http2";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { CompactSign } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PayloadType, ZitadelTargetService } from "../../gen/actiond/v1/zitadel_target_pb.js";
import { clientsFor } from "../support/execution-client.js";
import { headerInterceptor } from "../support/management-clients.js";
import { type SigningKey, type TestIssuer, freePort, makeSigningKey, startTestIssuer } from "../support/oidc-issuer.js";
import { createOrgWithToken } from "../support/orgs.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { type TargetAnswer, jweBody, jwsBody, nowSeconds, postToTarget, signatureHeader } from "../support/zitadel-caller.js";
import { ids, oidcPayload } from "../support/zitadel-v2-payloads.js";

// Every way the endpoint refuses a call (docs/zitadel-v2-target.md, The endpoint): the status, the
// JSON error, one log line, and nothing run.

let server: TestServer;
let issuer: TestIssuer;
let webKey: SigningKey;
let acme: ReturnType<typeof clientsFor>;
let targets: Client<typeof ZitadelTargetService>;

const signingKey = "zitadel-signing-key-rejections-Vb7Nq3Lx9Ws2Ke5T";
const otherKey = "a-key-zitadel-never-gave-us-Mx4Pz8Qr1Ty6";
const payload = JSON.stringify(oidcPayload());
let jsonTarget: string;
let jwtTarget: string;

beforeAll(async () => {
  [server, issuer] = await Promise.all([startTestServer(), startTestIssuer()]);
  webKey = await makeSigningKey("web-key-1", "ES256");
  issuer.serveKeys([webKey]);
  const org = await createOrgWithToken(server, ["ORG_OWNER"], "ACME", ids.org);
  acme = clientsFor(server.baseUrl, org.token);
  targets = createClient(
    ZitadelTargetService,
    createGrpcTransport({ baseUrl: server.baseUrl, interceptors: [headerInterceptor(() => ({ authorization: `Bearer ${server.adminToken}` }))] }),
  );
  jsonTarget = await createTarget({ name: "json", signingKeys: [signingKey] });
  jwtTarget = await createTarget({ name: "jwt", payloadType: PayloadType.JWT, issuer: issuer.url, signingKeys: [signingKey] });
  // Would leave a record and a claim if anything ran.
  const { id } = await acme.management.createAction({ name: "wouldRun", script: "function wouldRun(ctx, api) { api.v1.claims.setClaim('ran', true); }" });
  await acme.management.setTriggerActions({ flowType: "2", triggerType: "4", actionIds: [id] });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

async function createTarget(fields: Parameters<typeof targets.createZitadelTarget>[0]): Promise<string> {
  return (await targets.createZitadelTarget(fields)).target!.id;
}

const refusedLines = () => server.logs.filter((l) => l.msg === "ZITADEL target call refused");

/**
 * The call is refused with `status` and `reason`: `{"error", "message"}`, one
 * info line with the target, the reason and the remote address, and never
 * the body, a key or the signature in the log.
 */
async function expectRefused(send: () => Promise<TargetAnswer>, status: number, reason: string, targetId: string, secrets: string[] = []) {
  const before = refusedLines().length;
  const answer = await send();
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get("content-type")).toBe("application/json");
  expect(answer.json).toEqual({ error: reason, message: expect.any(String) });
  const lines = refusedLines().slice(before);
  expect(lines).toEqual([expect.objectContaining({ level: "info", targetId, reason, remote: expect.stringMatching(/127\.0\.0\.1$/) })]);
  const logged = JSON.stringify(lines);
  for (const secret of [signingKey, otherKey, payload, ...secrets]) expect(logged).not.toContain(secret);
  return answer;
}

const signed = (targetId: string, body: string, header: string) => () => postToTarget(server.baseUrl, targetId, body, { "zitadel-signature": header });

describe("refusals on the headers, before the body", () => {
  it("answers 405 with Allow: POST to any other method", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const answer = await expectRefused(() => postToTarget(server.baseUrl, jsonTarget, payload, {}, method), 405, "method-not-allowed", jsonTarget);
      expect(answer.headers.get("allow")).toBe("POST");
    }
  });

  it("answers 404 to an unknown target, whatever the body's size", async () => {
    await expectRefused(signed("4040404040", payload, signatureHeader(payload, signingKey)), 404, "unknown-target", "4040404040");
    await expectRefused(() => endlessPost("4040404040", {}), 404, "unknown-target", "4040404040");
  });

  it("answers 401 to a missing, malformed, stale or future signature header, before a body over the cap", async () => {
    const header = signatureHeader(payload, signingKey);
    await expectRefused(() => postToTarget(server.baseUrl, jsonTarget, payload), 401, "missing-signature", jsonTarget);
    for (const bad of ["garbage", `t=soon,v1=${"ab".repeat(32)}`, header.replace(/v1=[0-9a-f]+/, "v1=xyz"), `${header}, ${header}`]) {
      await expectRefused(signed(jsonTarget, payload, bad), 401, "malformed-signature", jsonTarget);
    }
    await expectRefused(signed(jsonTarget, payload, signatureHeader(payload, signingKey, nowSeconds() - 3600)), 401, "stale", jsonTarget);
    await expectRefused(signed(jsonTarget, payload, signatureHeader(payload, signingKey, nowSeconds() + 3600)), 401, "future", jsonTarget);
    // The window is checked before the body is read: a body that never ends does not get as far as 413.
    await expectRefused(() => endlessPost(jsonTarget, { "zitadel-signature": signatureHeader("", signingKey, nowSeconds() - 3600) }), 401, "stale", jsonTarget);
    expect(server.app.load().heldRequestBytes).toBe(0);
  });
});

describe("over HTTP/2", () => {
  it("answers a stale call and an oversized one on their stream while the body is still coming", async () => {
    const session = http2.connect(server.baseUrl);
    session.on("error", () => {});
    try {
      const stale = await endlessStream(session, jsonTarget, signatureHeader("", signingKey, nowSeconds() - 3600));
      expect(stale).toEqual({ status: 401, json: { error: "stale", message: expect.any(String) } });
      const big = await endlessStream(session, jsonTarget, signatureHeader("", signingKey));
      expect(big).toEqual({ status: 413, json: { error: "too-large", message: "the body is larger than 262144 bytes" } });
      // The session outlives both.
      const ok = await endlessStream(session, "4040404040", "");
      expect(ok.status).toBe(404);
    } finally {
      session.destroy();
    }
    expect(server.app.load().heldRequestBytes).toBe(0);
  });
});

describe("refusals on the body", () => {
  it("answers 401 to a body signed with another key, or changed after signing", async () => {
    await expectRefused(signed(jsonTarget, payload, signatureHeader(payload, otherKey)), 401, "bad-signature", jsonTarget);
    const header = signatureHeader(payload, signingKey);
    await expectRefused(signed(jsonTarget, payload.replace("Minnie", "Mickey"), header), 401, "bad-signature", jsonTarget);
    await expectRefused(signed(jsonTarget, `${payload} `, header), 401, "bad-signature", jsonTarget);
  });

  it("answers 413 to a body over --zitadel-target-max-body-bytes, declared or streamed", async () => {
    const big = JSON.stringify({ ...oidcPayload(), padding: "x".repeat(300 * 1024) });
    await expectRefused(signed(jsonTarget, big, signatureHeader(big, signingKey)), 413, "too-large", jsonTarget);

    const streamed = await expectRefused(() => endlessPost(jsonTarget, { "zitadel-signature": signatureHeader("", signingKey) }), 413, "too-large", jsonTarget);
    expect(streamed.json.message).toBe("the body is larger than 262144 bytes");
    expect(server.app.load().heldRequestBytes).toBe(0);
  });

  it("answers 400 to a trusted body that is not a v2 payload, naming the field", async () => {
    const cases: [string, RegExp][] = [
      ["not json", /^body: /],
      ["[1, 2]", /^body: /],
      ['{"function":"function/preuser"}', /^function: /],
      ['{"user":{"id":"1"}}', /^function: /],
      ['{"function":"function/preuserinfo","user":{"human":{"gender":"purple"}}}', /^user\.human\.gender: /],
      ['{"fullMethod":"/zitadel.user.v2.UserService/AddHumanUser"}', /^request: /],
      // Too deep for a script's context, named as the context names it; too deep even to parse.
      [`{"function":"preuserinfo","org":{"id":"${ids.org}"},"userinfo":{"deep":${"[".repeat(100)}${"]".repeat(100)}}}`, /^context\.claims\.deep\[0\].*nested too deeply/],
      [`{"function":"preuserinfo","userinfo":{"deep":${"[".repeat(20_000)}${"]".repeat(20_000)}}}`, /^body: is nested too deeply to read$/],
    ];
    for (const [body, field] of cases) {
      const answer = await expectRefused(signed(jsonTarget, body, signatureHeader(body, signingKey)), 400, "bad-payload", jsonTarget, [body]);
      expect(answer.json.message).toMatch(field);
    }
  });

  it("refuses a JWS body that is malformed, of a forbidden algorithm, by an unknown key or forged", async () => {
    const bare = (body: string) => () => postToTarget(server.baseUrl, jwtTarget, body);
    await expectRefused(bare(payload), 401, "malformed-body", jwtTarget);
    const hs256 = await new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(new TextEncoder().encode(signingKey));
    await expectRefused(bare(hs256), 401, "algorithm-not-allowed", jwtTarget);
    const stranger = await makeSigningKey("not-in-the-jwks", "ES256");
    await expectRefused(bare(await jwsBody(payload, stranger)), 401, "unknown-key", jwtTarget);
    const impostor = await makeSigningKey(webKey.kid, "ES256");
    await expectRefused(bare(await jwsBody(payload, impostor)), 401, "bad-signature", jwtTarget);
    // With the header, it must verify too, over the compact string.
    const jws = await jwsBody(payload, webKey);
    await expectRefused(signed(jwtTarget, jws, signatureHeader(jws, otherKey)), 401, "bad-signature", jwtTarget);
  });

  it("refuses a JWE that does not decrypt with the target's key, and a plain body to a JWE target", async () => {
    const { target } = await targets.createZitadelTarget({ name: "jwe", payloadType: PayloadType.JWE, issuer: issuer.url });
    const { target: other } = await targets.createZitadelTarget({ name: "another jwe", payloadType: PayloadType.JWE, issuer: issuer.url });
    const jws = await jwsBody(payload, webKey);
    const toOther = await jweBody(jws, other!.publicKeyPem);
    await expectRefused(() => postToTarget(server.baseUrl, target!.id, toOther), 401, "undecryptable", target!.id);
    await expectRefused(() => postToTarget(server.baseUrl, target!.id, jws), 401, "malformed-body", target!.id);
  });

  it("answers 503 when the issuer cannot be reached, and 500 when the target cannot check what it is sent", async () => {
    const down = await createTarget({ name: "issuer down", payloadType: PayloadType.JWT, issuer: `http://127.0.0.1:${await freePort()}` });
    await expectRefused(async () => postToTarget(server.baseUrl, down, await jwsBody(payload, webKey)), 503, "issuer-unavailable", down);
    // A JWT target holds no signing key; a signature header it cannot check is not trusted.
    const keyless = await createTarget({ name: "keyless jwt", payloadType: PayloadType.JWT, issuer: issuer.url });
    const jws = await jwsBody(payload, webKey);
    await expectRefused(signed(keyless, jws, signatureHeader(jws, signingKey)), 500, "not-configured", keyless);
  });
});

describe("replay and rotation", () => {
  it("refuses a body signed with a key removed in a rotation, and takes the new one", async () => {
    const rotated = await createTarget({ name: "rotating", signingKeys: [signingKey] });
    const newKey = "zitadel-rotated-key-Pq2Wm8Ln5Xc1Rv7Z";
    await targets.addZitadelTargetKey({ id: rotated, signingKeys: [newKey] });
    expect((await postToTarget(server.baseUrl, rotated, payload, { "zitadel-signature": signatureHeader(payload, signingKey) })).status).toBe(200);
    await targets.removeZitadelTargetKey({ id: rotated, keyId: "1" });
    await expectRefused(signed(rotated, payload, signatureHeader(payload, signingKey)), 401, "bad-signature", rotated, [newKey]);
    const fresh = await postToTarget(server.baseUrl, rotated, payload, { "zitadel-signature": signatureHeader(payload, newKey) });
    expect(fresh).toMatchObject({ status: 200, json: { append_claims: [{ key: "ran", value: true }] } });
  });

  it("takes a captured call once and refuses it replayed after the tolerance (--zitadel-signature-tolerance)", { timeout: 60_000 }, async () => {
    const short = await startTestServer({ zitadelTarget: { maxBodyBytes: 256 * 1024, signatureToleranceSeconds: 5 } });
    try {
      const { target } = await createClient(
        ZitadelTargetService,
        createGrpcTransport({ baseUrl: short.baseUrl, interceptors: [headerInterceptor(() => ({ authorization: `Bearer ${short.adminToken}` }))] }),
      ).createZitadelTarget({ name: "replayed", signingKeys: [signingKey] });
      const t = nowSeconds();
      const header = signatureHeader(payload, signingKey, t);
      const first = await postToTarget(short.baseUrl, target!.id, payload, { "zitadel-signature": header });
      expect(first.status, first.text).toBe(200);
      // Past the tolerance by a whole second, whatever the machine's speed.
      await new Promise((r) => setTimeout(r, Math.max(0, (t + 7) * 1000 - Date.now())));
      const replay = await postToTarget(short.baseUrl, target!.id, payload, { "zitadel-signature": header });
      expect(replay).toMatchObject({ status: 401, json: { error: "stale" } });
      expect(short.logs).toContainEqual(expect.objectContaining({ msg: "ZITADEL target call refused", reason: "stale", targetId: target!.id }));
    } finally {
      await short.close();
    }
  });
});

describe("after every refusal", () => {
  it("ran nothing: the org has no execution but the rotation's two accepted calls", async () => {
    const { result } = await acme.execution.listExecutions({});
    expect(result.map((e) => e.zitadelTargetId)).toEqual([expect.any(String), expect.any(String)]);
    expect(new Set(result.map((e) => e.zitadelTargetId)).size).toBe(1);
    expect(result.every((e) => e.zitadelTargetId !== jsonTarget && e.zitadelTargetId !== jwtTarget)).toBe(true);
  });
});

/** A POST whose chunked body never ends: resolves with the answer the endpoint gives before it ends. */
function endlessPost(targetId: string, headers: http.OutgoingHttpHeaders): Promise<TargetAnswer> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.baseUrl}/zitadel/v2/targets/${targetId}`, {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked", ...headers },
    });
    req.on("error", () => {}); // the server closes the connection once it has answered and dropped enough
    req.on("response", (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        const headers = new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
        resolve({ status: res.statusCode ?? 0, headers, text, json: JSON.parse(text) });
      });
      res.on("error", reject);
    });
    const pump = () => {
      while (!req.destroyed && req.write(chunk));
    };
    req.on("drain", pump);
    pump();
  });
}

/** The same on an HTTP/2 stream: resolves with the answer's status and JSON once the stream closes. */
function endlessStream(session: http2.ClientHttp2Session, targetId: string, signature: string): Promise<{ status: number; json: unknown }> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const stream = session.request({ ":method": "POST", ":path": `/zitadel/v2/targets/${targetId}`, "content-type": "application/json", "zitadel-signature": signature });
  let status = 0;
  const parts: Buffer[] = [];
  stream.on("response", (h) => (status = Number(h[":status"])));
  stream.on("data", (d: Buffer) => parts.push(d));
  stream.on("error", () => {});
  const pump = () => {
    while (!stream.closed && stream.write(chunk));
  };
  stream.on("drain", pump);
  pump();
  return new Promise((resolve) => stream.once("close", () => resolve({ status, json: JSON.parse(Buffer.concat(parts).toString("utf8")) })));
}
