import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { TestBrowser } from "../support/browser.js";
import { expectCleanSession, restCall, signInToConsole, useConsoleSuite } from "../support/console-browser.js";
import { startTestAuthorizationServer } from "../support/oidc-authorization-server.js";
import { createOrgWithToken, openServedData } from "../support/orgs.js";
import { testEngine } from "../support/test-database.js";
import { startTestServer } from "../support/test-server.js";
import { zitadelOrgClaim, zitadelRolesClaim } from "../../src/auth/oidc/index.js";
import { sampleContext } from "../../web/src/editor/sample-contexts.js";

const root = new URL("../..", import.meta.url).pathname;
const screenshots = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-console-screenshots-"));

const goodScript = `function addTeam(ctx, api) {
  console.log("hello from the console test");
  api.v1.claims.setClaim("team", "blue");
}
`;
const brokenScript = `function addTeam(ctx, api) {
  api.v1.claims.setClaim("team", "blue";
}
`;
const throwingScript = `function addTeam(ctx, api) {
  console.log("about to fail");
  ctx.v1.nothing.here();
}
`;

const suite = useConsoleSuite(screenshots, "console screenshots");
const browser = suite.browser;

/** A REST call as any other client makes it. */
const rest = (method: string, url: string, token: string, body?: unknown, orgId?: string) => restCall(suite.server.baseUrl, method, url, token, body, orgId);

const signIn = (b: TestBrowser, token: string) => signInToConsole(b, suite.server.baseUrl, token);

/** The editor's script: CodeMirror's content element, in the editor's shadow root (Playwright's CSS pierces it). */
const script = (b: TestBrowser) => b.page.locator(".cm-content");

