import type { EgressFetcher } from "../../egress/index.js";
import {
  type HostFetchRequest,
  type HostFetchResponse,
  fetchHeader,
  fetchHeaderBytes,
  fetchHeaderSlots as slot,
} from "../../runtime/index.js";

export type { EgressFetcher } from "../../egress/index.js";

/**
 * Answers a worker's fetch: performs it here, on the main thread's event loop
 * (never blocking it), and writes the answer into the worker's shared buffer,
 * where the worker is blocked in Atomics.wait. An answer that does not fit is
 * replaced by an error. `signal` ends the fetch early (the run was stopped).
 */
export async function answerFetch(
  fetcher: EgressFetcher,
  seq: number,
  request: HostFetchRequest,
  shared: SharedArrayBuffer,
  signal?: AbortSignal,
): Promise<void> {
  const { timeoutMs, ...req } = request;
  let answer: HostFetchResponse;
  try {
    answer = await fetcher.fetch(req, performance.now() + timeoutMs, signal);
  } catch (err) {
    answer = { error: `fetch failed: ${(err as Error).message}` };
  }
  const header = fetchHeader(shared);
  if (Atomics.load(header, slot.seq) !== seq) return; // the worker gave up on this fetch
  let bytes = Buffer.from(JSON.stringify(answer));
  const room = shared.byteLength - fetchHeaderBytes;
  if (bytes.length > room) bytes = Buffer.from(JSON.stringify({ error: `response larger than ${room} bytes` }));
  new Uint8Array(shared, fetchHeaderBytes, bytes.length).set(bytes);
  Atomics.store(header, slot.length, bytes.length);
  Atomics.store(header, slot.state, 1);
  Atomics.notify(header, slot.state);
}
