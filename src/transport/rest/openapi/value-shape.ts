import type { DescField, JsonValue, ScalarType } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import { element, type Element } from "../field-path.js";
import { scalarZero } from "./scalar-schema.js";

/** A field's value as its JSON has it: one element, a list of them, or an object of them keyed by the map key. */
export type ValueShape = Element | { kind: "list"; element: Element } | { kind: "map"; key: ScalarType; value: Element };

export function shapeOf(field: DescField): ValueShape {
  if (field.fieldKind === "map") {
    const value: Element =
      field.mapKind === "scalar"
        ? { kind: "scalar", scalar: field.scalar }
        : field.mapKind === "enum"
          ? { kind: "enum", enum: field.enum }
          : { kind: "message", message: field.message };
    return { kind: "map", key: field.mapKey, value };
  }
  const e = element(field)!;
  return field.fieldKind === "list" ? { kind: "list", element: e } : e;
}

/**
 * The JSON of the value a field holds when the client leaves it out, for the
 * shapes without presence; undefined for a message, whose absence is "unset",
 * which no rule but `required` looks at.
 */
export function zeroOf(shape: ValueShape): JsonValue | undefined {
  switch (shape.kind) {
    case "scalar":
      return scalarZero(shape.scalar);
    case "enum":
      return shape.enum.values.find((v) => v.number === 0)?.name ?? 0;
    case "message":
      return undefined;
    case "list":
      return [];
    case "map":
      return {};
  }
}

/** Whether the field's absence is "unset" rather than its zero value: messages, oneof members, proto3 `optional`. */
export function hasPresence(field: DescField): boolean {
  if (field.fieldKind === "list" || field.fieldKind === "map") return false;
  return field.fieldKind === "message" || field.oneof !== undefined || field.presence !== FeatureSet_FieldPresence.IMPLICIT;
}
