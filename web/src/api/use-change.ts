import { useState } from "react";
import { type ApiError, toApiError } from "./api-error.js";

export interface Change {
  /** The last write's error, shown next to the fields it names. */
  error?: ApiError;
  setError(error: ApiError | undefined): void;
  /** What the last write did, for the status line. */
  status: string;
  setStatus(status: string): void;
  /** A write is in flight: its buttons are off. */
  busy: boolean;
  /** Runs one write; true when it succeeded, and `done` is the status. `after` runs either way (a list's reload). */
  change(call: () => Promise<unknown>, done: string, after?: () => void): Promise<boolean>;
}

/** The state around the page's writes: one error, one status line, busy while a write runs. */
export function useChange(): Change {
  const [error, setError] = useState<ApiError>();
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  async function change(call: () => Promise<unknown>, done: string, after?: () => void): Promise<boolean> {
    setBusy(true);
    setError(undefined);
    setStatus("");
    try {
      await call();
      setStatus(done);
      return true;
    } catch (err) {
      setError(toApiError(err));
      return false;
    } finally {
      setBusy(false);
      after?.();
    }
  }
  return { error, setError, status, setStatus, busy, change };
}
