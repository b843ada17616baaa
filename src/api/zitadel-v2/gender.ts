import { FieldError } from "./mapped.js";
import type { PayloadReader } from "./payload-reader.js";

/** zitadel.user.v2.Gender by v1's number: 0 unspecified, 1 female, 2 male, 3 diverse. */
export const genderNames = ["GENDER_UNSPECIFIED", "GENDER_FEMALE", "GENDER_MALE", "GENDER_DIVERSE"] as const;

/** A protojson enum value, which may come as its name or its number, as v1's number. */
export function genderNumber(profile: PayloadReader): number | undefined {
  const value = profile.json("gender");
  if (value === undefined) return undefined;
  const number = typeof value === "string" ? genderNames.indexOf(value as (typeof genderNames)[number]) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number < 0 || number >= genderNames.length) {
    throw new FieldError(profile.at(profile.keyOf("gender") ?? "gender"), `must be one of ${genderNames.join(", ")} or 0-3`);
  }
  return number;
}
