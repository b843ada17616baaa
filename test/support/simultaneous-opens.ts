import { spawn } from "node:child_process";
import readline from "node:readline";

export interface OpenResult {
  code: number | null;
  stderr: string;
}

const root = new URL("../..", import.meta.url).pathname;

/**
 * Starts `count` processes that each open `dataDir`, waits until every one is
 * loaded and waiting, then releases them together: the opens race without the
 * test depending on how fast the machine starts a process.
 */
export async function openSimultaneously(dataDir: string, count: number): Promise<OpenResult[]> {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ["--import", "tsx", "test/support/open-data-dir-child.ts", dataDir], {
      cwd: root,
      stdio: ["pipe", "pipe", "pipe"],
    }),
  );
  const results = children.map(
    (child) =>
      new Promise<OpenResult>((resolve) => {
        let stderr = "";
        child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk));
        child.once("exit", (code) => resolve({ code, stderr }));
      }),
  );
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          readline.createInterface({ input: child.stdout! }).once("line", () => resolve());
          child.once("exit", (code) => reject(new Error(`an opener exited with ${code} before it was ready`)));
        }),
    ),
  );
  for (const child of children) child.stdin!.end("go\n");
  return Promise.all(results);
}
