import type { DescFile } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import type { UniversalHandlerOptions } from "@connectrpc/connect/protocol";
import { ServerReflection as ServerReflectionV1 } from "../../../gen/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ServerReflectionV1alpha } from "../../../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { answer, type ReflectionAnswer, type ReflectionRequest } from "./answer.js";
import { buildDescriptorIndex, type DescriptorIndex } from "./descriptor-index.js";

/**
 * Serves gRPC server reflection, v1 and the v1alpha that older clients
 * (grpcurl before 1.8.8, some IDE plugins) still speak. connect-es has no
 * reflection of its own, and a ConnectRouter cannot list what was registered
 * on it, so the described schema comes from `files`: the root DescFiles whose
 * services are listed; their transitive imports are indexed as well.
 */
export function registerReflection(router: ConnectRouter, files: DescFile[], options?: Partial<UniversalHandlerOptions>): void {
  const index = buildDescriptorIndex(files);
  router.service(ServerReflectionV1, { serverReflectionInfo: (requests) => session(index, requests) }, options);
  router.service(ServerReflectionV1alpha, { serverReflectionInfo: (requests) => session(index, requests) }, options);
}

/** One bidi stream: one answer per request, in order, remembering what was sent. */
async function* session<R extends ReflectionRequest & { host: string }>(
  index: DescriptorIndex,
  requests: AsyncIterable<R>,
): AsyncGenerator<{ validHost: string; originalRequest: R; messageResponse: ReflectionAnswer }> {
  const sent = new Set<string>();
  for await (const req of requests) {
    yield { validHost: req.host, originalRequest: req, messageResponse: answer(index, req, sent) };
  }
}
