/**
 * The one error type of the domain. Its code is a gRPC status code name and its
 * id a stable, greppable identifier (ZITADEL's own ids where ZITADEL has one),
 * so that clients matching on either keep working. The edge maps it once, for
 * every transport (see transport/error-mapping.ts).
 */
export type ErrorCode =
  | "InvalidArgument"
  | "NotFound"
  | "AlreadyExists"
  | "PermissionDenied"
  | "FailedPrecondition"
  | "ResourceExhausted"
  | "Aborted"
  | "Unauthenticated"
  | "Unavailable"
  | "Internal";

export class DomainError extends Error {
  override readonly name = "DomainError";

  constructor(
    readonly code: ErrorCode,
    readonly id: string,
    /** Human-readable text; the wire message is `<text> (<id>)`. */
    readonly text: string,
  ) {
    super(`${text} (${id})`);
  }
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
