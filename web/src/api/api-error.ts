import { Code, ConnectError } from "@connectrpc/connect";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";

/** An API error as the console shows it: the code's name, the server's message, and the fields it names. */
export interface ApiError {
  code: string;
  message: string;
  /** Each named field's message, keyed by its path in camelCase (`name`, `timeout`, `context.claims`). */
  fields: Record<string, string>;
}

/** `field.path: message`, as validation and the context checks word their errors. */
const fieldPrefix = /^([a-z_][\w]*(?:\.[\w]+|\[[^\]]*\])*): (.+)$/is;

const camel = (path: string) => path.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Reads the fields an error names from buf.validate's Violations detail when
 * the server sent it, else from the message's `path: ` prefix.
 */
export function toApiError(err: unknown): ApiError {
  const e = ConnectError.from(err);
  const fields: Record<string, string> = {};
  for (const detail of e.findDetails(ViolationsSchema)) {
    for (const v of detail.violations) {
      const path = camel((v.field?.elements ?? []).map((el) => el.fieldName).join("."));
      if (path) fields[path] ??= v.message;
    }
  }
  const named = fieldPrefix.exec(e.rawMessage);
  if (Object.keys(fields).length === 0 && named) fields[camel(named[1]!)] = named[2]!;
  return { code: Code[e.code], message: e.rawMessage, fields };
}

/** The message for a field, or for any field below it (`context` for `context.claims.x`). */
export function fieldError(error: ApiError | undefined, field: string): string | undefined {
  if (!error) return undefined;
  const key = Object.keys(error.fields).find((k) => k === field || k.startsWith(`${field}.`) || k.startsWith(`${field}[`));
  return key === undefined ? undefined : `${key}: ${error.fields[key]}`;
}
