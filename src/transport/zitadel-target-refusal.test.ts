import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { DomainError } from "../domain/errors.js";
import { createLogger } from "../logger.js";
import { serverStopping } from "./signal-race.js";
import { targetCallRefusalOf } from "./zitadel-target-refusal.js";

describe("targetCallRefusalOf()", () => {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("debug", (line) => lines.push(JSON.parse(line)));

  it("answers a DomainError's id as the reason, its text as the message, its code as REST's status", () => {
    expect(targetCallRefusalOf(new DomainError("Unauthenticated", "stale", "signed 400 s ago"), log)).toEqual({ status: 401, error: "stale", message: "signed 400 s ago" });
    expect(targetCallRefusalOf(new DomainError("NotFound", "unknown-target", "no target"), log)).toMatchObject({ status: 404 });
    expect(targetCallRefusalOf(new DomainError("InvalidArgument", "bad-payload", "function: x"), log)).toMatchObject({ status: 400 });
    expect(targetCallRefusalOf(new DomainError("Unavailable", "issuer-unavailable", "down"), log)).toMatchObject({ status: 503 });
    expect(targetCallRefusalOf(new DomainError("ResourceExhausted", "EXEC-org-busy", "busy"), log)).toMatchObject({ status: 429, error: "EXEC-org-busy" });
  });

  it("names a ConnectError without a detail by its code", () => {
    expect(targetCallRefusalOf(serverStopping, log)).toEqual({ status: 503, error: "unavailable", message: "the server is shutting down" });
    expect(targetCallRefusalOf(new ConnectError("full", Code.ResourceExhausted), log)).toEqual({ status: 429, error: "resource-exhausted", message: "full" });
  });

  it("hides anything else behind internal error, and logs its cause", () => {
    const before = lines.length;
    expect(targetCallRefusalOf(new Error("the database said no"), log)).toEqual({ status: 500, error: "internal", message: "internal error" });
    expect(lines.slice(before)).toEqual([expect.objectContaining({ level: "error", msg: "internal error" })]);
  });
});
