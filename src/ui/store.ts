/**
 * The subscription half of the controller, for React's useSyncExternalStore: a snapshot made on demand
 * and kept until something changes, and listeners told once per burst of changes.
 */
export abstract class Store<T> {
  private readonly listeners = new Set<() => void>();
  private cached: T | null = null;
  private notifyScheduled = false;

  /** The state as the components draw it. */
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
  changed(): void {
    this.cached = null;
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      for (const l of this.listeners) l();
    });
  }

  /** Notifies listeners now (tests and the benchmark). */
  flush(): void {
    this.cached = null;
    for (const l of this.listeners) l();
  }
}
