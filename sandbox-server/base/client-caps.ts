/** How many of something may be held at once: on the whole server, and by one client. */
export interface CapLimits {
  total: number;
  perClient: number;
}

/** Raised when taking one more would go over a cap: the client's own (`client`) or the server's (`total`). */
export class CapReached extends Error {
  readonly scope: 'client' | 'total';
  constructor(scope: 'client' | 'total', limits: CapLimits) {
    super(scope === 'client' ? `over the cap of ${limits.perClient} per client` : `over the cap of ${limits.total} in all`);
    this.name = 'CapReached';
    this.scope = scope;
  }
}

/**
 * Counts what each client holds (sessions, checks and runs in flight) against a per-client and a total cap.
 * Nothing waits in a queue: over a cap, `take` throws, so a client that asks in a loop holds no more than its share.
 */
export class ClientCaps {
  readonly limits: CapLimits;
  #total = 0;
  readonly #byClient = new Map<string, number>();

  constructor(limits: CapLimits) {
    for (const [name, n] of Object.entries(limits)) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a whole number ≥ 1, got ${n}`);
    }
    this.limits = limits;
  }

  /** What is held, on the server and by `client`. */
  held(client?: string): number {
    return client === undefined ? this.#total : (this.#byClient.get(client) ?? 0);
  }

  /** Takes one for `client` or throws CapReached (the client's cap is checked first); the result gives it back, once. */
  take(client: string): () => void {
    if (this.held(client) >= this.limits.perClient) throw new CapReached('client', this.limits);
    if (this.#total >= this.limits.total) throw new CapReached('total', this.limits);
    return this.hold(client);
  }

  /** Counts one for `client` whatever the caps (something already held, found again after a restart); gives it back, once. */
  hold(client: string): () => void {
    this.#byClient.set(client, this.held(client) + 1);
    this.#total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total -= 1;
      const left = this.held(client) - 1;
      if (left > 0) this.#byClient.set(client, left);
      else this.#byClient.delete(client);
    };
  }
}
