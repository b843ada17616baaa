/**
 * Entries by key, kept while their sizes add up to no more than a budget:
 * past it, the least recently used leave first. The newest entry always
 * stays, whatever its size.
 */
export class BytesLru<V extends { bytes: number }> {
  private readonly entries = new Map<string, V>();
  private total = 0;

  constructor(private readonly budgetBytes: number) {}

  /** The entry, now the most recently used. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Puts the entry in as the most recently used; answers the keys that left to keep the budget. */
  set(key: string, entry: V): string[] {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.total -= old.bytes;
    }
    this.entries.set(key, entry);
    this.total += entry.bytes;
    const evicted: string[] = [];
    for (const [other, { bytes }] of this.entries) {
      if (this.total <= this.budgetBytes || other === key) break;
      this.entries.delete(other);
      this.total -= bytes;
      evicted.push(other);
    }
    return evicted;
  }
}
