/**
 * GET /openapi.json against the real server, and the document against the
 * REST gateway that serves the same port: every documented operation is
 * routed, and every google.api.http rule of the served services is
 * documented, as the RPC it calls.
 */
import { type DescService, getOption, hasOption } from "@bufbuild/protobuf";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutionService } from "../../gen/actiond/v1/execution_pb.js";
import { ActionVersionService } from "../../gen/actiond/v1/action_version_pb.js";
import { SecretService } from "../../gen/actiond/v1/secret_pb.js";
import { ZitadelTargetService } from "../../gen/actiond/v1/zitadel_target_pb.js";
import { http } from "../../gen/google/api/annotations_pb.js";
import { ManagementService } from "../../gen/zitadel/management/v1/management_pb.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  requestBody?: unknown;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

const version = (JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** The REST services as server.ts mounts them; the count check below notices one mounted there and missing here. */
const mounted: [DescService, string][] = [
  [ManagementService, "/management/v1"],
  [ExecutionService, ""],
  [ZitadelTargetService, ""],
  [SecretService, ""],
  [ActionVersionService, ""],
];

let server: TestServer;
let doc: Document;

beforeAll(async () => {
  server = await startTestServer();
  doc = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as Document;
});

afterAll(() => server.close());

const url = (path: string) => `${server.baseUrl}${path}`;

describe("GET /openapi.json", () => {
  it("answers without a token, as JSON with an ETag, and 304 to that ETag", async () => {
    const res = await fetch(url("/openapi.json"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("public, no-cache");
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const body = await res.text();
    expect(Number(res.headers.get("content-length"))).toBe(Buffer.byteLength(body));
    expect(JSON.parse(body)).toMatchObject({ openapi: "3.1.0", info: { title: "actiond", version } });

    const again = await fetch(url("/openapi.json?x=1"), { headers: { "if-none-match": `W/${etag}` } });
    expect([again.status, again.headers.get("etag"), await again.text()]).toEqual([304, etag, ""]);
  });

  it("answers HEAD with the headers alone, and other methods with 405", async () => {
    const head = await fetch(url("/openapi.json"), { method: "HEAD" });
    expect([head.status, head.headers.get("content-type"), await head.text()]).toEqual([200, "application/json", ""]);
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(10_000);
    const post = await fetch(url("/openapi.json"), { method: "POST", body: "{}" });
    expect([post.status, post.headers.get("allow"), await post.json()]).toEqual([405, "GET, HEAD", { code: 12, message: "Method Not Allowed" }]);
  });

  it("resolves every $ref it holds", () => {
    const refs = new Set(JSON.stringify(doc).match(/"\$ref":"[^"]*"/g)!.map((m) => m.slice(8, -1)));
    expect(refs.size).toBeGreaterThan(30);
    for (const ref of refs) {
      expect(ref.startsWith("#/"), ref).toBe(true);
      const target = ref.slice(2).split("/").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });
});

describe("the document and the gateway", () => {
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

  it("tells the gateway's answer to an unknown route from a resource's NotFound", async () => {
    expect(await noRoute("GET", "/v1/nowhere")).toBe(true);
    expect(await noRoute("PATCH", "/management/v1/actions/1")).toBe(true);
    expect(await noRoute("GET", "/management/v1/actions/1")).toBe(false); // NotFound, from the handler
  });

  it("documents only routes the gateway serves", async () => {
    expect(operations().length).toBeGreaterThan(20);
    for (const { path, method, op } of operations()) {
      const concrete = path.replace(/\{[^}]+\}/g, "placeholder");
      expect(await noRoute(method, concrete, op.requestBody !== undefined), `${method} ${path}`).toBe(false);
    }
  });

  it("documents every google.api.http rule of the mounted services, as the RPC it calls", () => {
    const rules = mounted.flatMap(([service, prefix]) => httpRules(service, prefix));
    expect(operations()).toHaveLength(rules.length);
    for (const rule of rules) {
      const concrete = rule.path.replace(/\{[^}]+\}/g, "placeholder");
      const documented = operations().filter((o) => o.method === rule.httpMethod && templateRegex(o.path).test(concrete));
      expect(documented.map((o) => [o.op.tags[0], o.op.summary]), `${rule.httpMethod} ${rule.path}`).toEqual([[rule.service, rule.rpc]]);
    }
  });

  it("describes the error body the gateway writes", async () => {
    const res = await call("POST", "/management/v1/actions", true);
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(400);
    const status = doc.components["schemas"]!["google.rpc.Status"] as { properties: Record<string, unknown>; required: string[] };
    for (const key of status.required) expect(body).toHaveProperty(key);
    for (const key of Object.keys(body)) expect(status.properties).toHaveProperty(key);
  });
});

function call(method: string, path: string, withBody = false): Promise<Response> {
  return fetch(url(path), {
    method,
    headers: { authorization: `Bearer ${server.adminToken}`, ...(withBody && { "content-type": "application/json" }) },
    body: withBody ? "{}" : undefined,
  });
}

/** The gateway's own answers for a path no route serves (gateway.ts): 404 with this exact body, or 405 for another method's path. */
async function noRoute(method: string, path: string, withBody = false): Promise<boolean> {
  const res = await call(method, path, withBody);
  const text = await res.text();
  return res.status === 405 || (res.status === 404 && text === '{"code":5,"message":"Not Found"}');
}

/** Each rule and additional binding, read from the annotation itself rather than through the gateway's compiler. */
function httpRules(service: DescService, prefix: string) {
  return service.methods.flatMap((method) => {
    if (!hasOption(method, http)) return [];
    const rule = getOption(method, http);
    return [rule, ...rule.additionalBindings].map(({ pattern }) => {
      const [httpMethod, path] = pattern.case === "custom" ? [pattern.value.kind, pattern.value.path] : [pattern.case!.toUpperCase(), pattern.value!];
      return { service: service.name, rpc: method.name, httpMethod, path: prefix + path };
    });
  });
}

function templateRegex(path: string): RegExp {
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
  return new RegExp(`^${escaped}$`);
}