// The console and the browser are the same on either engine: once is enough.
describe.skipIf(testEngine() === "postgres")("web console in Chromium", () => {
  it("serves the console on the API's port with its CSP and cache headers", async () => {
    const rootAnswer = await fetch(`${suite.server.baseUrl}/`, { redirect: "manual" });
    expect(rootAnswer.status).toBe(302);
    expect(rootAnswer.headers.get("location")).toBe("/console/");
    const page = await fetch(`${suite.server.baseUrl}/console/flows`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self';");
    expect(page.headers.get("content-security-policy")).not.toMatch(/unsafe-(inline|eval)'[^;]*;[^;]*script/);
    const html = await page.text();
    const entry = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    const js = await fetch(`${suite.server.baseUrl}${entry}`);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const again = await fetch(`${suite.server.baseUrl}${entry}`, { headers: { "if-none-match": js.headers.get("etag")! } });
    expect(again.status).toBe(304);
    expect((await fetch(`${suite.server.baseUrl}/console/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${suite.server.baseUrl}/console/%2e%2e/package.json`)).status).toBe(404);
    expect((await fetch(`${suite.server.baseUrl}/console/`, { method: "POST" })).status).toBe(405);
  });

  it("keeps the first load within 300 KB of compressed JavaScript", async () => {
    const html = await (await fetch(`${suite.server.baseUrl}/console/`)).text();
    // The first page's scripts: the entry and what it preloads; the editor's chunk comes when the editor opens.
    const urls = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const url of urls) gzipped += gzipSync(Buffer.from(await (await fetch(`${suite.server.baseUrl}${url}`)).arrayBuffer()), { level: 9 }).length;
    process.stdout.write(`console: first load ${urls.length} script(s), ${(gzipped / 1024).toFixed(1)} KB gzipped\n`);
    expect(gzipped).toBeLessThanOrEqual(300 * 1024);
  });

  it("pre-fills the test panel with a context the server accepts, for every trigger", async () => {
    const { result: flows } = (await rest("POST", "/management/v1/flows/types/_search", suite.server.adminToken, {})) as { result: { id: string }[] };
    for (const { id: flowType } of flows) {
      const { result: triggers } = (await rest("POST", `/management/v1/flows/${flowType}/triggers/_search`, suite.server.adminToken, {})) as { result: { id: string }[] };
      for (const { id: triggerType } of triggers) {
        const context = JSON.parse(sampleContext(flowType, triggerType)) as Record<string, unknown>;
        expect(Object.keys(context).length, `${flowType}/${triggerType}`).toBeGreaterThan(0);
        const { execution } = (await rest("POST", "/v1/actions/_test", suite.server.adminToken, {
          name: "sample",
          script: "function sample(ctx, api) {}",
          flowType,
          triggerType,
          context,
        })) as { execution: { runs: { outcome: string }[] } };
        expect(execution.runs.map((r) => r.outcome), `${flowType}/${triggerType}`).toEqual(["OUTCOME_SUCCEEDED"]);
      }
    }
  });

  it("journey: sign in, write an action, test it, bind and reorder it, find its execution, deactivate, delete, sign out", async () => {
    const b = await browser();
    const { page } = b;
    const started = Date.now();
    await page.goto(`${suite.server.baseUrl}/`);
    await page.getByLabel("Token", { exact: true }).waitFor();
    const signInShown = Date.now() - started;
    await b.screenshot("01-sign-in");
    await signIn(b, suite.server.adminToken);
    // A return visit: the session is kept in the tab, the list answers from the API.
    const reloaded = Date.now();
    await page.reload();
    await page.getByRole("status").filter({ hasText: /^\d+ actions?$/ }).waitFor();
    const listShown = Date.now() - reloaded;
    await b.screenshot("02-actions");

    // Create: a syntax error is marked and not saved; the fixed script is.
    await page.getByRole("link", { name: "Create action" }).click();
    await page.getByLabel("Name", { exact: true }).fill("addTeam");
    await script(b).fill(brokenScript);
    await page.getByRole("button", { name: "Create" }).click();
    await expect.poll(() => page.locator("#script-error").textContent()).toMatch(/line 2, column \d+: SyntaxError/);
    await page.locator(".cm-lintRange-error").first().waitFor();
    expect(page.url()).toMatch(/\/console\/actions\/new$/);
    await b.screenshot("03-editor-syntax-error");
    await script(b).fill(goodScript);
    await page.getByRole("button", { name: "Create" }).click();
    await page.waitForURL(/\/console\/actions\/\d+$/);
    const actionId = /\/actions\/(\d+)$/.exec(page.url())![1]!;
    await page.getByRole("heading", { name: "addTeam" }).waitFor();

    // Test: a failing run is marked at its line; the saved script succeeds and logs.
    await script(b).fill(throwingScript);
    await page.getByRole("button", { name: "Run test" }).click();
    await page.getByRole("list", { name: "Logs of addTeam" }).getByText("about to fail").waitFor();
    await expect.poll(() => page.locator("#script-error").textContent()).toMatch(/^line 3, column \d+: TypeError/);
    await page.locator(".cm-lintRange-error").first().waitFor();
    await b.screenshot("04-editor-test-failure");
    await script(b).fill(goodScript);
    await page.getByRole("button", { name: "Run test" }).click();
    await page.getByRole("list", { name: "Logs of addTeam" }).getByText("INFO hello from the console test").waitFor();
    await expect.poll(() => page.locator(".test-panel .outcome").first().textContent()).toBe("succeeded");
    expect(await page.getByLabel("Mutations").textContent()).toContain('"team": "blue"');
    await page.setViewportSize({ width: 1280, height: 720 });
    const editorShot = await b.screenshot("05-editor-test-passed");
    if (process.env.ACTIOND_UPDATE_CONSOLE_SCREENSHOT === "1") fs.copyFileSync(editorShot, path.join(root, "docs/console.png"));
    // Another flow's trigger brings its own sample context.
    const testPanel = page.getByRole("region", { name: "Test" });
    await testPanel.getByLabel("Flow").selectOption({ label: "Internal Authentication" });
    await expect.poll(() => testPanel.getByLabel("Context (JSON)").inputValue()).toContain('"authMethod"');

    // The API's own errors stand next to the field they name.
    await page.getByLabel(/^Timeout/).fill("25");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator("#timeout-error").textContent()).toMatch(/^timeout: /);
    expect(await page.getByLabel(/^Timeout/).getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel(/^Timeout/).fill("12");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    // Nothing to save now: ZITADEL would answer "No changes".
    expect(await page.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);

    // Unsaved changes: leaving asks first; staying keeps them.
    await page.getByLabel("Name", { exact: true }).fill("addTeamRenamed");
    page.once("dialog", (dialog) => void dialog.dismiss());
    await page.getByRole("link", { name: "Flows" }).click();
    expect(page.url()).toMatch(new RegExp(`/console/actions/${actionId}$`));
    await page.getByText("unsaved changes").waitFor();
    await page.getByLabel("Name", { exact: true }).fill("addTeam");
    await expect.poll(() => page.getByText("unsaved changes").count()).toBe(0);

    // Flows: bind it and a second action to Complement Token / pre access token creation, then reorder by keyboard.
    const second = await rest("POST", "/management/v1/actions", suite.server.adminToken, { name: "second", script: "function second(ctx, api) {}" });
    await page.getByRole("link", { name: "Flows" }).click();
    const trigger = page.getByRole("region", { name: "Pre access token creation" });
    await trigger.getByLabel(/Action to add/).selectOption({ label: "addTeam" });
    await trigger.getByRole("button", { name: "Add", exact: true }).click();
    await trigger.getByRole("listitem").filter({ hasText: "addTeam" }).waitFor();
    await trigger.getByLabel(/Action to add/).selectOption({ label: "second" });
    await trigger.getByRole("button", { name: "Add", exact: true }).click();
    await expect.poll(() => trigger.locator(".bound .name").allTextContents()).toEqual(["addTeam", "second"]);
    await trigger.getByRole("button", { name: "Move second up" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => trigger.locator(".bound .name").allTextContents()).toEqual(["second", "addTeam"]);
    await trigger.getByRole("listitem").filter({ hasText: "addTeam" }).dragTo(trigger.getByRole("listitem").filter({ hasText: "second" }));
    await expect.poll(() => trigger.locator(".bound .name").allTextContents()).toEqual(["addTeam", "second"]);
    await trigger.getByRole("button", { name: "Move addTeam down" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => trigger.locator(".bound .name").allTextContents()).toEqual(["second", "addTeam"]);
    const flow = await rest("GET", "/management/v1/flows/2", suite.server.adminToken);
    expect(JSON.stringify(flow)).toMatch(new RegExp(`"actions":\\[\\{"id":"${second.id as string}".*"id":"${actionId}"`));
    await b.screenshot("06-flows");

    // Run the trigger through REST, as ZITADEL's glue would, and find the record in the console.
    const run = await rest("POST", "/v1/flows/2/triggers/5/_run", suite.server.adminToken, { context: { claims: { sub: "1" } } });
    const executionId = (run.execution as { id: string }).id;
    await page.getByRole("link", { name: "Executions" }).click();
    await page.getByRole("cell", { name: "second: succeeded, addTeam: succeeded" }).waitFor();
    // The API's filters: by action, and by a start time nothing started after.
    await page.getByLabel("Action ID").fill(actionId);
    await page.getByRole("status").filter({ hasText: /^\d+ executions?$/ }).waitFor();
    await page.getByRole("cell", { name: "second: succeeded, addTeam: succeeded" }).waitFor();
    await page.getByLabel("Started after").fill("2999-01-01T00:00");
    await page.getByRole("status").filter({ hasText: "0 executions" }).waitFor();
    await page.getByLabel("Started after").fill("");
    await page.getByRole("cell", { name: "second: succeeded, addTeam: succeeded" }).waitFor();
    await page.locator(`a[href="/console/executions/${executionId}"]`).click();
    await page.getByRole("heading", { name: `Execution ${executionId}` }).waitFor();
    await page.getByRole("list", { name: "Logs of addTeam" }).getByText("hello from the console test").waitFor();
    await b.screenshot("07-execution");
    await page.getByRole("link", { name: "← Executions" }).click();
    await b.screenshot("08-executions");

    // Deactivate: the flow marks it; then delete it with confirmation.
    await page.getByRole("link", { name: "Actions" }).click();
    await page.getByRole("link", { name: "addTeam" }).click();
    await page.getByRole("button", { name: "Deactivate" }).click();
    await page.getByRole("button", { name: "Reactivate" }).waitFor();
    await page.getByRole("link", { name: "Flows" }).click();
    await page.getByRole("region", { name: "Pre access token creation" }).getByText("inactive: skipped").waitFor();
    await page.getByRole("button", { name: "Clear flow" }).click();
    await page.getByRole("button", { name: "Clear for good" }).click();
    await page.getByRole("region", { name: "Pre access token creation" }).getByText("No actions.").waitFor();
    await page.getByRole("link", { name: "Actions" }).click();
    await page.getByRole("link", { name: "addTeam" }).click();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("button", { name: "Delete for good" }).click();
    await page.getByRole("heading", { name: "Actions", exact: true }).waitFor();
    await expect.poll(() => page.locator("tbody a").allTextContents()).toEqual(["second"]);
    await expect(rest("GET", `/management/v1/actions/${actionId}`, suite.server.adminToken)).rejects.toThrow(/404/);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Token", { exact: true }).waitFor();
    expect(await page.evaluate("sessionStorage.length + localStorage.length")).toBe(0);
    expectCleanSession(b);
    process.stdout.write(`console: sign-in page shown ${signInShown} ms after the first navigation, the actions list ${listShown} ms after a reload\n`);
  }, 120_000);

  it("a viewer sees no write buttons, and a forced write shows PermissionDenied", async () => {
    const viewer = await createOrgWithToken(suite.server, ["ORG_OWNER_VIEWER"], "viewer org");
    const created = await rest("POST", "/management/v1/actions", suite.server.adminToken, { name: "readOnly", script: "function readOnly(ctx, api) {}" }, viewer.orgId);
    const b = await browser({ width: 320, height: 800 });
    const { page } = b;
    await signIn(b, viewer.token);
    await page.getByRole("link", { name: "readOnly" }).waitFor();
    expect(await page.getByRole("link", { name: "Create action" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "ZITADEL targets" }).count()).toBe(0);
    expect(await page.getByLabel("Org", { exact: true }).count()).toBe(0);
    await b.screenshot("09-viewer-actions-320px");
    // Readable at 320 px: nothing wider than the viewport but the table's own scroller.
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);
    await page.getByRole("link", { name: "readOnly" }).click();
    await page.getByRole("heading", { name: "readOnly" }).waitFor();
    for (const name of ["Save", "Deactivate", "Delete", "Run test"]) expect(await page.getByRole("button", { name }).count()).toBe(0);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);
    await b.screenshot("10-viewer-editor-320px");
    await page.getByRole("link", { name: "Flows" }).click();
    await page.getByRole("region", { name: "Pre access token creation" }).waitFor();
    expect(await page.getByRole("button", { name: "Clear flow" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Add", exact: true }).count()).toBe(0);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);

    // Forced: the session claims write access, the page shows the buttons, the server refuses.
    // (A string: the test's own type check has no DOM.)
    await page.evaluate(`sessionStorage.setItem("actiond.session", JSON.stringify({ ...JSON.parse(sessionStorage.getItem("actiond.session")), canWrite: true }))`);
    await page.goto(`${suite.server.baseUrl}/console/actions/${created.id as string}`);
    await page.getByLabel("Name", { exact: true }).fill("renamedByViewer");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("alert").filter({ hasText: "PermissionDenied" }).waitFor();
    await b.screenshot("11-viewer-forced-write");
    expectCleanSession(b);
  });

  it("an instance admin manages ZITADEL targets, whose signing keys are never shown, and switches orgs", async () => {
    const other = await createOrgWithToken(suite.server, ["ORG_OWNER"], "other org");
    await rest("POST", "/management/v1/actions", other.token, { name: "inOtherOrg", script: "function inOtherOrg(ctx, api) {}" });
    const b = await browser();
    const { page } = b;
    await signIn(b, suite.server.adminToken);
    await page.getByRole("link", { name: "ZITADEL targets" }).click();
    const create = page.getByRole("form", { name: "Create a target" });
    await create.getByLabel("Name", { exact: true }).fill("zitadel-prod");
    await create.getByLabel(/Signing key/).fill("first-signing-key-1");
    await create.getByRole("button", { name: "Create target" }).click();
    const target = page.getByRole("region", { name: "zitadel-prod" });
    await target.locator(".keys li").first().waitFor();
    expect(await create.getByLabel(/Signing key/).inputValue()).toBe("");
    await target.getByLabel(/New signing key/).fill("second-signing-key-2");
    await target.getByRole("button", { name: "Add key" }).click();
    await expect.poll(() => target.locator(".keys li").count()).toBe(2);
    await target.getByRole("button", { name: /^Remove key/ }).first().click();
    await expect.poll(() => target.locator(".keys li").count()).toBe(1);
    const html = await page.content();
    expect(html).not.toContain("first-signing-key-1");
    expect(html).not.toContain("second-signing-key-2");
    await b.screenshot("12-zitadel-targets");
    await target.getByRole("button", { name: "Delete target" }).click();
    await target.getByRole("button", { name: "Delete for good" }).click();
    await expect.poll(() => page.getByRole("region", { name: "zitadel-prod" }).count()).toBe(0);

    await page.getByLabel("Org", { exact: true }).fill(other.orgId);
    await page.getByRole("button", { name: "Switch" }).click();
    await page.getByRole("link", { name: "Actions" }).click();
    await page.getByRole("link", { name: "inOtherOrg" }).waitFor();
    expectCleanSession(b);
  });

  it("signs in through the OIDC issuer with authorization code and PKCE, back on the page it started from", async () => {
    // The claims name the org, which exists only once the server does.
    const claims: Record<string, unknown> = {};
    const auth = await startTestAuthorizationServer({ clientId: "console-client", audience: "actiond-project", claims });
    const oidcServer = await startTestServer({
      oidc: { issuer: auth.url, audience: "actiond-project", orgClaim: zitadelOrgClaim, rolesClaim: zitadelRolesClaim },
      consoleClientId: "console-client",
    });
    const { orgId } = await createOrgWithToken(oidcServer, ["ORG_OWNER"], "oidc org");
    Object.assign(claims, { [zitadelOrgClaim]: orgId, [zitadelRolesClaim]: { ORG_OWNER: { [orgId]: "oidc.example.com" } } });
    try {
      const b = await browser();
      const { page } = b;
      await page.goto(`${oidcServer.baseUrl}/console/flows`);
      await page.getByRole("button", { name: `Sign in with ${new URL(auth.url).host}` }).click();
      await page.getByRole("heading", { name: "Flows" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/console/flows");
      expect(auth.issued).toBe(1);
      // Acting as the token's org and roles: an owner may write.
      await page.getByRole("button", { name: "Clear flow" }).waitFor();
      await b.screenshot("13-oidc-signed-in");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByLabel("Token", { exact: true }).waitFor();
      expectCleanSession(b);
    } finally {
      await oidcServer.close();
      await auth.close();
    }
  });

  it("a revoked token returns to sign-in with the reason", async () => {
    const { token } = await createOrgWithToken(suite.server, ["ORG_OWNER"], "revoked org");
    const b = await browser();
    const { page } = b;
    await signIn(b, token);
    const data = await openServedData(suite.server);
    try {
      const { id } = (await data.tokens.list()).find((t) => t.subject === "revoked org token")!;
      expect(await data.tokens.revoke(id)).toBe(true);
    } finally {
      await data.close();
    }
    await page.getByRole("link", { name: "Flows" }).click();
    await page.getByRole("alert").filter({ hasText: "You were signed out" }).waitFor();
    await page.getByLabel("Token", { exact: true }).waitFor();
    await b.screenshot("14-revoked");
    expect(await page.evaluate(`sessionStorage.getItem("actiond.session")`)).toBeNull();
    expectCleanSession(b);
  });
});
