import { Code } from "@connectrpc/connect";
import { orgHeader, plausibleOrgId } from "../../org-header.js";
import { codeToHttpStatus } from "../error-body.js";
import { refTo, type JsonSchema } from "./json-schema.js";

/** The pieces every operation shares, by the names operations.ts refers to them with. */
export const sharedRefs = {
  orgHeader: { $ref: "#/components/parameters/orgId" },
  error: { $ref: "#/components/responses/Error" },
  security: [{ bearerAuth: [] }],
};

export const securitySchemes: JsonSchema = {
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    description:
      "An actiond token (data/admin.token, `actiond token create`) or, with --oidc-issuer, a JWT access token from that issuer. " +
      "Without a valid one every route answers 401 before the body is read.",
  },
};

export const orgIdParameter: JsonSchema = {
  name: orgHeader,
  in: "header",
  required: false,
  description: "The organisation the call acts in; absent, the caller's own. A value that cannot be an org id is InvalidArgument.",
  schema: { type: "string", pattern: plausibleOrgId.source },
};

const codes = Object.values(Code)
  .filter((c): c is Code => typeof c == "number")
  .map((c) => `${c} ${Code[c]} (HTTP ${codeToHttpStatus(c)})`);

/**
 * The body the gateway writes for every error (`errorToJson`, ../error-body.ts):
 * grpc-gateway's google.rpc.Status, with the HTTP status of its code.
 */
export const errorSchema: JsonSchema = {
  type: "object",
  properties: {
    code: { type: "integer", format: "int32", description: `The gRPC status code: ${codes.join(", ")}.` },
    message: { type: "string", description: 'For actiond\'s own errors ZITADEL\'s form, a text and an id: "Action not found (QUERY-GEfnb)".' },
    details: {
      type: "array",
      items: refTo("google.protobuf.Any"),
      description: "zitadel.v1.ErrorDetail {id, message} for actiond's own errors; buf.validate.Violations for a request that fails validation.",
    },
  },
  required: ["code", "message"],
};

export const errorResponse: JsonSchema = {
  description: "An error; the HTTP status is the code's.",
  content: { "application/json": { schema: refTo("google.rpc.Status") } },
};
