import type { ApiError } from "../api/api-error.js";

/** An API error not tied to one field: its code and the server's message, announced to screen readers. */
export function ErrorBanner({ error }: { error: ApiError | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      <strong>{error.code}</strong>: {error.message}
    </p>
  );
}
