import { wireErrorFromConnect } from "./management-clients.js";
import type { WireError } from "./wire-error.js";

export interface RestAnswer {
  status: number;
  /** Answers come in every shape; the tests' assertions say what they expect. */
  json: any;
  text: string;
}

/** One REST call with an `Authorization` header (the whole value) and an optional JSON body; the answer as status, parsed JSON and text. */
export async function restJson(baseUrl: string, method: string, route: string, authorization: string, body?: unknown): Promise<RestAnswer> {
  const res = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

/** The error a connect-es call failed with, as the wire told it; throws when the call succeeded. */
export async function callFailure(call: Promise<unknown>): Promise<WireError> {
  try {
    await call;
  } catch (err) {
    return wireErrorFromConnect(err);
  }
  throw new Error("the call succeeded");
}
