import type { DescMethod } from "@bufbuild/protobuf";

/** The protocol a call came in on, as the call log and the metrics name it: gRPC-Web's text mode is gRPC-Web. */
export type CallProtocol = "grpc" | "grpc-web" | "connect" | "rest";

const grpcWeb = /^application\/grpc-web/i;
const grpc = /^application\/grpc/i;

/** The protocol of a call on its RPC path, by content type as connect's router tells them apart; none (Connect's GET) is Connect. */
export function rpcCallProtocol(contentType: string | null | undefined): Exclude<CallProtocol, "rest"> {
  if (!contentType) return "connect";
  if (grpcWeb.test(contentType)) return "grpc-web";
  return grpc.test(contentType) ? "grpc" : "connect";
}

const rpcNames = new Map<DescMethod, string>();

/** `<service>/<method>`, as the call log and the metrics name an RPC: one string per method, made once. */
export function rpcName(method: DescMethod): string {
  let name = rpcNames.get(method);
  if (name === undefined) rpcNames.set(method, (name = `${method.parent.typeName}/${method.name}`));
  return name;
}

/**
 * The protocol of a call as an interceptor sees it: a call whose URL does
 * not end in its method's RPC path came through a REST route (the gateway
 * forwards no content type); any other is told by its content type.
 */
export function callProtocolOf(call: { url: string; method: DescMethod; header: Headers }): CallProtocol {
  const { url } = call;
  const query = url.indexOf("?");
  const end = query === -1 ? url.length : query;
  const rpc = rpcName(call.method);
  const onRpcPath = url.endsWith(rpc, end) && url.charCodeAt(end - rpc.length - 1) === 47; /* "/" */
  return onRpcPath ? rpcCallProtocol(call.header.get("content-type")) : "rest";
}
