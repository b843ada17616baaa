import { create, createFileRegistry, type DescEnum, type DescMessage, type JsonObject, ScalarType, setExtension } from "@bufbuild/protobuf";
import {
  DurationSchema,
  FieldDescriptorProto_Type as Type,
  FieldOptionsSchema,
  FileDescriptorProtoSchema,
  MessageOptionsSchema,
} from "@bufbuild/protobuf/wkt";
import {
  field as fieldRules,
  FieldRulesSchema,
  message as messageRules,
  MessageRulesSchema,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { describe, expect, it } from "vitest";
import { ListExecutionsRequestSchema, TestActionRequestSchema } from "../../../../gen/actiond/v1/execution_pb.js";
import {
  CreateZitadelTargetRequestSchema,
  UpdateZitadelTargetRequestSchema,
} from "../../../../gen/actiond/v1/zitadel_target_pb.js";
import { ActionQuerySchema, ListActionsRequestSchema } from "../../../../gen/zitadel/management/v1/management_pb.js";
import { effectiveConstraints, ruleSchema } from "./field-rules.js";
import { refTo } from "./json-schema.js";
import { messageSchema } from "./message-schema.js";

const ref = (desc: DescMessage | DescEnum) => refTo(desc.typeName);
const properties = (message: DescMessage) => messageSchema(message, ref)["properties"] as JsonObject;

describe("messageSchema(): buf.validate rules of the real protos", () => {
  it("constrains CreateZitadelTargetRequest as its rules do", () => {
    const schema = messageSchema(CreateZitadelTargetRequestSchema, ref);
    expect(schema["required"]).toEqual(["name"]);
    expect(schema["properties"]).toMatchObject({
      name: { type: "string", minLength: 1, maxLength: 200 },
      payloadType: { $ref: "#/components/schemas/actiond.v1.PayloadType" },
      orgId: { type: "string", maxLength: 200, pattern: "^[A-Za-z0-9_-]*$" },
      issuer: { type: "string", maxLength: 2000 },
      signingKeys: {
        type: "array",
        maxItems: 10,
        uniqueItems: true,
        items: { type: "string", minLength: 1, maxLength: 1000, pattern: "^[!-~]+$" },
      },
    });
  });

  it("marks required the fields without presence whose absence fails their rules, and only those", () => {
    // flowType and triggerType carry no rule since a replay (execution_id) may leave them out.
    expect(messageSchema(TestActionRequestSchema, ref)["required"]).toEqual(["name", "script"]);
    // proto3 `optional`: leaving the name out keeps it, so min_len applies only to a name that is sent.
    expect(messageSchema(UpdateZitadelTargetRequestSchema, ref)["required"]).toEqual(["id"]);
    expect(messageSchema(ListExecutionsRequestSchema, ref)["required"]).toBeUndefined();
  });

  it("keeps the tighter bound of a uint32 and its rule, and writes 64-bit integers as strings", () => {
    expect(properties(ListExecutionsRequestSchema)).toMatchObject({
      limit: { type: "integer", format: "uint32", minimum: 0, maximum: 1000 },
      offset: { type: "string", format: "uint64" },
      startedAfter: { $ref: "#/components/schemas/google.protobuf.Timestamp" },
    });
  });

  it("names a Duration's bounds in the description: a duration string has no minimum", () => {
    expect(properties(TestActionRequestSchema)["timeout"]).toEqual({
      $ref: "#/components/schemas/google.protobuf.Duration",
      description: 'Also validated (buf.validate): duration.lte: "20s"; duration.gte: "0s".',
    });
  });

  it("requires exactly one member of a required oneof, and at most one of any other", () => {
    const present = ["actionIdQuery", "actionNameQuery", "actionStateQuery"].map((name) => ({ required: [name] }));
    expect(messageSchema(ActionQuerySchema, ref)["allOf"]).toEqual([{ oneOf: present }]);
    expect(messageSchema(ListActionsRequestSchema, ref)["allOf"]).toBeUndefined();
  });

  it("leaves out the fields a path sets", () => {
    const id = UpdateZitadelTargetRequestSchema.field["id"]!;
    const schema = messageSchema(UpdateZitadelTargetRequestSchema, ref, new Set([id]));
    expect(Object.keys(schema["properties"] as JsonObject)).toEqual(["name", "payloadType", "orgId", "issuer", "failurePolicy"]);
    expect(schema["required"]).toBeUndefined();
  });

  it("writes the well-known types as their JSON forms", () => {
    expect(messageSchema(DurationSchema, ref)).toMatchObject({ type: "string", pattern: "^-?[0-9]+(\\.[0-9]{1,9})?s$" });
  });
});

describe("messageSchema(): buf.validate.message rules", () => {
  // message Contact {
  //   option (buf.validate.message) = { oneof: { fields: ["email", "phone"], required: true }, cel: { id: "contact.x", message: "must differ" } };
  //   string email = 1 [(buf.validate.field).string.min_len = 3];
  //   string phone = 2;
  // }
  const contact = (() => {
    const options = create(MessageOptionsSchema);
    setExtension(options, messageRules, create(MessageRulesSchema, { oneof: [{ fields: ["email", "phone"], required: true }], cel: [{ id: "contact.x", message: "must differ", expression: "true" }] }));
    const emailOptions = create(FieldOptionsSchema);
    setExtension(emailOptions, fieldRules, create(FieldRulesSchema, { type: { case: "string", value: { minLen: 3n } } }));
    const file = create(FileDescriptorProtoSchema, {
      name: "contact.proto",
      package: "t",
      syntax: "proto3",
      messageType: [
        {
          name: "Contact",
          options,
          field: [
            { name: "email", number: 1, type: Type.STRING, jsonName: "email", options: emailOptions },
            { name: "phone", number: 2, type: Type.STRING, jsonName: "phone" },
          ],
        },
      ],
    });
    return createFileRegistry(file, () => undefined).getMessage("t.Contact")!;
  })();

  it("makes a oneof rule a group, checks its members only when set, and names CEL in the description", () => {
    expect(messageSchema(contact, ref)).toEqual({
      type: "object",
      properties: { email: { type: "string", anyOf: [{ const: "" }, { minLength: 3 }] }, phone: { type: "string" } },
      allOf: [{ oneOf: [{ required: ["email"] }, { required: ["phone"] }] }],
      description: "Also validated (buf.validate): CEL contact.x: must differ.",
    });
  });
});

describe("effectiveConstraints()", () => {
  it("lets the zero value through under IGNORE_IF_ZERO_VALUE", () => {
    const shape = { kind: "scalar", scalar: ScalarType.STRING } as const;
    const ruled = ruleSchema(shape, { ignore: "IGNORE_IF_ZERO_VALUE", string: { minLen: "3" } });
    expect(effectiveConstraints(shape, ruled)).toEqual({ anyOf: [{ const: "" }, { minLength: 3 }] });
  });
});
