import { Code, ConnectError } from "@connectrpc/connect";
import type { EnvelopedMessage } from "@connectrpc/connect/protocol";

/** gRPC's length prefix: a flags byte, then the message length as a big-endian uint32. */
export const envelopeHeaderBytes = 5;

/**
 * A unary request carries exactly one enveloped message; the errors are
 * connect's own. Connect's splitter works on async iterables, which this path
 * avoids. Decompression is the caller's.
 */
export function singleMessage(body: Uint8Array, readMaxBytes: number): EnvelopedMessage {
  if (body.byteLength === 0) throw new ConnectError("protocol error: missing input message for unary method", Code.Unimplemented);
  if (body.byteLength < envelopeHeaderBytes) throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const length = view.getUint32(1);
  if (length > readMaxBytes) {
    throw new ConnectError(`message size ${length} is larger than configured readMaxBytes ${readMaxBytes}`, Code.ResourceExhausted);
  }
  const end = envelopeHeaderBytes + length;
  if (body.byteLength < end) throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
  if (body.byteLength > end) throw new ConnectError("protocol error: received extra input message for unary method", Code.Unimplemented);
  return { flags: view.getUint8(0), data: body.subarray(envelopeHeaderBytes, end) };
}
