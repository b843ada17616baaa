import { DEBUG_SYNC, type QuickJSWASMModule } from "quickjs-emscripten";
import { beforeAll, describe, expect, it } from "vitest";
import { loadSandboxModule, type SandboxModule } from "./sandbox-module.js";
import { action, run, type TestRun } from "../../test/support/runtime-harness.js";

// The DEBUG_SYNC build asserts that every object is freed when a runtime is
// disposed (a leaked handle aborts the dispose, which taints the module) and
// carries LeakSanitizer, which needs far more memory than a release module.
const GiB = 1024 * 1024 * 1024;

const cases: [string, TestRun & { script: string }][] = [
  ["a trivial action", { script: action("") }],
  [
    "every token-flow api and getter",
    {
      script: action(`api.v1.claims.setClaim("a", { b: [1] }); api.v1.claims.setClaim("a", 2); api.v1.userinfo.appendLogIntoClaims("x");
        api.v1.user.setMetadata("k", 1); ctx.v1.getUser(); ctx.v1.user.getMetadata(); ctx.v1.org.getMetadata();
        ctx.v1.user.grants.grants[0].getOrgMetadata(); ctx.v1.application.getClientId(); ctx.v1.claims.a;
        console.log("x %s", "y", { a: 1 }, new Error("e")); require("zitadel/uuid").v5(require("zitadel/uuid").namespaceDNS, "n");`),
      context: { claims: { sub: "s" }, userGrants: [{ id: "g" }] },
    },
  ],
  [
    "external authentication with setters and metadata",
    {
      script: action('api.setFirstName("x"); api.metadata.push({ key: "a", value: 1 }); api.v1.user.appendMetadata("b", [2]); ctx.getClaim("sub"); ctx.v1.externalUser;'),
      flowType: "1",
      triggerType: "1",
    },
  ],
  ["user grants", { script: action('api.v1.appendUserGrant({ projectId: "p" }); api.userGrants.push({ projectID: "q" });'), flowType: "3", triggerType: "3" }],
  ["SAML attributes", { script: action('api.v1.attributes.setCustomAttribute("a", "f", "v");'), flowType: "4", triggerType: "6" }],
  ["a fetch", { script: action('var r = require("zitadel/http").fetch("https://x.example", { method: "POST", body: {} }); r.json(); r.text();') }],
  ["a throw", { script: action('throw new Error("x");') }],
  ["a syntax error", { script: "function action( {" }],
  ["a missing function", { script: "function other() {}" }],
  ["an async action", { script: "async function action(ctx, api) { await null; api.v1.claims.setClaim('a', 1); }" }],
  ["an async rejection", { script: "async function action() { await null; throw new Error('late'); }" }],
  ["a promise that never settles", { script: action("return new Promise(() => {});") }],
  ["a failed require", { script: action('require("fs");') }],
  ["an api error caught by the script", { script: action('try { api.v1.user.setMetadata(1); } catch (e) { String(e); }') }],
  ["an endless loop", { script: action("while (true) {}"), timeoutMs: 50 }],
];

describe("handle hygiene (DEBUG_SYNC build)", () => {
  let module: SandboxModule;
  beforeAll(async () => {
    module = await loadSandboxModule({ variant: DEBUG_SYNC, memoryCapBytes: GiB, recycleAboveBytes: GiB });
  });

  it.each(cases)("frees everything after %s", async (_, { script, ...options }) => {
    const host = { fetch: () => ({ status: 200, body: "{}", headers: {} }) };
    await run(script, { host, ...options, module });
    expect(module.taintReason).toBeUndefined();
    expect((module.quickjs as QuickJSWASMModule).getFFI().QTS_RecoverableLeakCheck()).toBe(0);
  });
});
