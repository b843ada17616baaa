/**
 * What a v2 → v1 conversion returns: the value, or the payload field that
 * stopped it (a path as the sender spelled it, like `user.human.gender`) and
 * why. The endpoint answers the caller with it; nothing runs.
 */
export type Mapped<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** Thrown inside a conversion only; `mapped` turns it into the `ok: false` value. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Runs a conversion that throws FieldError and returns its result as a value; other errors are bugs and propagate. */
export function mapped<T>(convert: () => T): Mapped<T> {
  try {
    return { ok: true, value: convert() };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, field: error.field, message: error.message };
    throw error;
  }
}
