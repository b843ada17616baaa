/** Where a command writes; injected so the CLI runs in-process in tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

/** A usage error: printed on one line that points to the command's --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A failure the user can fix (unknown org, unknown token…): printed alone, exit code 1. */
export class CliError extends Error {
  override readonly name = "CliError";
}

/** Fixed-width columns for list output; the header row names them. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n") + "\n";
}
