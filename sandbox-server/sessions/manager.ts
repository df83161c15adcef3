import { CapReached, ClientCaps } from '../base/client-caps.ts';
import type { Sandbox, SandboxDriver, SandboxKind } from '../docker/driver.ts';
import { ownerLabel } from '../docker/owner.ts';
import { LABEL_KEPT, LABEL_SANDBOX } from '../base/names.ts';
import { listKept, prepareKept, type KeptStorage } from '../docker/kept-storage.ts';
import { WarmPool } from '../docker/warm-pool.ts';
import { SessionError } from './errors.ts';
import { hashToken, isSessionId, newSessionId, newToken, tokenMatches } from './ids.ts';
import { removeMarker, writeMarker, type SessionMarker } from './markers.ts';
import { MemoryLedger, type LedgerEntry, type SessionLedger } from './ledger.ts';
import type { CreatedSession, SessionDescription } from '../contract/session.ts';

/** Session limits and timings. */
export interface SessionSettings {
  /** A session with no sign of life for this long ends. */
  idleMs: number;
  /** A session ends this long after it started, whatever happens. */
  ttlMs: number;
  /** Sessions on this service at once (in creation included). */
  maxSessions: number;
  /** Sessions one client may hold at once. */
  maxPerClient: number;
  /** Warm sandboxes kept ready per kind. */
  poolSize: Record<SandboxKind, number>;
  /** How long a signed-in student's docker sandbox is kept after its session's time limit; 0: not kept. */
  keepMs: number;
  /** Students of one class whose sandboxes are kept at once; 0: no bound. */
  keepPerClass: number;
  /** Whether warm sandboxes are frozen while they wait. */
  freezePools: boolean;
  /** A session's sandbox unused for this long is frozen until its next use; 0: never. */
  freezeIdleMs: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  idleMs: 15 * 60_000,
  ttlMs: 2 * 60 * 60_000,
  maxSessions: 60,
  maxPerClient: 3,
  poolSize: { docker: 2, python: 2 },
  keepMs: 0,
  keepPerClass: 0,
  freezePools: true,
  freezeIdleMs: 0,
};

/** A live session as the service holds it. */
export interface Session extends SessionMarker {
  sandbox: Sandbox;
  idleExpiresAt: number;
  /** Tokens besides the first that open it (a signed-in student's later pages reusing it), as hashes. */
  moreTokenHashes: string[];
  /** Until when its storage is kept, for a kept sandbox started by this server. */
  keptUntil?: number | undefined;
  /** When it was last used: terminal input or output, a Check, any request of its owner. */
  usedAt: number;
  /** Whether its sandbox is frozen (idle): the next use thaws it first. */
  frozen: boolean;
}

/** Session facts safe to show to the session's owner. */
export function describeSession(s: Session): SessionDescription {
  return {
    id: s.id,
    kind: s.kind,
    createdAt: new Date(s.createdAt).toISOString(),
    expiresAt: new Date(Math.min(s.expiresAt, s.idleExpiresAt)).toISOString(),
    idleExpiresAt: new Date(s.idleExpiresAt).toISOString(),
  };
}

/** The `keptUntil` of a created session's answer, for a kept sandbox. */
function keptOf(session: Session): { keptUntil?: string } {
  return session.keptUntil ? { keptUntil: new Date(session.keptUntil).toISOString() } : {};
}

/** Creates, finds, keeps alive and ends sessions, each owning one sandbox on the driver's engine. */
export class SessionManager {
  readonly driver: SandboxDriver;
  readonly settings: SessionSettings;
  readonly pools: Record<SandboxKind, WarmPool>;
  readonly sessions = new Map<string, Session>();
  /** Where each client's sessions are counted: this server's memory, or a database shared with other servers. */
  readonly ledger: SessionLedger;
  /** Sessions on this server, held and in creation. */
  readonly #caps: ClientCaps;
  /** Gives back a live session's place under the server's cap, by session id. */
  readonly #held = new Map<string, () => void>();
  /** Kept sandboxes whose sandbox is being created here (the reconciler leaves their storage alone). */
  readonly keptCreating = new Set<string>();
  /** Sessions being created (their place in the ledger taken, no marker yet). */
  readonly #creating = new Set<string>();
  /** Each session's freezes and thaws, one after the other, by session id. */
  readonly #freezing = new Map<string, Promise<void>>();
  #now: () => number;
  #log: (line: string) => void;
  readonly #classmatesOf: ((owner: string) => Promise<string[][]>) | undefined;

