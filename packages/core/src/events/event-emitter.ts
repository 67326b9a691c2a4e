/** A minimal typed event emitter (no `node:events`, so the root entry runs on edge runtimes). */
export class TypedEmitter<Events> {
  private readonly listeners = new Map<keyof Events, Set<(event: never) => void>>();
  private readonly prepare: (<Name extends keyof Events>(event: Events[Name]) => Events[Name]) | undefined;

  /**
   * `prepare` sees every event before its listeners do (the registry redacts secrets there); it
   * runs only when the event has listeners.
   */
  constructor(prepare?: <Name extends keyof Events>(event: Events[Name]) => Events[Name]) {
    this.prepare = prepare;
  }

  /** Subscribes; returns a function that unsubscribes. */
  on<Name extends keyof Events>(name: Name, listener: (event: Events[Name]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as (event: never) => void);
    return () => this.off(name, listener);
  }

  off<Name extends keyof Events>(name: Name, listener: (event: Events[Name]) => void): void {
    this.listeners.get(name)?.delete(listener as (event: never) => void);
  }

  /** Listener errors are isolated: one failing listener never breaks a call or another listener. */
  emit<Name extends keyof Events>(
    name: Name,
    event: Events[Name],
    onListenerError?: (error: unknown) => void,
  ): void {
    const set = this.listeners.get(name);
    if (!set || set.size === 0) return;
    const prepared = this.prepare ? this.prepare(event) : event;
    for (const listener of [...set]) {
      try {
        (listener as (event: Events[Name]) => void)(prepared);
      } catch (error) {
        onListenerError?.(error);
      }
    }
  }

  listenerCount(name: keyof Events): number {
    return this.listeners.get(name)?.size ?? 0;
  }

  clear(): void {
    this.listeners.clear();
  }
}
