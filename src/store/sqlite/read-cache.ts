/**
 * Rows read earlier, kept while the database is known not to have changed
 * (the `mark`: SQLite's data_version, which moves when another connection
 * commits, with this connection's own writes). Whenever the mark moves, all
 * of it goes. Bounded by entries and by the characters of its text values
 * (an action's script is up to 10,000): past either, it starts over.
 */
export class ReadCache {
  private mark: string | undefined;
  private readonly entries = new Map<string, readonly unknown[]>();
  private chars = 0;

  constructor(
    private readonly maxEntries = 512,
    private readonly maxChars = 8 * 1024 * 1024,
  ) {}

  /** The rows of `key` read at `mark`, else `load`'s, kept. Rows are frozen: every caller gets the same objects. */
  read<T>(mark: string, key: string, load: () => T[]): readonly T[] {
    if (mark !== this.mark) this.clear(mark);
    const kept = this.entries.get(key);
    if (kept) return kept as readonly T[];
    const rows = load();
    for (const row of rows) Object.freeze(row);
    const chars = key.length + textLength(rows);
    if (this.entries.size >= this.maxEntries || this.chars + chars > this.maxChars) this.clear(mark);
    this.entries.set(key, Object.freeze(rows));
    this.chars += chars;
    return rows;
  }

  private clear(mark: string): void {
    this.mark = mark;
    this.entries.clear();
    this.chars = 0;
  }
}

function textLength(rows: unknown[]): number {
  let chars = 0;
  for (const row of rows) for (const value of Object.values(row as object)) if (typeof value === "string") chars += value.length;
  return chars;
}
