import { getOption, hasOption, type DescField, type DescMessage, type DescMethod } from "@bufbuild/protobuf";
import type { HttpRule } from "../../../gen/google/api/http_pb.js";
import { http } from "../../../gen/google/api/annotations_pb.js";
import { leafKind, resolveFieldPath } from "./field-path.js";
import { parsePathTemplate, type PathTemplate } from "./path-template.js";

/** One (HTTP method, path template) way of reaching an RPC, with everything resolved up front. */
export interface Binding {
  method: DescMethod;
  httpMethod: string;
  /** The full template, prefix included. */
  template: PathTemplate;
  /** The fields each template variable sets, aligned with `template.variables`. */
  pathFields: DescField[][];
  /** `*` for the whole body, a field for part of it, undefined when the body is ignored. */
  body: "*" | DescField | undefined;
  /** Only this field of the response is written, when set. */
  responseBody: DescField | undefined;
}

/**
 * Compiles a unary method's google.api.http rule and its additional_bindings.
 * A broken annotation is a build defect, so it throws when the gateway is
 * created rather than on some later request.
 */
export function compileHttpRules(method: DescMethod, prefix: string): Binding[] {
  if (method.methodKind !== "unary" || !hasOption(method, http)) return [];
  const rule = getOption(method, http);
  return [rule, ...rule.additionalBindings].map((r) => compileRule(method, r, prefix.replace(/\/+$/, "")));
}

function compileRule(method: DescMethod, rule: HttpRule, prefix: string): Binding {
  const fail = (why: string): never => {
    throw new Error(`google.api.http of ${method.parent.typeName}.${method.name}: ${why}`);
  };
  const pattern = rule.pattern;
  if (pattern.case === undefined) return fail("no HTTP method and path");
  const [httpMethod, path] =
    pattern.case === "custom" ? [pattern.value.kind.toUpperCase(), pattern.value.path] : [pattern.case.toUpperCase(), pattern.value];

  const parsed = parsePathTemplate(prefix + path);
  if (parsed.error !== undefined) return fail(`path "${prefix + path}": ${parsed.error}`);
  const template = parsed.template;

  const pathFields = template.variables.map((v) => {
    const resolved = resolveFieldPath(method.input, v.fieldPath);
    if (!resolved || resolved.error !== undefined) return fail(`unknown path variable {${v.fieldPath.join(".")}}`);
    if (leafKind(resolved.fields.at(-1)!) !== "single") {
      return fail(`path variable {${v.fieldPath.join(".")}} must be a singular scalar`);
    }
    return resolved.fields;
  });

  const body = rule.body === "" ? undefined : rule.body === "*" ? "*" : topLevelField(method.input, rule.body, fail);
  const responseBody = rule.responseBody === "" ? undefined : topLevelField(method.output, rule.responseBody, fail);
  return { method, httpMethod, template, pathFields, body, responseBody };
}

function topLevelField(message: DescMessage, name: string, fail: (why: string) => never): DescField {
  return message.fields.find((f) => f.name === name) ?? fail(`${message.typeName} has no field "${name}"`);
}
