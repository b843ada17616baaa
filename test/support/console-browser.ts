import { afterAll, beforeAll, expect } from "vitest";
import { launchBrowser, type TestBrowser } from "./browser.js";
import { builtConsole } from "./built-console.js";
import { startTestServer, type TestServer } from "./test-server.js";

/** Signs in to the console with a pasted token and waits for the first page. */
export async function signInToConsole(b: TestBrowser, baseUrl: string, token: string): Promise<void> {
  await b.page.goto(`${baseUrl}/`);
  await b.page.getByLabel("Token", { exact: true }).fill(token);
  await b.page.getByRole("button", { name: "Sign in", exact: true }).click();
  await b.page.getByRole("heading", { name: "Actions", exact: true }).waitFor();
}

/** What every browser test asserts at its end: only binary gRPC-Web calls, and nothing logged as an error. */
export function expectCleanSession(b: TestBrowser): void {
  expect(b.apiRequests.length).toBeGreaterThan(0);
  expect(new Set(b.apiRequests.map((r) => r.contentType))).toEqual(new Set(["application/grpc-web+proto"]));
  expect(b.consoleErrors).toEqual([]);
}

/** A REST call as any other client makes it; a non-2xx answer throws with its status and body. */
export async function restCall(
  baseUrl: string,
  method: string,
  url: string,
  token: string,
  body?: unknown,
  orgId?: string,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(orgId && { "x-zitadel-orgid": orgId }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export interface ConsoleSuite {
  /** The real server (sources in-process) serving the built console; set once the suite started. */
  readonly server: TestServer;
  /** A fresh Chromium page saving screenshots to the suite's folder, closed after the suite. */
  browser(viewport?: { width: number; height: number }): Promise<TestBrowser>;
}

/** One server and its browsers for a console test file; prints where the screenshots went. */
export function useConsoleSuite(screenshots: string, label: string): ConsoleSuite {
  let server: TestServer | undefined;
  const browsers: TestBrowser[] = [];
  beforeAll(async () => {
    builtConsole();
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const b of browsers.splice(0)) await b.close();
    await server?.close();
    process.stdout.write(`\n${label}: ${screenshots}\n`);
  });
  return {
    get server() {
      if (!server) throw new Error("the console suite's server has not started");
      return server;
    },
    async browser(viewport) {
      const b = await launchBrowser(screenshots, viewport);
      browsers.push(b);
      return b;
    },
  };
}