  constructor(
    driver: SandboxDriver,
    settings: Partial<SessionSettings> = {},
    opts: {
      now?: () => number;
      log?: (line: string) => void;
      ledger?: SessionLedger;
      /** The students of each class `owner` is enrolled in, for the per-class bound of kept sandboxes. */
      classmatesOf?: (owner: string) => Promise<string[][]>;
    } = {},
  ) {
    this.#classmatesOf = opts.classmatesOf;
    this.driver = driver;
    this.settings = { ...DEFAULT_SESSION_SETTINGS, ...settings };
    this.ledger = opts.ledger ?? new MemoryLedger();
    // The per-client cap is the ledger's (it may span servers); this counts the server's own total.
    this.#caps = new ClientCaps({ total: this.settings.maxSessions, perClient: this.settings.maxSessions });
    this.#now = opts.now ?? Date.now;
    this.#log = opts.log ?? (() => {});
    const onPoolError = (err: unknown) => this.#log(`warm pool: ${(err as Error).message}`);
    const pool = (kind: SandboxKind) =>
      new WarmPool(driver, kind, this.settings.poolSize[kind], onPoolError, {
        freeze: this.settings.freezePools,
        onThaw: (ms) => this.#log(`warm ${kind} sandbox thawed in ${ms.toFixed(1)} ms`),
      });
    this.pools = { docker: pool('docker'), python: pool('python') };
  }

  /** The sessions `clientKey` holds on every server sharing the ledger, live and in creation, oldest first. */
  sessionsOf(clientKey: string): Promise<LedgerEntry[]> {
    return this.ledger.sessionsOf(clientKey);
  }

