import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectCleanSession, restCall, signInToConsole, useConsoleSuite } from "../support/console-browser.js";
import { createOrgWithToken } from "../support/orgs.js";
import { testEngine } from "../support/test-database.js";
import { sampleContext } from "../../web/src/editor/sample-contexts.js";

// Named as console.e2e names its screenshots, numbered after them.
const screenshots = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-console-screenshots-"));

const versionOne = `function versioned(ctx, api) {
  api.v1.claims.setClaim("stage", "one");
}
`;
const versionTwo = `function versioned(ctx, api) {
  api.v1.claims.setClaim("stage", "two");
}
`;
const versionThree = `function versioned(ctx, api) {
  console.log("third");
  api.v1.claims.setClaim("stage", "three");
}
`;

const suite = useConsoleSuite(screenshots, "console screenshots (secrets, history)");
const browser = suite.browser;

/** What a script in the org reads for `name`, through TestAction: whether it equals `value` (a log of the value itself would be redacted). */
async function scriptSees(token: string, name: string, value: string): Promise<boolean> {
  const { execution } = (await restCall(suite.server.baseUrl, "POST", "/v1/actions/_test", token, {
    name: "reads",
    script: `function reads(ctx, api) { console.log(String(require("actiond/secrets").get(${JSON.stringify(name)}) === ${JSON.stringify(value)})); }`,
    flowType: "2",
    triggerType: "5",
    context: JSON.parse(sampleContext("2", "5")),
  })) as { execution: { runs: { logs: { message: string }[] }[] } };
  return execution.runs[0]!.logs[0]!.message === "true";
}

