import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`, as .ci/run does). */
export const chromiumPath = "/usr/bin/chromium";

/** Flags that keep Chromium off the network (it is loopback only here) and working as root without a GPU. */
const quietArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

export interface ApiRequest {
  url: string;
  contentType: string | undefined;
}

export interface TestBrowser {
  page: Page;
  context: BrowserContext;
  /** What the page logged as errors, and the errors it threw. */
  consoleErrors: string[];
  /** The page's calls to the API's services. */
  apiRequests: ApiRequest[];
  /** Saves a screenshot of the page under the run's folder; returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

const apiPath = /\/(zitadel\.management\.v1\.ManagementService|actiond\.v1\.\w+Service)\//;

/**
 * Headless Chromium with a fresh profile, watched: console errors, page
 * errors and API requests are collected for the test to assert on.
 */
export async function launchBrowser(screenshotDir: string, viewport = { width: 1280, height: 900 }): Promise<TestBrowser> {
  if (!fs.existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install -y chromium (as .ci/run does)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: quietArgs,
    viewport,
  });
  // A step that cannot happen fails on its own, naming itself, well inside the test's timeout.
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  const apiRequests: ApiRequest[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (err) => consoleErrors.push(err.message));
  page.on("request", (r) => {
    if (apiPath.test(new URL(r.url()).pathname)) apiRequests.push({ url: r.url(), contentType: r.headers()["content-type"] });
  });
  return {
    page,
    context,
    consoleErrors,
    apiRequests,
    async screenshot(name) {
      const file = path.join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
