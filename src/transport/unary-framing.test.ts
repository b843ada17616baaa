import { describe, expect, it } from "vitest";
import { framingOf } from "./unary-framing.js";

const req = (over: { httpVersionMajor?: number; method?: string; type?: string }) => ({
  httpVersionMajor: over.httpVersionMajor ?? 2,
  method: over.method ?? "POST",
  url: "/zitadel.management.v1.ManagementService/GetAction",
  headers: { "content-type": over.type ?? "application/grpc" },
});

describe("the lean unary path", () => {
  it("takes binary gRPC over HTTP/2, and binary gRPC-Web over either version", () => {
    expect(framingOf(req({}))?.protocolName).toBe("grpc");
    expect(framingOf(req({ type: "application/grpc+proto" }))?.protocolName).toBe("grpc");
    for (const httpVersionMajor of [1, 2]) {
      for (const type of ["application/grpc-web", "application/grpc-web+proto"]) {
        expect(framingOf(req({ httpVersionMajor, type }))?.protocolName).toBe("grpc-web");
      }
    }
  });

  it("leaves everything else to connect-node", () => {
    expect(framingOf(req({ httpVersionMajor: 1 }))).toBeUndefined();
    expect(framingOf(req({ method: "GET" }))).toBeUndefined();
    expect(framingOf(req({ method: "GET", type: "application/grpc-web+proto" }))).toBeUndefined();
    const others = ["application/grpc+json", "application/grpc-web+json", "application/grpc-web-text", "application/proto", "application/json", "application/grpc; codec=x"];
    for (const type of others) expect(framingOf(req({ type }))).toBeUndefined();
  });
});
