/**
 * A small least-recently-used map: the compiled-schema cache. Tool lists churn (servers come and
 * go, `tools/list_changed` replaces schema objects), so what is kept must be bounded; an evicted
 * entry is handed to `onEvict` so its engine can let go of it too.
 */
export class LruCache<Key, Value> {
  private readonly entries = new Map<Key, Value>();
  readonly capacity: number;
  private readonly onEvict: (key: Key, value: Value) => void;
  /** The key inserted last, i.e. the most recently used. */
  private newest: Key | undefined;

  // No parameter properties: the sources also run under Node's type stripping (test children).
  constructor(capacity: number, onEvict: (key: Key, value: Value) => void = () => {}) {
    this.capacity = capacity;
    this.onEvict = onEvict;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: Key): Value | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
    // The newest key is already last (one tool called again and again): nothing to move.
    if (key !== this.newest) {
      this.entries.delete(key);
      this.entries.set(key, value);
      this.newest = key;
    }
    return value;
  }

  set(key: Key, value: Value): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    while (this.entries.size > this.capacity) {
      const [oldestKey, oldestValue] = this.entries.entries().next().value as [Key, Value];
      this.entries.delete(oldestKey);
      this.onEvict(oldestKey, oldestValue);
    }
  }
}
