import type { SandboxKind } from '../base/names.ts';

/** A session as the ledger keeps it: who holds it and for which client. */
export interface LedgerEntry {
  id: string;
  clientKey: string;
  kind: SandboxKind;
  createdAt: number;
  expiresAt: number;
  /** Its sandbox, once made (none while the session is being created). */
  sandboxId?: string | undefined;
}

/** What the ledger says of a session found in the engine that this server does not hold. */
export type Claim =
  /** This server holds it now: its own from before a restart, or taken over from a server whose heartbeat lapsed. */
  | 'held'
  /** Another live server holds it: its own to keep or end. */
  | 'other'
  /** Not in the ledger: decide by the engine's labels alone. */
  | 'unknown';

/**
 * Where the sessions of every server sharing a client's caps are counted. One server alone keeps it in memory;
 * servers sharing a database keep it there (cluster/), so a client's cap holds across all of them and no server
 * takes over another's sessions while that server is alive.
 */
export interface SessionLedger {
  /** Takes one of `perClient` places of `entry.clientKey` for session `entry.id`; false when all are held (on any server). */
  reserve(entry: LedgerEntry, perClient: number): Promise<boolean>;
  /** Records a session this server adopted from the engine, whatever the caps. */
  hold(entry: LedgerEntry): Promise<void>;
  /** Records which sandbox session `id` runs in, once it has one. */
  attach(id: string, sandboxId: string): Promise<void>;
  /** Gives session `id`'s place back (it ended, or was never made). */
  release(id: string): Promise<void>;
  /** Every session `clientKey` holds, on any server, oldest first. */
  sessionsOf(clientKey: string): Promise<LedgerEntry[]>;
  /** For a session in the engine this server does not hold: takes it when its server is gone, else says whose it is. */
  claim(id: string): Promise<Claim>;
  /** Whether the process of an owner label (`host/pid`) is a live server of the ledger; undefined when it cannot tell. */
  liveOwner(owner: string | undefined): boolean | undefined;
  /** Adds a bearer token (its hash) to session `id`. */
  addToken(id: string, tokenHash: string): Promise<void>;
  /** The tokens added to session `id` (besides the one in its marker). */
  tokens(id: string): Promise<string[]>;
  /** Forgets what no longer runs: this server's entries not in `held`, and entries of gone servers with no marker in `markers`. */
  tidy(held: ReadonlySet<string>, markers: ReadonlySet<string>): Promise<void>;
}

/** The ledger of a server alone: in memory, nothing shared. */
export class MemoryLedger implements SessionLedger {
  readonly #entries = new Map<string, LedgerEntry>();
  readonly #tokens = new Map<string, string[]>();

  async reserve(entry: LedgerEntry, perClient: number): Promise<boolean> {
    if ((await this.sessionsOf(entry.clientKey)).length >= perClient) return false;
    this.#entries.set(entry.id, entry);
    return true;
  }

  async hold(entry: LedgerEntry): Promise<void> {
    this.#entries.set(entry.id, entry);
  }

  async attach(id: string, sandboxId: string): Promise<void> {
    const entry = this.#entries.get(id);
    if (entry) entry.sandboxId = sandboxId;
  }

  async release(id: string): Promise<void> {
    this.#entries.delete(id);
    this.#tokens.delete(id);
  }

  async sessionsOf(clientKey: string): Promise<LedgerEntry[]> {
    return [...this.#entries.values()].filter((e) => e.clientKey === clientKey).sort((a, b) => a.createdAt - b.createdAt);
  }

  async claim(): Promise<Claim> {
    return 'unknown';
  }

  liveOwner(): boolean | undefined {
    return undefined;
  }

  async addToken(id: string, tokenHash: string): Promise<void> {
    this.#tokens.set(id, [...(this.#tokens.get(id) ?? []), tokenHash]);
  }

  async tokens(id: string): Promise<string[]> {
    return this.#tokens.get(id) ?? [];
  }

  async tidy(held: ReadonlySet<string>): Promise<void> {
    for (const id of this.#entries.keys()) if (!held.has(id)) await this.release(id);
  }
}
