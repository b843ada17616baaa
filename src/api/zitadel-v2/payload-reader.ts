import type { JsonObject, JsonValue } from "../../runtime/index.js";
import { FieldError } from "./mapped.js";

/**
 * A key as Go's JSON decoder would match it, and then some: case does not
 * matter and underscores are ignored, so `grant_id`, `grantId` and `GrantID`
 * are one field. ZITADEL sends snake_case; its docs show camelCase; untagged
 * Go structs send PascalCase (docs/zitadel-v2-target.md, Context mapping).
 */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replaceAll("_", "");
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads the fields a conversion uses from one JSON object at `path`. Lookups
 * take normalized names (see normalizeKey), the first one present wins; `null`
 * counts as absent, as Go decodes it to the zero value. Fields nobody asks for
 * are ignored (ZITADEL adds fields over time); a used field of the wrong type
 * throws FieldError naming it as the sender spelled it.
 */
export class PayloadReader {
  constructor(
    readonly record: JsonObject,
    readonly path: string,
  ) {}

  static of(value: JsonValue | undefined, path: string): PayloadReader {
    if (!isObject(value)) throw new FieldError(path, "must be a JSON object");
    return new PayloadReader(value, path);
  }

  /** The key the record uses for one of `names`, if any (even when its value is null). */
  keyOf(...names: string[]): string | undefined {
    const keys = Object.keys(this.record);
    for (const name of names) {
      const key = keys.find((k) => normalizeKey(k) === name);
      if (key !== undefined) return key;
    }
    return undefined;
  }

  private find(names: string[]): { field: string; value: JsonValue } | undefined {
    const key = this.keyOf(...names);
    const value = key === undefined ? undefined : this.record[key];
    if (key === undefined || value === null || value === undefined) return undefined;
    return { field: this.at(key), value };
  }

  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  string(...names: string[]): string | undefined {
    const found = this.find(names);
    if (found && typeof found.value !== "string") throw new FieldError(found.field, "must be a string");
    return found?.value as string | undefined;
  }

  integer(...names: string[]): number | undefined {
    const found = this.find(names);
    if (found && !Number.isSafeInteger(found.value)) throw new FieldError(found.field, "must be an integer");
    return found?.value as number | undefined;
  }

  boolean(...names: string[]): boolean | undefined {
    const found = this.find(names);
    if (found && typeof found.value !== "boolean") throw new FieldError(found.field, "must be a boolean");
    return found?.value as boolean | undefined;
  }

  strings(...names: string[]): string[] | undefined {
    const found = this.find(names);
    if (!found) return undefined;
    if (!Array.isArray(found.value) || !found.value.every((v) => typeof v === "string")) {
      throw new FieldError(found.field, "must be an array of strings");
    }
    return [...(found.value as string[])];
  }

  /** Any JSON value, unchecked: it is handed on as it is. */
  json(...names: string[]): JsonValue | undefined {
    return this.find(names)?.value;
  }

  object(...names: string[]): PayloadReader | undefined {
    const found = this.find(names);
    return found && PayloadReader.of(found.value, found.field);
  }

  /** Each element of an array of objects, as a reader at `path[i]`. */
  objects(...names: string[]): PayloadReader[] | undefined {
    const found = this.find(names);
    if (!found) return undefined;
    if (!Array.isArray(found.value)) throw new FieldError(found.field, "must be an array");
    return found.value.map((item, i) => PayloadReader.of(item, `${found.field}[${i}]`));
  }
}
