import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Execution, Outcome } from "../../gen/actiond/v1/execution_pb.js";
import { SecretService } from "../../gen/actiond/v1/secret_pb.js";
import { FailurePolicy, PayloadType, ZitadelTargetService } from "../../gen/actiond/v1/zitadel_target_pb.js";
import { runCli } from "../../src/cli/run-cli.js";
import type { JsonObject } from "../../src/runtime/index.js";
import { clientsFor } from "../support/execution-client.js";
import { headerInterceptor } from "../support/management-clients.js";
import { type SigningKey, type TestIssuer, makeSigningKey, startTestIssuer } from "../support/oidc-issuer.js";
import { createOrgWithToken, servedDataArgs } from "../support/orgs.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { jweBody, jwsBody, nowSeconds, postToTarget, postToTargetH2, signatureHeader } from "../support/zitadel-caller.js";
import { addHumanUserBody, addHumanUserRequest, base64, camelGrant, ids, oidcPayload, samlPayload, v1User } from "../support/zitadel-v2-payloads.js";

// Issue 10, end to end: a caller that behaves as ZITADEL Actions v2 (docs/zitadel-v2-target.md)
// calls the real server's target endpoint; the org's v1 actions run as RunTrigger runs them.

let server: TestServer;
let issuer: TestIssuer;
let webKey: SigningKey;
let acme: ReturnType<typeof clientsFor>;
let acmeToken: string;
let targets: Client<typeof ZitadelTargetService>;

const signingKey = "zitadel-signing-key-Hx7Qp2mLw9Vt4Rk8Zs3Yd6Nf1Bc5Gj0a";
let jsonTarget: string;

