import type { JsonObject } from "../../runtime/index.js";

/** The object without its undefined properties: a context holds only what the payload had. */
export function defined<T extends object>(object: T): T {
  for (const key of Object.keys(object) as (keyof T)[]) {
    if (object[key] === undefined) delete object[key];
  }
  return object;
}

/** A context built with `defined` at every level is plain JSON, which is what a run takes. */
export function asJson(object: object): JsonObject {
  return object as JsonObject;
}
