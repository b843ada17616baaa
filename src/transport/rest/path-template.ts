/**
 * google.api.http path templates, parsed once per binding:
 *
 *     Template = "/" Segments [ Verb ] ;
 *     Segments = Segment { "/" Segment } ;
 *     Segment  = "*" | "**" | LITERAL | Variable ;
 *     Variable = "{" FieldPath [ "=" Segments ] "}" ;
 *     Verb     = ":" LITERAL ;
 *
 * Variables are flattened into ranges over one segment list, so matching is a
 * single walk over the request path with no regular expressions.
 */
export type Segment = { kind: "literal"; value: string } | { kind: "any" } | { kind: "rest" };

export interface Variable {
  /** Proto field names, outermost first (`{action.id}` is ["action", "id"]). */
  fieldPath: string[];
  /** Index of the first segment the variable captures. */
  start: number;
  /** One past the last captured segment. */
  end: number;
}

export interface PathTemplate {
  segments: Segment[];
  variables: Variable[];
  verb: string | undefined;
}

export type ParseResult = { template: PathTemplate; error?: undefined } | { template?: undefined; error: string };

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses a template; a malformed one is an error value, since its caller decides how loud to be. */
export function parsePathTemplate(source: string): ParseResult {
  if (!source.startsWith("/")) return { error: "must start with '/'" };
  const split = splitVerb(source.slice(1));
  if (split.error !== undefined) return { error: split.error };
  if (split.verb !== undefined && !isLiteral(split.verb)) return { error: `invalid verb ":${split.verb}"` };

  const segments: Segment[] = [];
  const variables: Variable[] = [];
  for (const part of splitTopLevel(split.path)) {
    if (part.startsWith("{")) {
      const variable = parseVariable(part, segments);
      if (typeof variable == "string") return { error: variable };
      if (variables.some((v) => v.fieldPath.join(".") === variable.fieldPath.join("."))) {
        return { error: `variable {${variable.fieldPath.join(".")}} bound twice` };
      }
      variables.push(variable);
      continue;
    }
    const segment = parseSegment(part);
    if (typeof segment == "string") return { error: segment };
    segments.push(segment);
  }
  // A multi-segment wildcard is only unambiguous at the end (before the verb).
  const rest = segments.findIndex((s) => s.kind === "rest");
  if (rest !== -1 && rest !== segments.length - 1) return { error: "'**' must be the last segment" };
  return { template: { segments, variables, verb: split.verb } };
}

/** The verb is introduced by the last ':' outside braces, e.g. `/v1/{name=items/*}:cancel`. */
function splitVerb(body: string): { path: string; verb?: string; error?: string } {
  let depth = 0;
  let colon = -1;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (c === ":" && depth === 0) colon = i;
    if (depth < 0 || depth > 1) return { path: body, error: "unbalanced or nested braces" };
  }
  if (depth !== 0) return { path: body, error: "unbalanced braces" };
  if (colon === -1) return { path: body };
  return { path: body.slice(0, colon), verb: body.slice(colon + 1) };
}

/** Splits on '/' outside braces, so `{name=a/*}` stays one part. */
function splitTopLevel(path: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < path.length; i++) {
    if (path[i] === "{") depth++;
    else if (path[i] === "}") depth--;
    else if (path[i] === "/" && depth === 0) {
      parts.push(path.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(path.slice(start));
  return parts;
}

function parseVariable(part: string, segments: Segment[]): Variable | string {
  if (!part.endsWith("}")) return `invalid variable "${part}"`;
  const inner = part.slice(1, -1);
  const eq = inner.indexOf("=");
  const fieldPath = (eq === -1 ? inner : inner.slice(0, eq)).split(".");
  if (!fieldPath.every((name) => identifier.test(name))) return `invalid field path in "${part}"`;
  const start = segments.length;
  for (const sub of eq === -1 ? ["*"] : inner.slice(eq + 1).split("/")) {
    const segment = parseSegment(sub);
    if (typeof segment == "string") return segment;
    segments.push(segment);
  }
  return { fieldPath, start, end: segments.length };
}

function parseSegment(part: string): Segment | string {
  if (part === "*") return { kind: "any" };
  if (part === "**") return { kind: "rest" };
  if (!isLiteral(part)) return `invalid segment "${part}"`;
  return { kind: "literal", value: part };
}

function isLiteral(value: string): boolean {
  return value !== "" && !/[{}*/:=]/.test(value);
}
