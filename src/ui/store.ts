/**
 * The subscription half of the UI state, for React's useSyncExternalStore: a snapshot made on demand and
 * kept until something changes, and listeners told once per burst of changes. Only the store's own
 * actions say that something changed (`changed` is protected): nothing outside can change the state and
 * forget to tell.
 */
export abstract class Store<T> {
  private readonly listeners = new Set<() => void>();
  private cached: T | null = null;
  private notifyScheduled = false;

  /** The state as the components draw it; pure (no I/O: it runs for every frame). */
  protected abstract makeSnapshot(): T;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): T => {
    this.cached ??= this.makeSnapshot();
    return this.cached;
  };

  /** Something changed: listeners hear about it once per burst of events. */
  protected changed(): void {
    this.cached = null;
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      for (const l of this.listeners) l();
    });
  }

  /** Notifies listeners now (tests, the benchmark, and the last frame before exit). */
  flush(): void {
    this.cached = null;
    for (const l of this.listeners) l();
  }
}
