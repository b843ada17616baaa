/** A JSON value as it crosses between host and guest: plain data, no prototypes, no functions. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}