beforeAll(async () => {
  [server, issuer] = await Promise.all([startTestServer(), startTestIssuer()]);
  webKey = await makeSigningKey("web-key-1", "ES256");
  issuer.serveKeys([webKey]);
  // The actiond org that stands for the ZITADEL org the payloads name, as `org create --id` makes it.
  const org = await createOrgWithToken(server, ["ORG_OWNER"], "ACME", ids.org);
  acmeToken = org.token;
  acme = clientsFor(server.baseUrl, org.token);
  targets = createClient(
    ZitadelTargetService,
    createGrpcTransport({ baseUrl: server.baseUrl, interceptors: [headerInterceptor(() => ({ authorization: `Bearer ${server.adminToken}` }))] }),
  );
  jsonTarget = await createTarget({ name: "zitadel json" });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

async function createTarget(fields: Parameters<typeof targets.createZitadelTarget>[0]): Promise<string> {
  const { target } = await targets.createZitadelTarget({ signingKeys: [signingKey], ...fields });
  return target!.id;
}

let actionCount = 0;

interface ActionSpec {
  /** The script's function name; the action gets a unique name that ends with it. */
  name: string;
  body: string;
  allowedToFail?: boolean;
}

/** Creates the actions in an org and makes them the trigger's, in order; returns their names. */
async function setTrigger(clients: ReturnType<typeof clientsFor>, flowType: string, triggerType: string, specs: ActionSpec[]): Promise<string[]> {
  const names: string[] = [];
  const actionIds: string[] = [];
  for (const spec of specs) {
    const name = `${spec.name}${++actionCount}`;
    const { id } = await clients.management.createAction({
      name,
      script: `function ${name}(ctx, api) {\n${spec.body}\n}`,
      allowedToFail: spec.allowedToFail ?? false,
    });
    names.push(name);
    actionIds.push(id);
  }
  await clients.management.setTriggerActions({ flowType, triggerType, actionIds });
  return names;
}

/** A call as ZITADEL makes it to a JSON target: the body's exact bytes, signed with the target's key. */
function call(targetId: string, payload: object | string, key = signingKey) {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  return postToTarget(server.baseUrl, targetId, body, { "zitadel-signature": signatureHeader(body, key) });
}

/** The newest execution the target ran in the ACME org. */
async function lastExecutionOf(targetId: string): Promise<Execution> {
  const { result } = await acme.execution.listExecutions({ zitadelTargetId: targetId, limit: 1 });
  expect(result.length, "the target's call left no execution").toBe(1);
  return result[0]!;
}

const decode = (value: string) => Buffer.from(value, "base64").toString("utf8");

describe("function conditions", () => {
  it("preuserinfo runs flow 2/4 in order: allowedToFail, reserved and duplicate claims, metadata, the record", async () => {
    const profile = { tier: 2, tags: ["a", "b"], note: "ü <&> \u2028" };
    const names = await setTrigger(acme, "2", "4", [
      {
        name: "tagClaims",
        body: `api.v1.claims.setClaim('team', 'blue');
  api.v1.claims.setClaim('urn:zitadel:iam:org:project:roles', 'hijack');
  api.v1.claims.setClaim('urn:zitadel:iam:user:metadata', 'hijack');
  api.v1.claims.setClaim('department', 'overwritten');
  api.v1.claims.appendLogIntoClaims('tagClaims ran');`,
      },
      { name: "mayFail", body: `throw new Error('soft failure');`, allowedToFail: true },
      {
        name: "secondClaims",
        body: `api.v1.claims.setClaim('team', 'red');
  api.v1.claims.setClaim('echo', ctx.v1.claims.team + '!');
  api.v1.user.setMetadata('profile', ${JSON.stringify(profile)});
  api.v1.user.setMetadata('plain', 'text');
  api.v1.user.setMetadata('count', 42);`,
      },
    ]);

    const answer = await call(jsonTarget, oidcPayload("function/preuserinfo"));
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/json");
    expect(answer.json.append_claims).toEqual([
      { key: "team", value: "blue" },
      { key: "echo", value: "blue!" },
    ]);
    expect(answer.json.append_log_claims).toEqual(expect.arrayContaining(["tagClaims ran", 'key "department" already exists', 'key "team" already exists']));
    // What ZITADEL stores is what v1 stored: the JSON text of each value.
    const stored = Object.fromEntries(answer.json.set_user_metadata.map((m: { key: string; value: string }) => [m.key, decode(m.value)]));
    expect(stored).toEqual({ profile: JSON.stringify(profile), plain: '"text"', count: "42" });

    const execution = await lastExecutionOf(jsonTarget);
    expect(execution).toMatchObject({ zitadelTargetId: jsonTarget, zitadelFunction: "function/preuserinfo", flowType: "2", triggerType: "4", aborted: false });
    expect(execution.runs.map((r) => [r.name, r.outcome])).toEqual([
      [names[0], Outcome.SUCCEEDED],
      [names[1], Outcome.FAILED],
      [names[2], Outcome.SUCCEEDED],
    ]);
    expect(Object.fromEntries(execution.mutations!.metadata.map((m) => [m.key, m.value]))).toEqual(stored);

    // Round trip: ZITADEL sends the stored bytes back as user_metadata; the script reads the value it set.
    await setTrigger(acme, "2", "4", [
      { name: "readBack", body: `api.v1.claims.setClaim('profile_back', ctx.v1.user.getMetadata().metadata.find(m => m.key == 'profile').value);` },
    ]);
    const back = await call(jsonTarget, { ...oidcPayload(), user_metadata: answer.json.set_user_metadata });
    expect(back.json.append_claims).toEqual([{ key: "profile_back", value: profile }]);
  });

  it("preaccesstoken runs flow 2/5, whichever way the function is spelled", async () => {
    await setTrigger(acme, "2", "5", [{ name: "clientClaim", body: `api.v1.claims.setClaim('client', ctx.v1.application.getClientId());` }]);
    for (const spelling of ["function/preaccesstoken", "function.preaccesstoken", "preaccesstoken"]) {
      const answer = await call(jsonTarget, { ...oidcPayload("function/preaccesstoken"), function: spelling });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json).toEqual({ append_claims: [{ key: "client", value: ids.clientId }] });
      expect(await lastExecutionOf(jsonTarget)).toMatchObject({ zitadelFunction: "function/preaccesstoken", flowType: "2", triggerType: "5" });
    }
  });

  it("presamlresponse runs flow 4/6 and answers append_attribute and metadata", async () => {
    await setTrigger(acme, "4", "6", [
      {
        name: "samlAttributes",
        body: `const user = ctx.v1.getUser();
  api.v1.attributes.setCustomAttribute('loginNames', 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic', ...user.loginNames);
  api.v1.attributes.setCustomAttribute('loginNames', '', 'second set, ignored as in v1');
  api.v1.user.setMetadata('saml_seen', true);`,
      },
    ]);
    const answer = await call(jsonTarget, samlPayload());
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({
      append_attribute: [
        { name: "loginNames", name_format: "urn:oasis:names:tc:SAML:2.0:attrname-format:basic", value: ["minnie@acme.localhost", "minnie@mouse.com"] },
      ],
      set_user_metadata: [{ key: "saml_seen", value: base64("true") }],
    });
    expect(await lastExecutionOf(jsonTarget)).toMatchObject({ zitadelFunction: "function/presamlresponse", flowType: "4", triggerType: "6" });
  });

  it("answers {} when the actions change nothing, and when the trigger has none", async () => {
    await setTrigger(acme, "2", "4", [{ name: "noChange", body: `const x = ctx.v1.claims.sub;` }]);
    expect((await call(jsonTarget, oidcPayload())).json).toEqual({});
    await setTrigger(acme, "2", "4", []);
    const answer = await call(jsonTarget, oidcPayload());
    expect(answer).toMatchObject({ status: 200, json: {} });
  });
});

describe("a flow that fails", () => {
  it("forwards a 403 with the action's message (forward-403), or answers 500 (server-error)", async () => {
    const [, deny] = await setTrigger(acme, "2", "5", [
      { name: "before", body: `api.v1.claims.setClaim('before', true);` },
      { name: "denyAll", body: `throw new Error('no tokens for ' + ctx.v1.getUser().username);` },
      { name: "never", body: `api.v1.claims.setClaim('never', true);` },
    ]);
    const forwarded = await call(jsonTarget, oidcPayload("function/preaccesstoken"));
    expect(forwarded.status).toBe(200);
    expect(forwarded.json).toEqual({ forwardedStatusCode: 403, forwardedErrorMessage: expect.stringMatching(new RegExp(`^${deny}: .*no tokens for minnie`)) });
    const execution = await lastExecutionOf(jsonTarget);
    expect(execution.aborted).toBe(true);
    expect(execution.runs.map((r) => r.outcome)).toEqual([Outcome.SUCCEEDED, Outcome.FAILED]);

    const strict = await createTarget({ name: "server-error policy", failurePolicy: FailurePolicy.SERVER_ERROR });
    const failed = await call(strict, oidcPayload("function/preaccesstoken"));
    expect(failed.status).toBe(500);
    expect(failed.json).toEqual({ error: "action-failed", message: forwarded.json.forwardedErrorMessage });
    expect((await lastExecutionOf(strict)).aborted).toBe(true);
  });

  it("runs with the org's secrets: ZITADEL gets the claim as set, a forwarded error and the record show [secret:NAME]", async () => {
    const secrets = createClient(
      SecretService,
      createGrpcTransport({ baseUrl: server.baseUrl, interceptors: [headerInterceptor(() => ({ authorization: `Bearer ${acmeToken}` }))] }),
    );
    const value = `target-secret-${Math.random().toString(36).slice(2)}`;
    await secrets.setSecret({ name: "TARGET_KEY", value });
    const read = `require("actiond/secrets").get("TARGET_KEY")`;
    await setTrigger(acme, "2", "5", [{ name: "useKey", body: `console.log(${read}); api.v1.claims.setClaim('key', ${read});` }]);
    const answer = await call(jsonTarget, oidcPayload("function/preaccesstoken"));
    expect(answer.json.append_claims).toEqual([{ key: "key", value }]);
    const stored = await lastExecutionOf(jsonTarget);
    expect(stored.runs[0]!.logs.map((l) => l.message)).toEqual(["[secret:TARGET_KEY]"]);
    expect(stored.mutations?.claims?.key).toBe("[secret:TARGET_KEY]");

    await setTrigger(acme, "2", "5", [{ name: "throwKey", body: `throw new Error('bad key ' + ${read});` }]);
    const forwarded = await call(jsonTarget, oidcPayload("function/preaccesstoken"));
    expect(forwarded.json.forwardedErrorMessage).toContain("bad key [secret:TARGET_KEY]");
    expect(JSON.stringify(server.logs)).not.toContain(value);
    await secrets.deleteSecret({ name: "TARGET_KEY" });
  });
});

describe("deadlines and hang-ups", () => {
  it("stops the run when ZITADEL hangs up (its target's timeout); the record shows it", async () => {
    const [stuck] = await setTrigger(acme, "4", "6", [
      { name: "stuck", body: "for (;;) {}" },
      { name: "notReached", body: "api.v1.attributes.setCustomAttribute('ran', '', 'yes');" },
    ]);
    const zitadel = new AbortController();
    const body = JSON.stringify(samlPayload());
    const answered = fetch(`${server.baseUrl}/zitadel/v2/targets/${jsonTarget}`, {
      method: "POST",
      headers: { "content-type": "application/json", "zitadel-signature": signatureHeader(body, signingKey) },
      body,
      signal: zitadel.signal,
    }).catch((err: Error) => err.name);
    setTimeout(() => zitadel.abort(), 300);
    expect(await answered).toBe("AbortError");
    const recorded = await vi.waitFor(
      async () => {
        const last = await lastExecutionOf(jsonTarget);
        expect(last.runs[0]?.name).toBe(stuck);
        return last;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(recorded.aborted).toBe(true);
    expect(recorded.runs.map((r) => [r.name, r.outcome, r.error?.message])).toEqual([
      [stuck, Outcome.TIMED_OUT, "stopped: the caller went away before the action finished"],
    ]);
  });

  it("answers 503 to a call still running when the shutdown grace period is over", { timeout: 30_000 }, async () => {
    const closing = await startTestServer({ shutdownGraceMs: 500 });
    const org = await createOrgWithToken(closing, ["ORG_OWNER"], "ACME", ids.org);
    const clients = clientsFor(closing.baseUrl, org.token);
    const { id } = await clients.management.createAction({ name: "spin", script: "function spin(ctx, api) { for (;;) {} }" });
    await clients.management.setTriggerActions({ flowType: "2", triggerType: "4", actionIds: [id] });
    const { target } = await createClient(
      ZitadelTargetService,
      createGrpcTransport({ baseUrl: closing.baseUrl, interceptors: [headerInterceptor(() => ({ authorization: `Bearer ${closing.adminToken}` }))] }),
    ).createZitadelTarget({ name: "closing", signingKeys: [signingKey] });
    const body = JSON.stringify(oidcPayload());
    const answer = postToTarget(closing.baseUrl, target!.id, body, { "zitadel-signature": signatureHeader(body, signingKey) });
    await expect.poll(() => closing.app.load().requests, { timeout: 10_000 }).toBe(1);
    const started = performance.now();
    await Promise.all([closing.close(), answer.then((a) => expect(a).toMatchObject({ status: 503, json: { error: "unavailable", message: "the server is shutting down" } }))]);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe("AddHumanUser (v1 Pre Creation)", () => {
  it("runs flow 3/2 on an internal user and answers the whole request with the setters applied", async () => {
    await setTrigger(acme, "3", "2", [
      {
        name: "preCreation",
        body: `api.setFirstName(ctx.v1.user.human.firstName + 'rva');
  api.setEmailVerified(true);
  api.v1.user.appendMetadata('signup', { via: 'v2', user: ctx.v1.user.username });`,
      },
    ]);
    const answer = await call(jsonTarget, addHumanUserBody());
    expect(answer.status, answer.text).toBe(200);
    const request = addHumanUserRequest();
    expect(answer.json).toEqual({
      ...request,
      profile: { ...(request.profile as JsonObject), givenName: "Minnierva" },
      email: { email: "minnie@mouse.com", isVerified: true },
      metadata: [...(request.metadata as JsonObject[]), { key: "signup", value: base64('{"via":"v2","user":"minnie"}') }],
    });
    expect(await lastExecutionOf(jsonTarget)).toMatchObject({
      zitadelFunction: "request/zitadel.user.v2.UserService/AddHumanUser",
      flowType: "3",
      triggerType: "2",
    });
  });

  it("runs flow 1/2 when the request links an identity provider", async () => {
    await setTrigger(acme, "1", "2", [{ name: "externalPreCreation", body: `api.setNickName('from-idp');` }]);
    const request: JsonObject = { ...addHumanUserRequest(), idpLinks: [{ idpId: "312909075211111111", userId: "ext-1", userName: "minnie@idp" }] };
    const answer = await call(jsonTarget, addHumanUserBody(request));
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({ ...request, profile: { ...(request.profile as JsonObject), nickName: "from-idp" } });
    expect(await lastExecutionOf(jsonTarget)).toMatchObject({ flowType: "1", triggerType: "2" });
  });

  it("answers any other method, and a response condition, unchanged with a log line", async () => {
    const before = (await acme.execution.listExecutions({ zitadelTargetId: jsonTarget })).totalResult;
    const other = { ...addHumanUserBody(), fullMethod: "/zitadel.user.v2.UserService/UpdateHumanUser", request: { userId: ids.user, username: "mini" } };
    const unchanged = await call(jsonTarget, other);
    expect(unchanged).toMatchObject({ status: 200, json: { userId: ids.user, username: "mini" } });
    const response = { ...addHumanUserBody(), response: { userId: ids.user, details: { sequence: "3" } } };
    expect((await call(jsonTarget, response)).json).toEqual({ userId: ids.user, details: { sequence: "3" } });
    expect((await acme.execution.listExecutions({ zitadelTargetId: jsonTarget })).totalResult).toBe(before);
    const lines = server.logs.filter((l) => l.msg === "ZITADEL target call answered unchanged" && l.targetId === jsonTarget);
    expect(lines.map((l) => l.fullMethod)).toEqual(expect.arrayContaining(["/zitadel.user.v2.UserService/UpdateHumanUser", "/zitadel.user.v2.UserService/AddHumanUser"]));
  });
});

describe("org routing", () => {
  it("runs nothing for an org actiond does not have, answers {} and warns", async () => {
    const before = (await acme.execution.listExecutions({ zitadelTargetId: jsonTarget })).totalResult;
    const payload = oidcPayload();
    const stranger = { ...payload, org: { id: "999000111", name: "elsewhere" }, user: { ...(payload.user as JsonObject), resource_owner: "999000111" } };
    expect(await call(jsonTarget, stranger)).toMatchObject({ status: 200, json: {} });
    const creation = addHumanUserBody({ ...addHumanUserRequest(), organization: { orgId: "999000111" } });
    expect((await call(jsonTarget, creation)).json).toEqual(creation.request);
    expect(server.logs.filter((l) => l.msg === `no actiond org 999000111 for ZITADEL target ${jsonTarget}`)).toHaveLength(2);
    expect((await acme.execution.listExecutions({ zitadelTargetId: jsonTarget })).totalResult).toBe(before);
  });

  it("routes by user.resource_owner when the payload has no org (SAML), and to the target's fixed org", async () => {
    const other = await createOrgWithToken(server, ["ORG_OWNER"], "fixed org");
    const otherClients = clientsFor(server.baseUrl, other.token);
    await setTrigger(otherClients, "4", "6", [{ name: "fixedOrg", body: `api.v1.attributes.setCustomAttribute('org', '', 'fixed');` }]);
    await setTrigger(acme, "4", "6", [{ name: "acmeOrg", body: `api.v1.attributes.setCustomAttribute('org', '', 'acme');` }]);

    expect((await call(jsonTarget, samlPayload())).json.append_attribute[0].value).toEqual(["acme"]);
    const fixed = await createTarget({ name: "fixed org target", orgId: other.orgId });
    expect((await call(fixed, samlPayload())).json.append_attribute[0].value).toEqual(["fixed"]);
    const { result } = await otherClients.execution.listExecutions({ zitadelTargetId: fixed });
    expect(result.map((e) => e.zitadelFunction)).toEqual(["function/presamlresponse"]);
  });
});

describe("payload types and transports", () => {
  it("takes a JWS body (PAYLOAD_TYPE_JWT) verified against the issuer's JWKS, with or without the signature header", async () => {
    await setTrigger(acme, "2", "4", [{ name: "jwtClaim", body: `api.v1.claims.setClaim('via', 'jwt');` }]);
    const target = await createTarget({ name: "zitadel jwt", payloadType: PayloadType.JWT, issuer: issuer.url });
    const jws = await jwsBody(JSON.stringify(oidcPayload()), webKey);
    const bare = await postToTarget(server.baseUrl, target, jws);
    expect(bare.status, bare.text).toBe(200);
    expect(bare.json).toEqual({ append_claims: [{ key: "via", value: "jwt" }] });
    const signed = await postToTarget(server.baseUrl, target, jws, { "zitadel-signature": signatureHeader(jws, signingKey) });
    expect(signed.json).toEqual(bare.json);
    expect(await lastExecutionOf(target)).toMatchObject({ zitadelFunction: "function/preuserinfo" });
  });

  it("takes a JWE body (PAYLOAD_TYPE_JWE) encrypted to the target's public key", async () => {
    await setTrigger(acme, "2", "4", [{ name: "jweClaim", body: `api.v1.claims.setClaim('via', 'jwe');` }]);
    const { target } = await targets.createZitadelTarget({ name: "zitadel jwe", payloadType: PayloadType.JWE, issuer: issuer.url, signingKeys: [signingKey] });
    const jwe = await jweBody(await jwsBody(JSON.stringify(oidcPayload()), webKey), target!.publicKeyPem);
    const answer = await postToTarget(server.baseUrl, target!.id, jwe, { "zitadel-signature": signatureHeader(jwe, signingKey) });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({ append_claims: [{ key: "via", value: "jwe" }] });
  });

  it("serves the endpoint over cleartext HTTP/2", async () => {
    await setTrigger(acme, "2", "4", [{ name: "h2Claim", body: `api.v1.claims.setClaim('via', 'h2');` }]);
    const body = JSON.stringify(oidcPayload());
    const answer = await postToTargetH2(server.baseUrl, jsonTarget, body, { "zitadel-signature": signatureHeader(body, signingKey) });
    expect(answer).toEqual({ status: 200, json: { append_claims: [{ key: "via", value: "h2" }] } });
  });

  it("verifies an HMAC computed by openssl over the exact bytes, for a target made with the CLI", async () => {
    const dir = fs.mkdtempSync(path.join(server.dataDir, "openssl-"));
    const keyFile = path.join(dir, "signing.key");
    const key = "openssl-fixture-key-Q8wE2rT6yU0iO4pA";
    fs.writeFileSync(keyFile, `${key}\n`);
    let out = "";
    const code = await runCli(["zitadel-target", "create", "--name", "from the cli", "--signing-key-file", keyFile, ...servedDataArgs(server)], {
      stdout: (t) => (out += t),
      stderr: () => {},
      env: {},
    });
    expect(code).toBe(0);
    const target = out.trim();
    await setTrigger(acme, "2", "4", [{ name: "opensslClaim", body: `api.v1.claims.setClaim('checked', 'openssl');` }]);

    // Go's encoder, not JSON.stringify: other spacing and escapes, which only the exact bytes sign.
    const body = `{"function":"function/preuserinfo","userinfo":{"sub":"${ids.user}","name":"Minnie \\u003cM\\u003e"},"org":{"id":"${ids.org}"}}`;
    const t = nowSeconds();
    const message = path.join(dir, "message");
    fs.writeFileSync(message, `${t}.${body}`);
    const { stdout } = await promisify(execFile)("openssl", ["dgst", "-sha256", "-hmac", key, "-r", message]);
    const hex = stdout.split(" ")[0]!.trim();
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    const answer = await postToTarget(server.baseUrl, target, body, { "zitadel-signature": `t=${t},v1=${hex}` });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({ append_claims: [{ key: "checked", value: "openssl" }] });
    // The same JSON re-serialised is other bytes: the signature no longer holds.
    const reencoded = await postToTarget(server.baseUrl, target, JSON.stringify(JSON.parse(body)), { "zitadel-signature": `t=${t},v1=${hex}` });
    expect(reencoded).toMatchObject({ status: 401, json: { error: "bad-signature" } });
  });
});

describe("the execution record", () => {
  it("is marked with the target and the function, filterable in ListExecutions, and shown over REST", async () => {
    await setTrigger(acme, "2", "4", [{ name: "recorded", body: `api.v1.claims.setClaim('r', 1);` }]);
    const target = await createTarget({ name: "record target" });
    await call(target, oidcPayload());
    const { execution: direct } = await acme.execution.runTrigger({ flowType: "2", triggerType: "4", context: { claims: { sub: "u" } } });
    expect(direct).toMatchObject({ zitadelTargetId: "", zitadelFunction: "" });

    const filtered = await acme.execution.listExecutions({ zitadelTargetId: target });
    expect(filtered.totalResult).toBe(1n);
    const marked = filtered.result[0]!;
    expect(marked).toMatchObject({ zitadelTargetId: target, zitadelFunction: "function/preuserinfo" });
    expect((await acme.execution.getExecution({ id: marked.id })).execution).toMatchObject({ zitadelTargetId: target });
    const all = await acme.execution.listExecutions({});
    expect(all.result.map((e) => e.id)).toEqual(expect.arrayContaining([marked.id, direct!.id]));

    const rest = await fetch(`${server.baseUrl}/v1/executions/_search`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${acmeToken}` },
      body: JSON.stringify({ zitadelTargetId: target }),
    });
    const json = (await rest.json()) as { result: Record<string, unknown>[] };
    expect(json.result).toHaveLength(1);
    expect(json.result[0]).toMatchObject({ zitadelTargetId: target, zitadelFunction: "function/preuserinfo" });
  });
});

/** A v1 context built by hand from the facts oidcPayload() carries: what RunTrigger is given for the same user. */
function v1TokenContext(): JsonObject {
  const payload = oidcPayload();
  return {
    claims: payload.userinfo as JsonObject,
    user: v1User(),
    userMetadata: [
      { key: "tier", value: '{"level":2}' },
      { key: "note", value: "plain text" },
    ],
    userGrants: [camelGrant()],
    clientId: ids.clientId,
  };
}

describe("scripts in the style of ZITADEL's public v1 examples, unchanged through RunTrigger and the target", () => {
  /** Runs the trigger's actions both ways and returns both records' mutations and the target's answer. */
  async function bothWays(flowType: string, triggerType: string, context: JsonObject, payload: object) {
    const { execution } = await acme.execution.runTrigger({ flowType, triggerType, context });
    const answer = await call(jsonTarget, payload);
    expect(answer.status, answer.text).toBe(200);
    const viaTarget = await lastExecutionOf(jsonTarget);
    expect(viaTarget.runs.map((r) => [r.outcome, r.error?.message])).toEqual(viaTarget.runs.map(() => [Outcome.SUCCEEDED, undefined]));
    expect(viaTarget.mutations).toEqual(execution!.mutations);
    return { mutations: execution!.mutations!, answer: answer.json };
  }

  it("adds a claim, maps roles to a flat claim, and sets metadata from a claim (Complement Token)", async () => {
    await setTrigger(acme, "2", "4", [
      { name: "addClaim", body: `  api.v1.claims.setClaim('my_claim', 'value');` },
      {
        name: "flatRoles",
        body: `  if (ctx.v1.user.grants == undefined || ctx.v1.user.grants.count == 0) {
    return;
  }
  let grants = [];
  ctx.v1.user.grants.grants.forEach(claim => {
    claim.roles.forEach(role => {
      grants.push(claim.projectId + ':' + role);
    });
  });
  api.v1.claims.setClaim('my:zitadel:grants', grants);`,
      },
      { name: "metadataFromClaim", body: `  api.v1.user.setMetadata('email_copy', ctx.v1.claims.email);` },
    ]);
    const { mutations, answer } = await bothWays("2", "4", v1TokenContext(), oidcPayload());
    expect(mutations.claims).toMatchObject({ my_claim: "value", "my:zitadel:grants": [`${ids.project}:admin`, `${ids.project}:viewer`] });
    expect(answer).toEqual({
      append_claims: [
        { key: "my_claim", value: "value" },
        { key: "my:zitadel:grants", value: [`${ids.project}:admin`, `${ids.project}:viewer`] },
      ],
      set_user_metadata: [{ key: "email_copy", value: base64('"minnie@mouse.com"') }],
    });
  });

  it("sets a SAML attribute (Complement SAMLResponse)", async () => {
    await setTrigger(acme, "4", "6", [{ name: "setAttribute", body: `  api.v1.attributes.setCustomAttribute('name', '', 'value1', 'value2');` }]);
    const context = { user: { ...(v1TokenContext().user as JsonObject), loginNames: ["minnie@acme.localhost", "minnie@mouse.com"] }, userGrants: [camelGrant()] };
    const { mutations, answer } = await bothWays("4", "6", context, samlPayload());
    expect(mutations.customAttributes).toEqual([expect.objectContaining({ name: "name", values: ["value1", "value2"] })]);
    expect(answer).toEqual({ append_attribute: [{ name: "name", name_format: "", value: ["value1", "value2"] }] });
  });

  it("sets the first name and appends metadata before creation (Pre Creation)", async () => {
    await setTrigger(acme, "3", "2", [
      {
        name: "preCreationExample",
        body: `  api.setFirstName('Minnie-' + ctx.v1.user.human.lastName);
  api.v1.user.appendMetadata('created_by', 'actions');`,
      },
    ]);
    const context = {
      user: {
        resourceOwner: ids.org,
        username: "minnie",
        human: { firstName: "Minnie", lastName: "Mouse", preferredLanguage: "en", gender: 1, email: "minnie@mouse.com", phone: "+41791234567" },
      },
    };
    const { mutations, answer } = await bothWays("3", "2", context, addHumanUserBody());
    expect(mutations.user?.firstName).toBe("Minnie-Mouse");
    expect(answer.profile.givenName).toBe("Minnie-Mouse");
    expect(answer.metadata.at(-1)).toEqual({ key: "created_by", value: base64('"actions"') });
  });
});
