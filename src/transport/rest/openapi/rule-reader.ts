import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import type { JsonSchema } from "./json-schema.js";

export interface RuleReader {
  /** The rule's value, now counted as expressed. */
  take(rule: string): JsonValue | undefined;
  /**
   * `{[keyword]: convert(value)}` for a rule that is set, now counted as
   * expressed; `{}` when it is not set or `convert` cannot say it, in which
   * case it stays for `unsaid`.
   */
  as(rule: string, keyword: string, convert?: (value: JsonValue) => JsonValue | undefined): JsonSchema;
  /** The rules no one took, as `path.rule: value`, for the description. */
  unsaid(): string[];
}

/**
 * Reads one rules message in its JSON form. Every rule read is ticked off, so
 * that whatever has no JSON Schema keyword is still said in the description
 * instead of being dropped.
 */
export function readRules(rules: JsonObject, path: string): RuleReader {
  const left = new Map(Object.entries(rules));
  const take = (rule: string) => {
    const value = left.get(rule);
    left.delete(rule);
    return value;
  };
  return {
    take,
    as(rule, keyword, convert = (v) => v) {
      const value = left.get(rule);
      const converted = value === undefined ? undefined : convert(value);
      if (converted === undefined) return {};
      take(rule);
      return { [keyword]: converted };
    },
    unsaid: () => [...left].map(([rule, value]) => `${path}${rule}: ${JSON.stringify(value)}`),
  };
}

/** A rule's number, for a keyword that needs one: 64-bit rule values arrive as strings; infinities cannot be said in JSON. */
export function finite(value: JsonValue): number | undefined {
  const n = typeof value == "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n == "number" && Number.isFinite(n) ? n : undefined;
}

/** A list of finite numbers, or undefined when one of them is not. */
export function finiteList(value: JsonValue): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const numbers = value.map(finite);
  return numbers.every((n) => n !== undefined) ? (numbers as number[]) : undefined;
}
