import { CapReached, ClientCaps, type CapLimits } from '../base/client-caps.ts';
import { ApiError } from './errors.ts';

/** How many checks and runs may be in flight: on the whole server, and for one client. */
export type WorkLimits = CapLimits;

/** Checks and runs in flight when the server is not told otherwise (DOCKYARD_MAX_CHECKS, DOCKYARD_MAX_CHECKS_PER_CLIENT). */
export const DEFAULT_WORK_LIMITS: WorkLimits = { total: 32, perClient: 2 };

/**
 * Slots for the work a request starts in a fresh container (a Check, a Run), counted by ClientCaps like sessions.
 * Over a client's share it refuses with 429, over the server's with 503, both with Retry-After.
 */
export class WorkSlots {
  readonly #caps: ClientCaps;

  constructor(limits: WorkLimits) {
    this.#caps = new ClientCaps(limits);
  }

  get limits(): WorkLimits {
    return this.#caps.limits;
  }

  /** Work in flight, on the server and for `client`. */
  inFlight(client?: string): number {
    return this.#caps.held(client);
  }

  /** Takes a slot for `client` or throws; the returned function gives it back (once, however often it is called). */
  take(client: string): () => void {
    try {
      return this.#caps.take(client);
    } catch (err) {
      if (!(err instanceof CapReached)) throw err;
      if (err.scope === 'client') {
        throw new ApiError(429, 'too_many_checks', `One client may have ${this.limits.perClient} checks or runs going at once; wait for one to finish.`, {
          'Retry-After': '2',
        });
      }
      throw new ApiError(503, 'checks_busy', 'This server is running as many checks as it can; try again shortly.', { 'Retry-After': '5' });
    }
  }
}
