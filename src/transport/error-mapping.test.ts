import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { DomainError } from "../domain/errors.js";
import { createLogger } from "../logger.js";
import { ErrorDetailSchema } from "../../gen/zitadel/v1/message_pb.js";
import { toConnectError } from "./error-mapping.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, log: createLogger("debug", (l) => lines.push(JSON.parse(l))) };
}

describe("toConnectError()", () => {
  it("gives a DomainError its code, ZITADEL's message form and an ErrorDetail", () => {
    const { log, lines } = capture();
    const err = toConnectError(new DomainError("NotFound", "QUERY-GEfnb", "Action not found"), log);
    expect(err.code).toBe(Code.NotFound);
    expect(err.rawMessage).toBe("Action not found (QUERY-GEfnb)");
    expect(err.findDetails(ErrorDetailSchema)).toMatchObject([{ id: "QUERY-GEfnb", message: "Action not found" }]);
    expect(lines).toEqual([]);
  });

  it("passes ConnectErrors through unchanged", () => {
    const original = new ConnectError("bad", Code.InvalidArgument);
    expect(toConnectError(original, capture().log)).toBe(original);
  });

  it("turns anything else into Internal with the cause only in the log", () => {
    const { log, lines } = capture();
    const err = toConnectError(new Error("disk on fire at /secret/path"), log);
    expect(err.code).toBe(Code.Internal);
    expect(err.rawMessage).toBe("internal error");
    expect(err.details).toEqual([]);
    expect(JSON.stringify(lines)).toContain("disk on fire");
  });
});