  /** Ids of the sessions this server holds or is creating. */
  heldIds(): Set<string> {
    return new Set([...this.sessions.keys(), ...this.#creating]);
  }

  /** The time of this manager's clock (injectable, so tests can move to the next day). */
  now(): number {
    return this.#now();
  }

  /**
   * Creates a session with a sandbox of `kind` for `clientKey`. Over a cap it throws SessionError
   * `too_many_sessions` (this client, on any server of the ledger) or `at_capacity` (this server);
   * on any failure nothing is left behind. With `keepFor` (a signed-in student's user id) and keeping on, a
   * docker sandbox runs on that student's kept storage (made now, or the one they left), kept until
   * `keepMs` after the session's time limit; over the class bound it throws `keep_quota_reached`.
   */
  async create(kind: SandboxKind, clientKey: string, opts: { keepFor?: string | undefined } = {}): Promise<CreatedSession> {
    const now = this.#now();
    const entry: LedgerEntry = { id: newSessionId(), clientKey, kind, createdAt: now, expiresAt: now + this.settings.ttlMs };
    this.#creating.add(entry.id);
    let release: (() => void) | undefined;
    let sandbox: Sandbox | undefined;
    try {
      if (!(await this.ledger.reserve(entry, this.settings.maxPerClient))) {
        throw new SessionError('too_many_sessions', `A client may hold ${this.settings.maxPerClient} sessions at once; end one first.`);
      }
      try {
        release = this.#caps.take(clientKey);
      } catch (err) {
        if (!(err instanceof CapReached)) throw err;
        throw new SessionError('at_capacity', 'Every sandbox of this server is in use; try again shortly.');
      }
      const keepFor = this.settings.keepMs > 0 && kind === 'docker' ? opts.keepFor : undefined;
      const keptUntil = entry.expiresAt + this.settings.keepMs;
      if (keepFor) {
        // A warm sandbox has storage of its own: a kept one is made on the student's.
        const kept = await this.#prepareKept(keepFor, keptUntil, now);
        this.keptCreating.add(kept.key);
        try {
          // One nested engine per storage: a sandbox still running on it (the student's page on another server) ends first.
          await this.#releaseKeptHolders(kept.key, clientKey);
          sandbox = await this.driver.create(kind, {}, { kept });
        } finally {
          this.keptCreating.delete(kept.key);
        }
      } else sandbox = (await this.pools[kind].take()) ?? (await this.driver.create(kind));
      await this.ledger.attach(entry.id, sandbox.id);
      const token = newToken();
      const marker: SessionMarker = {
        id: entry.id,
        tokenHash: hashToken(token),
        kind,
        sandboxId: sandbox.id,
        containerId: sandbox.containerId,
        clientKey,
        createdAt: now,
        expiresAt: entry.expiresAt,
        owner: ownerLabel(),
      };
      await writeMarker(this.driver.docker, marker);
      const session: Session = {
        ...marker,
        sandbox,
        idleExpiresAt: now + this.settings.idleMs,
        moreTokenHashes: [],
        keptUntil: sandbox.kept ? keptUntil : undefined,
        usedAt: now,
        frozen: false,
      };
      this.sessions.set(session.id, session);
      this.#held.set(session.id, release);
      this.#log(`session ${session.id} (${kind}${sandbox.kept ? ', kept' : ''}) started for client ${clientKey}`);
      return { id: session.id, token, kind, expiresAt: describeSession(session).expiresAt, ...keptOf(session) };
    } catch (err) {
      release?.();
      await this.ledger.release(entry.id).catch((e: unknown) => this.#log(`giving back a session's place: ${(e as Error).message}`));
      if (sandbox) await this.driver.remove(sandbox).catch(() => {});
      if (err instanceof SessionError && err.code !== 'sandbox_failed') throw err;
      this.#log(`creating a ${kind} session failed: ${(err as Error).message}`);
      throw new SessionError('sandbox_failed', 'The sandbox could not be started; try again shortly.');
    } finally {
      this.#creating.delete(entry.id);
    }
  }

  /**
   * The newest session of `kind` that `clientKey` holds on this server, unless the disk bound stopped its sandbox
   * (the student is told to reload for a fresh one). A sandbox stopped otherwise is started again by the reconciler.
   */
  liveSessionOf(clientKey: string, kind: SandboxKind): Session | undefined {
    const held = [...this.sessions.values()].filter((s) => s.clientKey === clientKey && s.kind === kind && !this.driver.disk?.exceeded(s.sandboxId));
    return held.sort((a, b) => b.createdAt - a.createdAt)[0];
  }

  /** A new bearer token for live session `id` (a signed-in student's next page reusing their sandbox); the earlier ones keep working. */
  async addToken(session: Session): Promise<CreatedSession> {
    const token = newToken();
    const tokenHash = hashToken(token);
    await this.ledger.addToken(session.id, tokenHash);
    session.moreTokenHashes.push(tokenHash);
    this.touch(session);
    await this.thaw(session);
    return { id: session.id, token, kind: session.kind, expiresAt: describeSession(session).expiresAt, reused: true, ...keptOf(session) };
  }

  /** Ends whatever sandbox runs on kept storage `key`: the session holding it (on any server), or a sandbox no session holds. */
  async #releaseKeptHolders(key: string, clientKey: string): Promise<void> {
    const filters = JSON.stringify({ label: [`${LABEL_KEPT}=${key}`] });
    for (const container of await this.driver.docker.listContainers({ all: true, filters })) {
      const sandboxId = container.Labels[LABEL_SANDBOX];
      if (!sandboxId) continue;
      const entry = (await this.ledger.sessionsOf(clientKey)).find((e) => e.sandboxId === sandboxId);
      if (entry) await this.endAnywhere(entry, 'its kept sandbox was opened again');
      else await this.driver.remove({ id: sandboxId });
    }
  }

  /**
   * `owner`'s kept storage of a docker sandbox, kept until at least `until`. A student who has none yet is refused
   * (`keep_quota_reached`) when one of their classes already keeps `keepPerClass` classmates' sandboxes.
   */
  async #prepareKept(owner: string, until: number, now: number): Promise<KeptStorage> {
    const perClass = this.settings.keepPerClass;
    if (perClass > 0 && this.#classmatesOf) {
      const kept = (await listKept(this.driver.docker)).filter((e) => e.kind === 'docker' && e.until > now);
      if (!kept.some((e) => e.owner === owner)) {
        const owners = new Set(kept.map((e) => e.owner));
        for (const classmates of await this.#classmatesOf(owner)) {
          if (classmates.filter((u) => u !== owner && owners.has(u)).length < perClass) continue;
          throw new SessionError(
            'keep_quota_reached',
            `Your class keeps the sandboxes of ${perClass} students between visits, and all ${perClass} places are taken. ` +
              'Ask your instructor to raise the bound (DOCKYARD_KEEP_PER_CLASS), or try again once a classmate\'s keep time has ended.',
          );
        }
      }
    }
    return prepareKept(this.driver.docker, owner, 'docker', until, now);
  }

  /**
   * The session `id` if `token` is its token, its sandbox thawed (every use of a sandbox starts here);
   * SessionError `session_not_found` or `unauthorized` otherwise. Counts as a sign of life.
   */
  async authorize(id: string, token: string | undefined): Promise<Session> {
    const session = isSessionId(id) ? this.sessions.get(id) : undefined;
    if (!session) throw new SessionError('session_not_found', 'No such session; it may have expired. Start a new one.');
    if (!token || ![session.tokenHash, ...session.moreTokenHashes].some((hash) => tokenMatches(token, hash))) {
      throw new SessionError('unauthorized', 'This session needs its token: Authorization: Bearer <token>.');
    }
    this.touch(session);
    await this.thaw(session);
    return session;
  }

  /** Pushes the idle deadline back (never past the hard deadline); a use, so a frozen sandbox starts thawing. */
  touch(session: Session): void {
    this.keepAlive(session);
    this.used(session);
  }

  /** Pushes the idle deadline back (never past the hard deadline) without using the sandbox: a page's heartbeat. */
  keepAlive(session: Session): void {
    session.idleExpiresAt = Math.min(this.#now() + this.settings.idleMs, session.expiresAt);
  }

  /** Notes a use that is no sign of the student (terminal output): the sandbox is not idle, and thaws if frozen. */
  used(session: Session): void {
    session.usedAt = this.#now();
    if (session.frozen) void this.thaw(session).catch(() => {});
  }

  /** Thaws the session's sandbox if it is frozen (after any freeze under way). */
  thaw(session: Session): Promise<void> {
    return this.#inTurn(session, async () => {
      if (!session.frozen) return;
      const ms = await this.driver.thaw(session.sandbox);
      session.frozen = false;
      this.#log(`session ${session.id} thawed in ${ms.toFixed(1)} ms`);
    });
  }

