import type { ResultBudget } from "./result-budget.js";
import { textBytes } from "./result-size.js";
import type { LogEntry, LogLevel } from "./types.js";

/**
 * Collects a run's logs, capped in count and in total UTF-8 bytes; with a
 * budget, an entry its execution's results have no room for is dropped.
 */
export class LogSink {
  private readonly entries: LogEntry[] = [];
  private usedBytes = 0;
  private dropped = 0;
  private cut = false;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    private readonly budget?: ResultBudget,
  ) {}

  /** Characters a formatter may still produce before the byte budget is surely used up. */
  remainingChars(): number {
    return Math.max(0, this.maxBytes - this.usedBytes);
  }

  isFull(): boolean {
    return this.entries.length >= this.maxEntries || this.usedBytes >= this.maxBytes;
  }

  add(level: LogLevel, message: string): void {
    if (this.isFull()) {
      this.dropped++;
      return;
    }
    let text = message;
    let bytes = Buffer.byteLength(text, "utf8");
    if (this.usedBytes + bytes > this.maxBytes) {
      text = cutToBytes(text, this.maxBytes - this.usedBytes);
      bytes = Buffer.byteLength(text, "utf8");
      this.cut = true;
    }
    if (this.budget && !this.budget.admitLog(textBytes(text))) {
      this.dropped++;
      return;
    }
    this.usedBytes += bytes;
    this.entries.push({ level, message: text });
  }

  /** The entries, plus one closing note when anything was cut or dropped. */
  finish(): LogEntry[] {
    if (this.dropped === 0 && !this.cut) return this.entries;
    const dropped = this.dropped === 0 ? "" : `; ${this.dropped} more ${this.dropped === 1 ? "entry was" : "entries were"} dropped`;
    const note = `log truncated: a run keeps at most ${this.maxEntries} entries and ${this.maxBytes} bytes${dropped}`;
    return [...this.entries, { level: "warn", message: note }];
  }
}

function cutToBytes(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text, "utf8").subarray(0, Math.max(0, maxBytes));
  // A cut inside a multi-byte character decodes to U+FFFD; drop that tail.
  return buffer.toString("utf8").replace(/\uFFFD$/, "");
}
