/**
 * The console's Content-Security-Policy: scripts and style sheets only from
 * its own files (no inline script, no eval), API calls to this server and,
 * for OIDC sign-in, to the issuer, whose token endpoint the browser calls. No
 * framing, so no clickjacking of the editor's write buttons.
 *
 * Style attributes are allowed: CodeMirror sizes its gutters and widgets
 * with them (its sheets are adopted, not inline: web/src/editor/script-editor.tsx).
 * An attribute can change how an element looks, never run code.
 */
export function consoleCsp(oidcIssuer: string | undefined): string {
  const issuer = oidcIssuer ? ` ${new URL(oidcIssuer).origin}` : "";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${issuer}`,
    `form-action 'self'${issuer}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
