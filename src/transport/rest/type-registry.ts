import { createMutableRegistry, type DescFile, type DescService, type MutableRegistry } from "@bufbuild/protobuf";
import { file_buf_validate_validate } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { file_zitadel_v1_message } from "../../../gen/zitadel/v1/message_pb.js";

/**
 * Every type a REST response or error may have to render as an Any: the
 * services' files with their transitive imports, plus the error details that
 * other layers attach (zitadel.v1.ErrorDetail, buf.validate.Violations) even
 * where no service file imports them.
 */
export function createTypeRegistry(services: readonly DescService[]): MutableRegistry {
  const files = new Set<DescFile>();
  const visit = (file: DescFile): void => {
    if (files.has(file)) return;
    files.add(file);
    file.dependencies.forEach(visit);
  };
  services.forEach((s) => visit(s.file));
  visit(file_buf_validate_validate);
  visit(file_zitadel_v1_message);
  return createMutableRegistry(...files);
}
