import { contextFieldsFor } from "./context-fields.js";
import type { Shape } from "./context-shapes.js";
import { maxValueDepth } from "./limits.js";
import { jsonShape } from "./result-size.js";
import { hasOwn, isRecord } from "./safe-json.js";

export type ContextCheck = { ok: true } | { ok: false; field: string; message: string };

/** A field nests no deeper than a value may leave the sandbox: a script can hand any of it back. */
const maxDepth = maxValueDepth;
const tooDeep = `is nested too deeply (more than ${maxDepth} levels)`;

/**
 * Checks a trigger context against the fields its trigger reads, so the API
 * can answer InvalidArgument naming the field (a path like `user.human.email`).
 * Unknown fields are rejected: they are almost always a typo or the wrong trigger.
 */
export function validateContext(flowType: string, triggerType: string, context: unknown): ContextCheck {
  const fields = contextFieldsFor(flowType, triggerType);
  if (!fields) {
    return { ok: false, field: "triggerType", message: `flow ${flowType} has no trigger ${triggerType}` };
  }
  if (!isRecord(context)) return { ok: false, field: "context", message: "must be a JSON object" };
  for (const key of Object.keys(context)) {
    const known = fields.find((f) => f.name === key);
    if (!known) {
      const names = fields.map((f) => f.name).join(", ");
      return { ok: false, field: key, message: `is not part of this trigger's context (known: ${names})` };
    }
    const problem = check(context[key], known.shape, key, 0);
    if (problem) return { ok: false, ...problem };
  }
  return { ok: true };
}

function check(value: unknown, shape: Shape, path: string, depth: number): { field: string; message: string } | undefined {
  if (depth > maxDepth) return problem(path, tooDeep);
  switch (shape.kind) {
    case "string":
      return typeof value === "string" ? undefined : problem(path, "must be a string");
    case "boolean":
      return typeof value === "boolean" ? undefined : problem(path, "must be a boolean");
    case "integer":
      return Number.isSafeInteger(value) ? undefined : problem(path, "must be an integer");
    case "strings":
      if (!Array.isArray(value)) return problem(path, "must be an array of strings");
      return value.every((v) => typeof v === "string") ? undefined : problem(path, "must contain only strings");
    case "json":
      return checkJson(value, path, depth);
    case "metadata-value":
      return typeof value === "string" ? checkStoredText(value, path, depth) : checkJson(value, path, depth);
    case "json-object":
      return isRecord(value) ? checkJson(value, path, depth) : problem(path, "must be a JSON object");
    case "list":
      if (!Array.isArray(value)) return problem(path, "must be an array");
      for (let i = 0; i < value.length; i++) {
        const problem = check(value[i], shape.item, `${path}[${i}]`, depth + 1);
        if (problem) return problem;
      }
      return undefined;
    case "record":
      return checkRecord(value, shape, path, depth);
  }
}

function problem(field: string, message: string): { field: string; message: string } {
  return { field, message };
}

function checkRecord(
  value: unknown,
  shape: Extract<Shape, { kind: "record" }>,
  path: string,
  depth: number,
): { field: string; message: string } | undefined {
  if (!isRecord(value)) return { field: path, message: "must be an object" };
  for (const name of shape.required ?? []) {
    if (!hasOwn(value, name)) return { field: `${path}.${name}`, message: "is required" };
  }
  for (const key of Object.keys(value)) {
    if (!hasOwn(shape.fields, key)) {
      return { field: `${path}.${key}`, message: `is unknown (known: ${Object.keys(shape.fields).join(", ")})` };
    }
    const problem = check(value[key], shape.fields[key] as Shape, `${path}.${key}`, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

function checkJson(value: unknown, path: string, depth: number): { field: string; message: string } | undefined {
  if (depth > maxDepth) return { field: path, message: tooDeep };
  if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : { field: path, message: "must be finite" };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = checkJson(value[i], `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      const problem = checkJson(value[key], `${path}.${key}`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  return { field: path, message: "must be a JSON value" };
}

/** Stored metadata text, which the script gets parsed when it holds JSON (metadata-view.ts). */
function checkStoredText(text: string, path: string, depth: number): { field: string; message: string } | undefined {
  if (depth + jsonShape(text).depth <= maxDepth) return undefined;
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  return problem(path, tooDeep);
}
