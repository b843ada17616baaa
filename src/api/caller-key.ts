import { type HandlerContext, createContextKey } from "@connectrpc/connect";
import type { Caller } from "../domain/caller.js";

/** Set by the authentication interceptor before any handler runs. */
export const callerKey = createContextKey<Caller | undefined>(undefined, { description: "authenticated caller" });

export function callerOf(ctx: HandlerContext): Caller {
  const caller = ctx.values.get(callerKey);
  // A handler reached without authentication is a wiring bug, never a client error.
  if (!caller) throw new Error("handler called without an authenticated caller");
  return caller;
}
