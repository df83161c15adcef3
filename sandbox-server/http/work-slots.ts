import { ApiError } from './errors.ts';

/** How many checks and runs may be in flight: on the whole server, and for one client. */
export interface WorkLimits {
  total: number;
  perClient: number;
}

/** Checks and runs in flight when the server is not told otherwise (DOCKYARD_MAX_CHECKS, DOCKYARD_MAX_CHECKS_PER_CLIENT). */
export const DEFAULT_WORK_LIMITS: WorkLimits = { total: 32, perClient: 2 };

/**
 * Slots for the work a request starts in a fresh container (a Check, a Run). Over a client's
 * share it refuses with 429, over the server's with 503, both with Retry-After, like sessions;
 * nothing waits in a queue, so a client that fires requests in a loop holds no more than its share.
 */
export class WorkSlots {
  readonly limits: WorkLimits;
  #total = 0;
  readonly #byClient = new Map<string, number>();

  constructor(limits: WorkLimits) {
    for (const [name, n] of Object.entries(limits)) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a whole number ≥ 1, got ${n}`);
    }
    this.limits = limits;
  }

  /** Work in flight, on the server and for `client`. */
  inFlight(client?: string): number {
    return client === undefined ? this.#total : (this.#byClient.get(client) ?? 0);
  }

  /** Takes a slot for `client` or throws; the returned function gives it back (once, however often it is called). */
  take(client: string): () => void {
    const held = this.#byClient.get(client) ?? 0;
    if (held >= this.limits.perClient) {
      throw new ApiError(
        429,
        'too_many_checks',
        `One client may have ${this.limits.perClient} checks or runs going at once; wait for one to finish.`,
        { 'Retry-After': '2' },
      );
    }
    if (this.#total >= this.limits.total) {
      throw new ApiError(503, 'checks_busy', 'This server is running as many checks as it can; try again shortly.', { 'Retry-After': '5' });
    }
    this.#byClient.set(client, held + 1);
    this.#total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total -= 1;
      const left = (this.#byClient.get(client) ?? 1) - 1;
      if (left > 0) this.#byClient.set(client, left);
      else this.#byClient.delete(client);
    };
  }
}
