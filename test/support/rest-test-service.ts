import { create, createFileRegistry, setExtension, type DescService, type MessageInitShape } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FileDescriptorProtoSchema,
  MethodOptionsSchema,
  file_google_protobuf_duration,
  type FieldDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";
import { HttpRuleSchema } from "../../gen/google/api/http_pb.js";
import { http } from "../../gen/google/api/annotations_pb.js";

/**
 * Test-only: the management API binds bodies only as `*` and has hardly any
 * query fields, so this small service exercises the rest of google.api.http
 * (query parameters of every kind, `body: "field"`, `response_body`, custom
 * verbs, `**`, additional_bindings). It echoes its request.
 *
 *     message EchoRequest { string id = 1; string name_prefix = 2; int64 count = 3; bool active = 4;
 *       Color color = 5; repeated string tags = 6; Inner inner = 7; google.protobuf.Duration timeout = 8; }
 *     message Inner { string id = 1; string note = 2; }
 */
export const restTestService: DescService = buildService();

type FieldInit = MessageInitShape<typeof FieldDescriptorProtoSchema>;

function field(name: string, number: number, type: Type, extra: { label?: Label; typeName?: string } = {}): FieldInit {
  const jsonName = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return { name, number, type, label: extra.label ?? Label.OPTIONAL, jsonName, typeName: extra.typeName };
}

function rule(init: MessageInitShape<typeof HttpRuleSchema>) {
  const options = create(MethodOptionsSchema);
  setExtension(options, http, create(HttpRuleSchema, init));
  return options;
}

function buildService(): DescService {
  const file = create(FileDescriptorProtoSchema, {
    name: "rest_test/v1/rest_test.proto",
    package: "rest_test.v1",
    syntax: "proto3",
    dependency: ["google/protobuf/duration.proto"],
    enumType: [{ name: "Color", value: [{ name: "COLOR_UNSPECIFIED", number: 0 }, { name: "COLOR_RED", number: 1 }] }],
    messageType: [
      {
        name: "EchoRequest",
        field: [
          field("id", 1, Type.STRING),
          field("name_prefix", 2, Type.STRING),
          field("count", 3, Type.INT64),
          field("active", 4, Type.BOOL),
          field("color", 5, Type.ENUM, { typeName: ".rest_test.v1.Color" }),
          field("tags", 6, Type.STRING, { label: Label.REPEATED }),
          field("inner", 7, Type.MESSAGE, { typeName: ".rest_test.v1.Inner" }),
          field("timeout", 8, Type.MESSAGE, { typeName: ".google.protobuf.Duration" }),
        ],
      },
      { name: "Inner", field: [field("id", 1, Type.STRING), field("note", 2, Type.STRING)] },
    ],
    service: [
      {
        name: "RestTestService",
        method: [
          {
            name: "Echo",
            inputType: ".rest_test.v1.EchoRequest",
            outputType: ".rest_test.v1.EchoRequest",
            options: rule({
              pattern: { case: "get", value: "/echo/{id}" },
              additionalBindings: [
                { pattern: { case: "post", value: "/echo/{inner.id}:check" }, body: "inner" },
                { pattern: { case: "get", value: "/files/{name_prefix=docs/**}" } },
                { pattern: { case: "custom", value: { kind: "SEARCH", path: "/echo" } } },
              ],
            }),
          },
          {
            name: "EchoInner",
            inputType: ".rest_test.v1.EchoRequest",
            outputType: ".rest_test.v1.EchoRequest",
            options: rule({ pattern: { case: "post", value: "/inner" }, body: "*", responseBody: "inner" }),
          },
        ],
      },
    ],
  });
  const registry = createFileRegistry(file, (name) =>
    name === "google/protobuf/duration.proto" ? file_google_protobuf_duration : undefined,
  );
  return registry.getService("rest_test.v1.RestTestService")!;
}
