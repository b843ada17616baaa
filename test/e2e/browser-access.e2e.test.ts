import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ListFlowTypesRequestSchema,
  ListFlowTypesResponseSchema,
} from "../../gen/zitadel/management/v1/management_pb.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

let server: TestServer;
let restricted: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  restricted = await startTestServer({ corsOrigins: ["https://console.example"] });
});

afterAll(async () => {
  await server.close();
  await restricted.close();
});

const listFlowTypes = "/zitadel.management.v1.ManagementService/ListFlowTypes";

describe("CORS", () => {
  it("answers preflights with the headers browsers need", async () => {
    const res = await fetch(`${server.baseUrl}${listFlowTypes}`, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,x-zitadel-orgid,content-type,x-grpc-web",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const allowed = res.headers.get("access-control-allow-headers")!.toLowerCase();
    for (const h of ["authorization", "x-zitadel-orgid", "content-type", "x-grpc-web", "connect-protocol-version", "grpc-timeout"]) {
      expect(allowed).toContain(h);
    }
    expect(res.headers.get("access-control-allow-methods")).toContain("DELETE");
  });

  it("exposes the gRPC status headers on responses", async () => {
    const res = await fetch(`${server.baseUrl}/management/v1/flows/types/_search`, {
      method: "POST",
      headers: { origin: "https://app.example", authorization: `Bearer ${server.adminToken}` },
    });
    expect(res.status).toBe(200);
    await res.body?.cancel();
    const exposed = res.headers.get("access-control-expose-headers")!.toLowerCase();
    for (const h of ["grpc-status", "grpc-message", "grpc-status-details-bin"]) expect(exposed).toContain(h);
  });

  it("honours an origin allow-list", async () => {
    const ask = (origin: string) =>
      fetch(`${restricted.baseUrl}${listFlowTypes}`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
    const good = await ask("https://console.example");
    expect(good.headers.get("access-control-allow-origin")).toBe("https://console.example");
    expect(good.headers.get("vary")).toContain("Origin");
    const bad = await ask("https://evil.example");
    expect(bad.headers.get("access-control-allow-origin")).toBeNull();
    await good.body?.cancel();
    await bad.body?.cancel();
  });
});

describe("gRPC-Web text (Google's grpc-web clients in text mode)", () => {
  function frame(flag: number, payload: Uint8Array): Buffer {
    const head = Buffer.alloc(5);
    head[0] = flag;
    head.writeUInt32BE(payload.length, 1);
    return Buffer.concat([head, payload]);
  }

  function parseFrames(bytes: Buffer): { data: Uint8Array[]; trailer: string } {
    const data: Uint8Array[] = [];
    let trailer = "";
    for (let i = 0; i < bytes.length; ) {
      const len = bytes.readUInt32BE(i + 1);
      const payload = bytes.subarray(i + 5, i + 5 + len);
      if (bytes[i]! & 0x80) trailer += payload.toString("latin1");
      else data.push(payload);
      i += 5 + len;
    }
    return { data, trailer };
  }

  async function callText(token: string) {
    const body = frame(0, toBinary(ListFlowTypesRequestSchema, create(ListFlowTypesRequestSchema)));
    const res = await fetch(`${server.baseUrl}${listFlowTypes}`, {
      method: "POST",
      headers: {
        "content-type": "application/grpc-web-text",
        accept: "application/grpc-web-text",
        "x-grpc-web": "1",
        authorization: `Bearer ${token}`,
      },
      body: body.toString("base64"),
    });
    const text = await res.text();
    // Each response chunk is base64 on its own; padded chunks may follow each other.
    const decoded = Buffer.concat((text.match(/[^=]+=*/g) ?? []).map((p) => Buffer.from(p, "base64")));
    return { res, ...parseFrames(decoded) };
  }

  it("decodes a base64 request and answers in base64", async () => {
    const { res, data, trailer } = await callText(server.adminToken);
    expect(res.headers.get("content-type")).toMatch(/^application\/grpc-web-text/);
    expect(trailer).toMatch(/grpc-status: ?0/);
    expect(fromBinary(ListFlowTypesResponseSchema, data[0]!).result.map((f) => f.id)).toEqual(["1", "2", "3", "4"]);
  });

  it("carries errors in the trailer", async () => {
    const { trailer } = await callText("actiond_wrong");
    expect(trailer).toMatch(/grpc-status: ?16/);
  });
});