  /** Freezes the sandbox of every session unused for the configured time (none when it is 0); returns their ids. */
  async freezeIdle(): Promise<string[]> {
    const idleMs = this.settings.freezeIdleMs;
    if (idleMs <= 0) return [];
    const idle = (s: Session) => !s.frozen && this.sessions.has(s.id) && this.#now() - s.usedAt >= idleMs;
    const frozen: string[] = [];
    for (const session of [...this.sessions.values()].filter(idle)) {
      await this.#inTurn(session, async () => {
        if (!idle(session)) return; // used meanwhile
        await this.driver.freeze(session.sandbox);
        session.frozen = true;
        frozen.push(session.id);
      }).catch((err: unknown) => this.#log(`freezing ${session.id}: ${(err as Error).message}`));
    }
    if (frozen.length) this.#log(`froze ${frozen.length} idle sandbox(es)`);
    return frozen;
  }

  /** Runs `step` after the session's earlier freezes and thaws. */
  #inTurn(session: Session, step: () => Promise<void>): Promise<void> {
    const next = (this.#freezing.get(session.id) ?? Promise.resolve()).then(step);
    const settled = next.catch(() => {});
    this.#freezing.set(session.id, settled);
    void settled.then(() => {
      if (this.#freezing.get(session.id) === settled) this.#freezing.delete(session.id);
    });
    return next;
  }

  /** Ends a session: its sandbox and everything in it are removed. */
  async destroy(id: string, reason: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    this.#held.get(id)?.();
    this.#held.delete(id);
    await this.driver.remove(session.sandbox);
    await removeMarker(this.driver.docker, id);
    await this.ledger.release(id).catch((err: unknown) => this.#log(`giving back ${id}'s place: ${(err as Error).message}`));
    this.#log(`session ${id} ended (${reason})`);
  }

  /**
   * Ends a session held by this server or by another sharing its engine and ledger (its sandbox, marker and
   * place); the other server lets go of it at its next reconciliation, when it finds the marker gone.
   */
  async endAnywhere(entry: LedgerEntry, reason: string): Promise<void> {
    if (this.sessions.has(entry.id)) return this.destroy(entry.id, reason);
    if (entry.sandboxId) await this.driver.remove({ id: entry.sandboxId });
    await removeMarker(this.driver.docker, entry.id);
    await this.ledger.release(entry.id);
    this.#log(`session ${entry.id} of another server ended (${reason})`);
  }

  /** Ends every session past its idle or hard deadline. */
  async expire(): Promise<string[]> {
    const now = this.#now();
    const ended: string[] = [];
    for (const session of [...this.sessions.values()]) {
      const reason = now >= session.expiresAt ? 'reached its time limit' : now >= session.idleExpiresAt ? 'idle' : undefined;
      if (!reason) continue;
      await this.destroy(session.id, reason).catch((err) => this.#log(`ending ${session.id}: ${(err as Error).message}`));
      ended.push(session.id);
    }
    return ended;
  }

  /** Stops the warm pools and removes their (ownerless) sandboxes; live sessions stay in the engine. */
  async drainPools(): Promise<void> {
    await Promise.all(Object.values(this.pools).map((p) => p.drain()));
  }

  /**
   * Takes back a session found in the engine (after a restart, or from a server that is gone); its idle clock
   * starts afresh. `record` enters it in the ledger (when the ledger did not know it).
   */
  async adopt(marker: SessionMarker, { record = true }: { record?: boolean } = {}): Promise<Session> {
    const existing = this.sessions.get(marker.id);
    if (existing) return existing;
    const { id, clientKey, kind, createdAt, expiresAt, sandboxId } = marker;
    if (record) await this.ledger.hold({ id, clientKey, kind, createdAt, expiresAt, sandboxId });
    // The marker names the process that holds the session now, so other processes on the engine leave it alone.
    if (marker.owner !== ownerLabel()) {
      marker = { ...marker, owner: ownerLabel() };
      await removeMarker(this.driver.docker, id);
      await writeMarker(this.driver.docker, marker);
    }
    const session: Session = {
      ...marker,
      sandbox: { id: marker.sandboxId, kind: marker.kind, containerId: marker.containerId },
      idleExpiresAt: Math.min(this.#now() + this.settings.idleMs, marker.expiresAt),
      moreTokenHashes: await this.ledger.tokens(id),
      usedAt: this.#now(),
      // Possibly frozen by the server that held it before: its first use thaws it.
      frozen: await this.driver.isFrozen({ id: marker.sandboxId }).catch(() => false),
    };
    if (this.sessions.has(id)) return this.sessions.get(id)!;
    this.sessions.set(id, session);
    this.#held.set(id, this.#caps.hold(clientKey));
    return session;
  }
}
