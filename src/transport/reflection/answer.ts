import type { DescFile } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import type { DescriptorIndex } from "./descriptor-index.js";

/**
 * The request as both grpc.reflection.v1 and v1alpha generate it: the two
 * protos are field-for-field identical, so one answer serves both versions.
 */
export interface ReflectionRequest {
  messageRequest:
    | { case: "fileByFilename"; value: string }
    | { case: "fileContainingSymbol"; value: string }
    | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
    | { case: "allExtensionNumbersOfType"; value: string }
    | { case: "listServices"; value: string }
    | { case: undefined; value?: undefined };
}

/** The `message_response` oneof, as an init object either version accepts. */
export type ReflectionAnswer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: "allExtensionNumbersResponse"; value: { baseTypeName: string; extensionNumber: number[] } }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

/**
 * Answers one request. `sent` holds the file names already sent on this
 * stream; the reflection protocol lets the server skip those, which keeps a
 * client that walks many symbols from receiving descriptor.proto and
 * validate.proto every time.
 */
export function answer(index: DescriptorIndex, req: ReflectionRequest, sent: Set<string>): ReflectionAnswer {
  const r = req.messageRequest;
  switch (r.case) {
    case "listServices":
      return { case: "listServicesResponse", value: { service: index.services.map((name) => ({ name })) } };
    case "fileByFilename":
      return files(index, index.fileByName(r.value), sent) ?? notFound(`file not found: ${r.value}`);
    case "fileContainingSymbol": {
      // Tolerate the leading dot of descriptor-style references (".pkg.Type").
      const symbol = r.value.replace(/^\./, "");
      return files(index, index.fileBySymbol(symbol), sent) ?? notFound(`symbol not found: ${r.value}`);
    }
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = r.value;
      const file = index.extensionsOf(containingType)?.get(extensionNumber);
      return files(index, file, sent) ?? notFound(`extension not found: ${containingType} ${extensionNumber}`);
    }
    case "allExtensionNumbersOfType": {
      const byNumber = index.extensionsOf(r.value);
      if (!byNumber) return notFound(`type not found: ${r.value}`);
      return { case: "allExtensionNumbersResponse", value: { baseTypeName: r.value, extensionNumber: [...byNumber.keys()] } };
    }
    default:
      return { case: "errorResponse", value: { errorCode: Code.InvalidArgument, errorMessage: "no message_request set" } };
  }
}

function notFound(errorMessage: string): ReflectionAnswer {
  return { case: "errorResponse", value: { errorCode: Code.NotFound, errorMessage } };
}

/**
 * The requested file always goes out, even if sent before (an empty answer
 * would read as "not found"); its transitive dependencies only if not yet sent.
 */
function files(index: DescriptorIndex, file: DescFile | undefined, sent: Set<string>): ReflectionAnswer | undefined {
  if (!file) return undefined;
  const out: Uint8Array[] = [];
  const seen = new Set<DescFile>();
  const queue = [file];
  for (let f = queue.shift(); f; f = queue.shift()) {
    if (seen.has(f)) continue;
    seen.add(f);
    const name = f.proto.name;
    if (f === file || !sent.has(name)) {
      out.push(index.bytes(f));
      sent.add(name);
    }
    queue.push(...f.dependencies);
  }
  return { case: "fileDescriptorResponse", value: { fileDescriptorProto: out } };
}
