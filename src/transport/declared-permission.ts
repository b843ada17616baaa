import { getOption, hasOption, type DescMethod } from "@bufbuild/protobuf";
import { auth_option } from "../../gen/zitadel/v1/options_pb.js";

/** The permission declared in the proto (`zitadel.v1.auth_option`), or undefined. */
export function declaredPermission(method: DescMethod): string | undefined {
  return hasOption(method, auth_option) ? getOption(method, auth_option).permission || undefined : undefined;
}
