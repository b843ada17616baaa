import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { type ErrorCode, isDomainError } from "../domain/errors.js";
import type { Logger } from "../logger.js";
import { ErrorDetailSchema } from "../../gen/zitadel/v1/message_pb.js";

const codes: Record<ErrorCode, Code> = {
  InvalidArgument: Code.InvalidArgument,
  NotFound: Code.NotFound,
  AlreadyExists: Code.AlreadyExists,
  PermissionDenied: Code.PermissionDenied,
  FailedPrecondition: Code.FailedPrecondition,
  ResourceExhausted: Code.ResourceExhausted,
  Aborted: Code.Aborted,
  Unauthenticated: Code.Unauthenticated,
  Unavailable: Code.Unavailable,
  Internal: Code.Internal,
};

/**
 * The one place where errors become wire errors, for every transport: a
 * DomainError keeps its code, gets ZITADEL's `<text> (<id>)` message and a
 * zitadel.v1.ErrorDetail; a ConnectError (raised by the protocol layer or
 * validation) passes as it is; anything else is Internal, its cause logged only.
 */
export function toConnectError(err: unknown, log: Logger): ConnectError {
  if (err instanceof ConnectError) return err;
  if (isDomainError(err)) {
    return new ConnectError(err.message, codes[err.code], undefined, [
      { desc: ErrorDetailSchema, value: { id: err.id, message: err.text } },
    ]);
  }
  log.error("internal error", { err });
  return new ConnectError("internal error", Code.Internal);
}

/** Outermost interceptor: normalises whatever the inner layers throw. */
export function createErrorMappingInterceptor(log: Logger): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (err) {
      throw toConnectError(err, log);
    }
  };
}
