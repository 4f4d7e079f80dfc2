/**
 * A per-process map whose entries are forgotten `ttlMs` after they were set, holding at most `max` of them (the
 * oldest set goes first). For rarely changing rows read on hot paths: what another process changes shows within
 * `ttlMs`; what this process changes it forgets itself (`delete`).
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { at: number; value: V }>();
  /** Loads under way (`through`): requests that miss together share one. */
  private readonly loading = new Map<K, Promise<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 5000,
  ) {}

  /** The value kept for `key`, or undefined when there is none or it has expired. */
  get(key: K): V | undefined {
    return this.fresh(key)?.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, { at: Date.now(), value });
  }

  /** Forgets `key`, and a load of it under way will not be kept (it may have read the value before the change). */
  delete(key: K): void {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  /**
   * The value kept for `key` (null included), else `load()`'s, kept. Callers that miss while a load of the same
   * key is under way wait for that one: a popular key that expires costs one load, not one per request. A load
   * that throws is not kept.
   */
  through(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.fresh(key);
    if (hit) return Promise.resolve(hit.value);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const loaded = load().then(
      (value) => {
        if (this.loading.get(key) === loaded) {
          this.loading.delete(key);
          this.set(key, value);
        }
        return value;
      },
      (e: unknown) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        throw e;
      },
    );
    this.loading.set(key, loaded);
    return loaded;
  }

  private fresh(key: K): { at: number; value: V } | undefined {
    const e = this.entries.get(key);
    if (e && Date.now() - e.at < this.ttlMs) return e;
    if (e) this.entries.delete(key);
    return undefined;
  }
}