// The console and the browser are the same on either engine: once is enough.
describe.skipIf(testEngine() === "postgres")("web console: secrets and action history in Chromium", () => {
  it("an owner sets a secret, sees it listed without its value, replaces it, meets the API's errors at their fields, and deletes it", async () => {
    const owner = await createOrgWithToken(suite.server, ["ORG_OWNER"], "secrets org");
    const b = await browser();
    const { page } = b;
    await signInToConsole(b, suite.server.baseUrl, owner.token);
    await page.getByRole("link", { name: "Secrets" }).click();
    await page.getByRole("heading", { name: "Secrets", exact: true }).waitFor();
    await page.getByRole("status").filter({ hasText: "0 secrets" }).waitFor();
    const form = page.getByRole("form", { name: "Set a secret" });

    await form.getByLabel("Name", { exact: true }).fill("API_KEY");
    await form.getByLabel(/^Value/).fill("first-value-8c1f");
    await form.getByRole("button", { name: "Save secret" }).click();
    await page.getByRole("status").filter({ hasText: "Saved API_KEY." }).waitFor();
    await page.getByRole("rowheader", { name: "API_KEY" }).waitFor();
    expect(await form.getByLabel(/^Value/).inputValue()).toBe("");
    expect(await form.getByLabel("Name", { exact: true }).inputValue()).toBe("");
    expect(await page.content()).not.toContain("first-value-8c1f");
    expect(await scriptSees(owner.token, "API_KEY", "first-value-8c1f")).toBe(true);

    // Replace: the row's button fills the name and moves to the value.
    await page.getByRole("button", { name: "Replace the value of API_KEY" }).click();
    expect(await form.getByLabel("Name", { exact: true }).inputValue()).toBe("API_KEY");
    await expect.poll(() => form.getByLabel(/^Value/).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type("second-value-93ad");
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Saved API_KEY." }).waitFor();
    await expect.poll(() => form.getByLabel(/^Value/).inputValue()).toBe("");
    expect(await page.getByRole("rowheader").allTextContents()).toEqual(["API_KEY"]);
    const html = await page.content();
    expect(html).not.toContain("first-value-8c1f");
    expect(html).not.toContain("second-value-93ad");
    expect(await scriptSees(owner.token, "API_KEY", "second-value-93ad")).toBe(true);
    await b.screenshot("15-secrets");

    // The API's own error stands next to the name it refuses.
    await form.getByLabel("Name", { exact: true }).fill("lower_case");
    await form.getByLabel(/^Value/).fill("unused-value");
    await form.getByRole("button", { name: "Save secret" }).click();
    await expect.poll(() => page.locator("#secret-name-error").textContent()).toMatch(/^name: /);
    expect(await form.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("rowheader").allTextContents()).toEqual(["API_KEY"]);
    await b.screenshot("16-secrets-name-error");

    // The value's size and the org's limit of 100 stand next to their fields too.
    await form.getByLabel("Name", { exact: true }).fill("TOO_LONG");
    await form.getByLabel(/^Value/).fill("x".repeat(4097));
    await form.getByRole("button", { name: "Save secret" }).click();
    await expect.poll(() => page.locator("#secret-value-error").textContent()).toMatch(/^value: /);
    expect(await page.locator("#secret-name-error").count()).toBe(0);
    for (let i = 1; i < 100; i++) await restCall(suite.server.baseUrl, "PUT", `/v1/secrets/FILLER_${i}`, owner.token, { value: "filler" });
    await form.getByLabel("Name", { exact: true }).fill("ONE_TOO_MANY");
    await form.getByLabel(/^Value/).fill("unused-value");
    await form.getByRole("button", { name: "Save secret" }).click();
    await expect.poll(() => page.locator("#secret-name-error").textContent()).toContain("at most 100 secrets");
    await page.getByRole("status").filter({ hasText: "100 secrets" }).waitFor();
    // Readable at 320 px with the write buttons too: only the table scrolls.
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);

    await page.getByRole("button", { name: "Delete API_KEY" }).click();
    await page.getByRole("button", { name: "Delete for good" }).click();
    await page.getByRole("status").filter({ hasText: "99 secrets" }).waitFor();
    expect(await page.getByRole("rowheader", { name: "API_KEY" }).count()).toBe(0);
    const { secrets } = (await restCall(suite.server.baseUrl, "GET", "/v1/secrets", owner.token)) as { secrets: { name: string }[] };
    expect(secrets.map((s) => s.name)).not.toContain("API_KEY");
    expect(await scriptSees(owner.token, "API_KEY", "second-value-93ad")).toBe(false);
    expectCleanSession(b);
  });

  it("a viewer sees the org's secrets and no write buttons, at 320 px", async () => {
    const viewer = await createOrgWithToken(suite.server, ["ORG_OWNER_VIEWER"], "secrets viewer org");
    await restCall(suite.server.baseUrl, "PUT", "/v1/secrets/VIEWED_KEY", suite.server.adminToken, { value: "viewer-never-sees-this" }, viewer.orgId);
    const b = await browser({ width: 320, height: 800 });
    const { page } = b;
    await signInToConsole(b, suite.server.baseUrl, viewer.token);
    await page.getByRole("link", { name: "Secrets" }).click();
    await page.getByRole("rowheader", { name: "VIEWED_KEY" }).waitFor();
    expect(await page.getByRole("form", { name: "Set a secret" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /Save secret|Replace|Delete/ }).count()).toBe(0);
    expect(await page.content()).not.toContain("viewer-never-sees-this");
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);
    await b.screenshot("17-viewer-secrets-320px");
    expectCleanSession(b);
  });

  it("an action's history lists its versions, diffs one against the draft, and rolls back to it", async () => {
    const b = await browser();
    const { page } = b;
    await signInToConsole(b, suite.server.baseUrl, suite.server.adminToken);
    const script = page.locator(".cm-content");

    await page.getByRole("link", { name: "Create action" }).click();
    await page.getByLabel("Name", { exact: true }).fill("versioned");
    await script.fill(versionOne);
    await page.getByRole("button", { name: "Create" }).click();
    await page.waitForURL(/\/console\/actions\/\d+$/);
    const history = page.getByRole("region", { name: "History" });
    await expect.poll(() => history.locator("tbody tr").count()).toBe(1);
    for (const next of [versionTwo, versionThree]) {
      await script.fill(next);
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    }
    await expect.poll(() => history.getByRole("rowheader").allTextContents()).toEqual(["3 (saved)", "2", "1"]);

    await history.getByRole("button", { name: "Compare version 1 with the draft" }).click();
    const diff = history.locator(".diff");
    await diff.waitFor();
    expect(await diff.locator(".diff-line.removed").allTextContents()).toEqual(['\u2212   api.v1.claims.setClaim("stage", "one");']);
    expect(await diff.locator(".diff-line.added").allTextContents()).toEqual(['+   console.log("third");', '+   api.v1.claims.setClaim("stage", "three");']);
    expect(await diff.locator(".diff-line.same").allTextContents()).toEqual(["  function versioned(ctx, api) {", "  }"]);
    await history.getByText("1 line removed, 2 added since version 1.").waitFor();
    await b.screenshot("18-action-history-diff");

    await history.getByRole("button", { name: "Roll back to this version" }).click();
    await history.getByRole("button", { name: "Roll back to version 1" }).click();
    await history.getByRole("status").filter({ hasText: "Rolled back to version 1" }).waitFor();
    await expect.poll(() => script.innerText()).toContain('setClaim("stage", "one")');
    expect(await script.innerText()).not.toContain("third");
    await expect.poll(() => history.getByRole("rowheader").allTextContents()).toEqual(["4 (saved)", "3", "2", "1"]);
    await history.getByText("The scripts are the same.").waitFor();
    // Version 1 is now what the action is: going back to it again would change nothing.
    await history.getByText("Version 1 is what the action is now.").waitFor();
    expect(await history.getByRole("button", { name: "Roll back to this version" }).count()).toBe(0);
    // No unsaved changes: the editor holds what the server now has.
    expect(await page.getByText("unsaved changes").count()).toBe(0);
    await b.screenshot("19-action-history-rolled-back");
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(320);
    expectCleanSession(b);
  });
});
