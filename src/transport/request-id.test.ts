import type { IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import type { NodeRequest, NodeResponse } from "./node-http.js";
import { assignRequestId, requestIdOf } from "./request-id.js";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A request with these headers and a response that records what was set on it. */
function exchange(headers: IncomingHttpHeaders) {
  const req = { headers } as NodeRequest;
  const set: Record<string, unknown> = {};
  const res = { setHeader: (name: string, value: unknown) => void (set[name] = value) } as unknown as NodeResponse;
  return { req, res, set };
}

describe("assignRequestId()", () => {
  it("keeps a sane id a proxy sent, answers it and leaves it in the request", () => {
    for (const sent of ["abc", "0b7c3e2a-proxy/1", "x".repeat(128), "!~"]) {
      const { req, res, set } = exchange({ "x-request-id": sent });
      expect(assignRequestId(req, res)).toBe(sent);
      expect(set).toEqual({ "x-request-id": sent });
      expect(requestIdOf(req)).toBe(sent);
    }
  });

  it("replaces a missing, empty, long, spaced, non-ASCII or repeated id with a fresh UUID", () => {
    const insane: IncomingHttpHeaders["x-request-id"][] = [undefined, "", "x".repeat(129), "a b", "é", "a\tb", ["a", "b"]];
    const ids = new Set<string>();
    for (const sent of insane) {
      const { req, res, set } = exchange({ "x-request-id": sent });
      const id = assignRequestId(req, res);
      expect(id).toMatch(uuid);
      expect(set["x-request-id"]).toBe(id);
      expect(req.headers["x-request-id"]).toBe(id);
      ids.add(id);
    }
    expect(ids.size).toBe(insane.length);
  });
});
