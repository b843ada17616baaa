import { create, toBinary, type Message } from "@bufbuild/protobuf";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { Code, ConnectError, type Interceptor, type ServiceImpl } from "@connectrpc/connect";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ActionState } from "../../gen/zitadel/action/v1/action_pb.js";
import { ManagementService } from "../../gen/zitadel/management/v1/management_pb.js";
import { ErrorDetailSchema } from "../../gen/zitadel/v1/message_pb.js";
import type { Logger } from "../../src/logger.js";
import { createRestGateway } from "../../src/transport/rest/index.js";
import { restTestService } from "./rest-test-service.js";

/** Test-only: the gateway over a fake ManagementService on a loopback port, and what it observed. */
export interface TestGateway {
  base: string;
  readMaxBytes: number;
  gateway: ReturnType<typeof createRestGateway>;
  /** One entry per call that reached the interceptors. */
  seen: { rpc: string; header: Headers; timeoutMs?: number }[];
  /** log.error calls. */
  errors: { msg: string; fields?: Record<string, unknown> }[];
  /** The id DeleteAction received; the reason the "slow" GetAction's signal aborted with. */
  last: { deletedId?: string; aborted: Promise<unknown> };
  call(method: string, path: string, init?: { body?: RequestInit["body"]; headers?: Record<string, string> }): Promise<Reply>;
  reset(): void;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  headers: Headers;
  json: unknown;
}

export async function startTestGateway(readMaxBytes = 4096): Promise<TestGateway> {
  const seen: TestGateway["seen"] = [];
  const errors: TestGateway["errors"] = [];
  const last: TestGateway["last"] = { aborted: Promise.resolve() };
  const log: Logger = { debug() {}, info() {}, warn() {}, error: (msg, fields) => void errors.push({ msg, fields }) };
  const recordHeaders: Interceptor = (next) => (req) => {
    seen.push({ rpc: req.method.name, header: new Headers(req.header) });
    return next(req);
  };

  const gateway = createRestGateway({
    services: [
      { service: ManagementService, impl: fakeManagement(seen, last), interceptors: [recordHeaders], prefix: "/management/v1" },
      {
        service: restTestService,
        impl: { echo: (r: Message) => r, echoInner: (r: Message) => r },
        interceptors: [],
        prefix: "/rest-test/v1",
      },
    ],
    readMaxBytes,
    log,
  });
  const server = http.createServer(gateway.serve);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    base,
    readMaxBytes,
    gateway,
    seen,
    errors,
    last,
    async call(method, path, init = {}) {
      const init2 = { method, body: init.body ?? null, headers: init.headers, duplex: "half" };
      const res = await fetch(base + path, init2 as RequestInit);
      const text = await res.text();
      return { status: res.status, headers: res.headers, json: text === "" ? undefined : JSON.parse(text) };
    },
    reset() {
      seen.length = 0;
      errors.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const unimplemented = () => {
  throw new ConnectError("not in this fake", Code.Unimplemented);
};

/** Echoes what it was asked, and fails on request (ids "missing", "boom", "string", "slow"). */
function fakeManagement(seen: TestGateway["seen"], last: TestGateway["last"]): ServiceImpl<typeof ManagementService> {
  return {
    async getAction(req, ctx) {
      seen.at(-1)!.timeoutMs = ctx.timeoutMs();
      if (req.id === "missing") {
        throw new ConnectError("Action not found (QUERY-GEfnb)", Code.NotFound, undefined, [
          { desc: ErrorDetailSchema, value: { id: "QUERY-GEfnb", message: "Action not found" } },
        ]);
      }
      if (req.id === "boom") throw new Error("secret database detail");
      if (req.id === "string") throw "a thrown string";
      if (req.id === "slow") {
        last.aborted = new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve(ctx.signal.reason)));
        await last.aborted;
      }
      ctx.responseHeader.set("x-trace-id", "trace-1");
      return { action: { id: req.id, name: "echo", state: ActionState.ACTIVE } };
    },
    createAction: (req) => ({ id: `new-${req.name}`, details: { sequence: 1n, resourceOwner: "org" } }),
    updateAction: (req) => ({ details: { resourceOwner: `${req.id}:${req.name}` } }),
    deleteAction: (req) => {
      last.deletedId = req.id;
      return {};
    },
    listActions: (req) => ({ details: { totalResult: BigInt(req.query?.limit ?? 0) }, sortingColumn: req.sortingColumn }),
    clearFlow: () => {
      // A detail in the form it has after crossing a wire: type name and bytes, decoded only through a registry.
      const violations = create(ViolationsSchema, { violations: [{ message: "must be set", ruleId: "required" }] });
      const err = new ConnectError("type: must be set", Code.InvalidArgument);
      err.details.push({ type: "buf.validate.Violations", value: toBinary(ViolationsSchema, violations) });
      throw err;
    },
    deactivateAction: (req) => ({ details: { resourceOwner: `deactivated ${req.id}` } }),
    reactivateAction: unimplemented,
    listFlowTypes: unimplemented,
    listFlowTriggerTypes: unimplemented,
    getFlow: unimplemented,
    setTriggerActions: unimplemented,
  };
}
