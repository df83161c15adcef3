import { ApiError } from '../http/errors.ts';
import type { Sandbox, SandboxDriver, SandboxKind } from '../docker/driver.ts';
import { hashToken, isSessionId, newSessionId, newToken, tokenMatches } from './ids.ts';
import { removeMarker, writeMarker, type SessionMarker } from './markers.ts';
import { ownerLabel } from '../docker/owner.ts';
import { WarmPool } from './pool.ts';
import { CHECK_LABEL } from '../checkers/python/run.ts';
import type { SandboxSource } from '../checkers/sandbox/run.ts';
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
  /** Docker sandboxes kept ready for dockerfile and compose checks, with the images each pulls in advance. */
  checkPool: { size: number; images: readonly string[] };
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  idleMs: 15 * 60_000,
  ttlMs: 2 * 60 * 60_000,
  maxSessions: 60,
  maxPerClient: 3,
  poolSize: { docker: 2, python: 2 },
  checkPool: { size: 0, images: [] },
};

/** Pulls `images` into a docker sandbox's own engine (from the course mirror), one after the other. */
async function pullImages(driver: SandboxDriver, sandbox: Sandbox, images: readonly string[]): Promise<void> {
  for (const image of images) {
    const r = await driver.run(sandbox, ['docker', 'pull', '-q', image], { timeoutMs: 180_000 });
    if (r.exitCode !== 0) throw new Error(`pulling ${image} into a check sandbox failed: ${(r.stderr || r.stdout).trim().slice(-300)}`);
  }
}

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
  readonly pools: Record<SandboxKind | 'check', WarmPool>;
  readonly sessions = new Map<string, Session>();
  /** Sandboxes of the check pool that a check has taken and not yet removed (the reconciler leaves them alone). */
  readonly checking = new Set<string>();
  /** Where dockerfile and compose checks get a sandbox made ready in advance. */
  readonly checkSandboxes: SandboxSource = {
    take: async () => {
      const sandbox = await this.pools.check.take();
      if (sandbox) this.checking.add(sandbox.id);
      return sandbox;
    },
    done: (sandbox) => void this.checking.delete(sandbox.id),
  };
  #pending = new Map<string, number>();
  #pendingTotal = 0;
  #now: () => number;
  #log: (line: string) => void;

  constructor(
    driver: SandboxDriver,
    settings: Partial<SessionSettings> = {},
    opts: { now?: () => number; log?: (line: string) => void } = {},
  ) {
    this.driver = driver;
    this.settings = { ...DEFAULT_SESSION_SETTINGS, ...settings };
    this.#now = opts.now ?? Date.now;
    this.#log = opts.log ?? (() => {});
    const onPoolError = (err: unknown) => this.#log(`warm pool: ${(err as Error).message}`);
    this.pools = {
      docker: new WarmPool(driver, 'docker', this.settings.poolSize.docker, onPoolError),
      python: new WarmPool(driver, 'python', this.settings.poolSize.python, onPoolError),
      check: new WarmPool(driver, 'docker', this.settings.checkPool.size, onPoolError, {
        name: 'check',
        labels: { [CHECK_LABEL]: 'sandbox' },
        prepare: (sandbox) => pullImages(driver, sandbox, this.settings.checkPool.images),
      }),
    };
  }

  /** Sessions held by `clientKey`, live and in creation. */
  countFor(clientKey: string): number {
    let n = this.#pending.get(clientKey) ?? 0;
    for (const s of this.sessions.values()) if (s.clientKey === clientKey) n += 1;
    return n;
  }

  /**
   * Creates a session with a sandbox of `kind` for `clientKey`. Over a cap it throws 429
   * (this client) or 503 (the service) with Retry-After; on any failure nothing is left behind.
   */
  async create(kind: SandboxKind, clientKey: string): Promise<CreatedSession> {
    if (this.countFor(clientKey) >= this.settings.maxPerClient) {
      throw new ApiError(429, 'too_many_sessions', `A client may hold ${this.settings.maxPerClient} sessions at once; end one first.`, {
        'Retry-After': '60',
      });
    }
    if (this.sessions.size + this.#pendingTotal >= this.settings.maxSessions) {
      throw new ApiError(503, 'at_capacity', 'Every sandbox of this server is in use; try again shortly.', { 'Retry-After': '30' });
    }
    this.#pending.set(clientKey, (this.#pending.get(clientKey) ?? 0) + 1);
    this.#pendingTotal += 1;
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
      this.#log(`session ${session.id} (${kind}) started for client ${clientKey}`);
      return { id: session.id, token, kind, expiresAt: describeSession(session).expiresAt };
    } catch (err) {
      if (sandbox) await this.driver.remove(sandbox).catch(() => {});
      if (err instanceof ApiError) throw err;
      this.#log(`creating a ${kind} session failed: ${(err as Error).message}`);
      throw new ApiError(503, 'sandbox_failed', 'The sandbox could not be started; try again shortly.', { 'Retry-After': '10' });
    } finally {
      const left = (this.#pending.get(clientKey) ?? 1) - 1;
      if (left > 0) this.#pending.set(clientKey, left);
      else this.#pending.delete(clientKey);
      this.#pendingTotal -= 1;
    }
  }

  /** The session `id` if `token` is its token; 401/404 otherwise. Counts as a sign of life. */
  authorize(id: string, token: string | undefined): Session {
    const session = isSessionId(id) ? this.sessions.get(id) : undefined;
    if (!session) throw new ApiError(404, 'session_not_found', 'No such session; it may have expired. Start a new one.');
    if (!token || !tokenMatches(token, session.tokenHash)) {
      throw new ApiError(401, 'unauthorized', 'This session needs its token: Authorization: Bearer <token>.');
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
    return session;
  }
}
