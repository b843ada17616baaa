import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import http from "node:http";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateActionRequestSchema, CreateActionResponseSchema } from "../../gen/zitadel/management/v1/management_pb.js";
import { createOrgWithToken } from "../support/orgs.js";
import { envelope, rawGrpc } from "../support/raw-grpc.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

// Issue 9, item 6: the org header means the same on every transport. Raw
// clients, because connect's own clients trim header values before sending.

let server: TestServer;
let orgB: string;
let n = 0;

beforeAll(async () => {
  server = await startTestServer();
  orgB = (await createOrgWithToken(server, ["ORG_OWNER"], "org B")).orgId;
});

afterAll(() => server.close());

/** Where a CreateAction landed (its resource owner), or the gRPC code it was refused with. */
type Outcome = { org: string } | { code: number };
type Send = (orgHeader: string, authorization?: string) => Promise<Outcome>;

const createPath = "/zitadel.management.v1.ManagementService/CreateAction";
const nextAction = () => {
  const name = `org_header_${++n}`;
  return { name, script: `function ${name}(ctx, api) {}` };
};
const connectCodes: Record<string, number> = { invalid_argument: 3, unauthenticated: 16, permission_denied: 7 };

function h1(path: string, headers: http.OutgoingHttpHeaders, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.baseUrl}${path}`, { method: "POST", headers: { ...headers, "content-length": body.length } }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d)).on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function h2(path: string, headers: http2.OutgoingHttpHeaders, body: Buffer): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(server.baseUrl);
    session.on("error", reject);
    const req = session.request({ ":method": "POST", ":path": path, ...headers });
    const parts: Buffer[] = [];
    let status = 0;
    req.on("response", (h) => (status = Number(h[":status"])));
    req.on("data", (d: Buffer) => parts.push(d)).on("end", () => {
      session.close();
      resolve({ status, body: Buffer.concat(parts) });
    });
    req.on("error", reject);
    req.end(body);
  });
}

const auth = (authorization?: string) => authorization ?? `Bearer ${server.adminToken}`;

/** REST or Connect JSON, over either HTTP version. */
function json(kind: "rest" | "connect", version: 1 | 2): Send {
  return async (org, authorization) => {
    const path = kind === "rest" ? "/management/v1/actions" : createPath;
    const headers = { "content-type": "application/json", authorization: auth(authorization), "x-zitadel-orgid": org };
    const body = Buffer.from(JSON.stringify(nextAction()));
    const res = version === 1 ? await h1(path, headers, body) : await h2(path, headers, body);
    const parsed = JSON.parse(res.body.toString());
    if (res.status === 200) return { org: parsed.details.resourceOwner };
    return { code: kind === "rest" ? parsed.code : connectCodes[parsed.code]! };
  };
}

const grpcH2: Send = async (org, authorization) => {
  const message = toBinary(CreateActionRequestSchema, create(CreateActionRequestSchema, nextAction()));
  const answer = await rawGrpc(server.baseUrl, createPath, envelope(message), { authorization: auth(authorization), "x-zitadel-orgid": org });
  if (answer.grpcStatus !== "0") return { code: Number(answer.grpcStatus) };
  return { org: fromBinary(CreateActionResponseSchema, answer.body.subarray(5)).details!.resourceOwner };
};

const grpcWebH1: Send = async (org, authorization) => {
  const message = toBinary(CreateActionRequestSchema, create(CreateActionRequestSchema, nextAction()));
  const res = await h1(createPath, { "content-type": "application/grpc-web+proto", authorization: auth(authorization), "x-zitadel-orgid": org }, envelope(message));
  const status = /grpc-status: (\d+)/.exec(res.body.toString("latin1"))?.[1] ?? String(res.headers["grpc-status"]);
  if (status !== "0") return { code: Number(status) };
  return { org: fromBinary(CreateActionResponseSchema, res.body.subarray(5, 5 + res.body.readUInt32BE(1))).details!.resourceOwner };
};

const transports: [string, Send][] = [
  ["REST over HTTP/1.1", json("rest", 1)],
  ["Connect over HTTP/1.1", json("connect", 1)],
  ["gRPC-Web over HTTP/1.1", grpcWebH1],
  ["REST over HTTP/2", json("rest", 2)],
  ["Connect over HTTP/2", json("connect", 2)],
  ["gRPC over HTTP/2", grpcH2],
];

/** Whether this Node delivers HTTP/2 fields with surrounding whitespace at all (docs/transport.md, The org header). */
async function h2DeliversPaddedFields(): Promise<boolean> {
  const probe = http2.createServer({ strictFieldWhitespaceValidation: false } as http2.ServerOptions, (req, res) => res.end(String(req.headers["x-probe"])));
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const session = http2.connect(`http://127.0.0.1:${(probe.address() as AddressInfo).port}`);
  const seen = await new Promise<string>((resolve) => {
    let text = "";
    session.request({ "x-probe": " x" }).on("data", (d) => (text += d)).on("end", () => resolve(text)).end();
  });
  session.close();
  probe.close();
  return seen === " x";
}

describe("the x-zitadel-orgid header", () => {
  it.each(transports)("selects the org it names over %s, and refuses what is not an org id", async (_, send) => {
    expect(await send(orgB)).toEqual({ org: orgB });
    expect(await send(`${orgB}x y`)).toEqual({ code: 3 });
    expect(await send(`${orgB}, ${orgB}`)).toEqual({ code: 3 });
    // Authentication comes first, as in ZITADEL.
    expect(await send("x y", "Bearer nonsense")).toEqual({ code: 16 });
  });

  it.each(transports.slice(0, 3))("is trimmed over %s", async (_, send) => {
    expect(await send(` ${orgB}`)).toEqual({ org: orgB });
    expect(await send(`${orgB}\t`)).toEqual({ org: orgB });
  });

});

// Node 20 drops an HTTP/2 field with surrounding whitespace before actiond
// sees it (RFC 9113 §8.2.1); Node 24.2 can deliver it, and it is then trimmed.
describe.skipIf(!(await h2DeliversPaddedFields()))("the x-zitadel-orgid header, padded, over HTTP/2", () => {
  it.each(transports.slice(3))("is trimmed over %s", async (_, send) => {
    expect(await send(` ${orgB}`)).toEqual({ org: orgB });
  });
});
