import { CapReached, ClientCaps } from '../base/client-caps.ts';
import type { Sandbox, SandboxDriver, SandboxKind } from '../docker/driver.ts';
import { ownerLabel } from '../docker/owner.ts';
import { WarmPool } from '../docker/warm-pool.ts';
import { SessionError } from './errors.ts';
import { hashToken, isSessionId, newSessionId, newToken, tokenMatches } from './ids.ts';
import { removeMarker, writeMarker, type SessionMarker } from './markers.ts';
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
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  idleMs: 15 * 60_000,
  ttlMs: 2 * 60 * 60_000,
  maxSessions: 60,
  maxPerClient: 3,
  poolSize: { docker: 2, python: 2 },
};

/** A live session as the service holds it. */
export interface Session extends SessionMarker {
  sandbox: Sandbox;
  idleExpiresAt: number;
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

/** Creates, finds, keeps alive and ends sessions, each owning one sandbox on the driver's engine. */
export class SessionManager {
  readonly driver: SandboxDriver;
  readonly settings: SessionSettings;
  readonly pools: Record<SandboxKind, WarmPool>;
  readonly sessions = new Map<string, Session>();
  /** Sessions held and in creation, per client and in all. */
  readonly #caps: ClientCaps;
  /** Gives back a live session's place under the caps, by session id. */
  readonly #held = new Map<string, () => void>();
  #now: () => number;
  #log: (line: string) => void;

  constructor(
    driver: SandboxDriver,
    settings: Partial<SessionSettings> = {},
    opts: { now?: () => number; log?: (line: string) => void } = {},
  ) {
    this.driver = driver;
    this.settings = { ...DEFAULT_SESSION_SETTINGS, ...settings };
    this.#caps = new ClientCaps({ total: this.settings.maxSessions, perClient: this.settings.maxPerClient });
    this.#now = opts.now ?? Date.now;
    this.#log = opts.log ?? (() => {});
    const onPoolError = (err: unknown) => this.#log(`warm pool: ${(err as Error).message}`);
    this.pools = {
      docker: new WarmPool(driver, 'docker', this.settings.poolSize.docker, onPoolError),
      python: new WarmPool(driver, 'python', this.settings.poolSize.python, onPoolError),
    };
  }

  /** Sessions held by `clientKey`, live and in creation. */
  countFor(clientKey: string): number {
    return this.#caps.held(clientKey);
  }

  /**
   * Creates a session with a sandbox of `kind` for `clientKey`. Over a cap it throws SessionError
   * `too_many_sessions` (this client) or `at_capacity` (the service); on any failure nothing is left behind.
   */
  async create(kind: SandboxKind, clientKey: string): Promise<CreatedSession> {
    let release: () => void;
    try {
      release = this.#caps.take(clientKey);
    } catch (err) {
      if (!(err instanceof CapReached)) throw err;
      throw err.scope === 'client'
        ? new SessionError('too_many_sessions', `A client may hold ${this.settings.maxPerClient} sessions at once; end one first.`)
        : new SessionError('at_capacity', 'Every sandbox of this server is in use; try again shortly.');
    }
    let sandbox: Sandbox | undefined;
    try {
      sandbox = (await this.pools[kind].take()) ?? (await this.driver.create(kind));
      const token = newToken();
      const now = this.#now();
      const marker: SessionMarker = {
        id: newSessionId(),
        tokenHash: hashToken(token),
        kind,
        sandboxId: sandbox.id,
        containerId: sandbox.containerId,
        clientKey,
        createdAt: now,
        expiresAt: now + this.settings.ttlMs,
        owner: ownerLabel(),
      };
      await writeMarker(this.driver.docker, marker);
      const session: Session = { ...marker, sandbox, idleExpiresAt: now + this.settings.idleMs };
      this.sessions.set(session.id, session);
      this.#held.set(session.id, release);
      this.#log(`session ${session.id} (${kind}) started for client ${clientKey}`);
      return { id: session.id, token, kind, expiresAt: describeSession(session).expiresAt };
    } catch (err) {
      release();
      if (sandbox) await this.driver.remove(sandbox).catch(() => {});
      this.#log(`creating a ${kind} session failed: ${(err as Error).message}`);
      throw new SessionError('sandbox_failed', 'The sandbox could not be started; try again shortly.');
    }
  }

  /** The session `id` if `token` is its token; SessionError `session_not_found` or `unauthorized` otherwise. Counts as a sign of life. */
  authorize(id: string, token: string | undefined): Session {
    const session = isSessionId(id) ? this.sessions.get(id) : undefined;
    if (!session) throw new SessionError('session_not_found', 'No such session; it may have expired. Start a new one.');
    if (!token || !tokenMatches(token, session.tokenHash)) {
      throw new SessionError('unauthorized', 'This session needs its token: Authorization: Bearer <token>.');
    }
    this.touch(session);
    return session;
  }

  /** Pushes the idle deadline back (never past the hard deadline). */
  touch(session: Session): void {
    session.idleExpiresAt = Math.min(this.#now() + this.settings.idleMs, session.expiresAt);
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
    this.#log(`session ${id} ended (${reason})`);
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

  /** Takes back a session found in the engine after a restart; its idle clock starts afresh. */
  adopt(marker: SessionMarker): Session {
    const existing = this.sessions.get(marker.id);
    if (existing) return existing;
    const session: Session = {
      ...marker,
      sandbox: { id: marker.sandboxId, kind: marker.kind, containerId: marker.containerId },
      idleExpiresAt: Math.min(this.#now() + this.settings.idleMs, marker.expiresAt),
    };
    this.sessions.set(marker.id, session);
    this.#held.set(marker.id, this.#caps.hold(marker.clientKey));
    return session;
  }
}
