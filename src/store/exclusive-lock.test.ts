import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { takeExclusiveLock } from "./exclusive-lock.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function lockPath(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-lock-"));
  dirs.push(dir);
  return path.join(dir, "sub", "test.lock");
}

describe("takeExclusiveLock()", () => {
  it("is refused to a second taker in the same process until released", () => {
    const file = lockPath();
    const first = takeExclusiveLock(file);
    expect(first).toBeDefined();
    expect(takeExclusiveLock(file)).toBeUndefined();
    first!.release();
    const again = takeExclusiveLock(file);
    expect(again).toBeDefined();
    again!.release();
  });

  it("creates the lock file owner-only", () => {
    const file = lockPath();
    takeExclusiveLock(file)!.release();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });
});
