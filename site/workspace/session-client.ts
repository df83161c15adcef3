import type { CreatedSession, ErrorBody, SandboxKind } from '../../sandbox-server/contract/index.ts';

export type { SandboxKind };

/** A session as the browser keeps it: the token is shown only once, at creation. */
export interface StoredSession {
  id: string;
  token: string;
  kind: SandboxKind;
  expiresAt?: number | string | undefined;
  /** When this browser started it (ms since the epoch). */
  createdAt?: number | undefined;
  /** The name of the module it serves, for the student ("Images"). */
  label?: string | undefined;
}

/** The part of Storage the client needs (localStorage in the browser, a Map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A store whose keys can be listed, as localStorage's can. */
export interface ListableStore extends KeyValueStore {
  readonly length: number;
  key(index: number): string | null;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Why no session could be created right now, and when to ask again. */
export class SessionUnavailable extends Error {
  readonly code: string;
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, retryAfterMs: number | undefined) {
    super(message);
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The storage key for a module's sandbox of `kind`: lessons of one module share a sandbox. */
export function sessionStorageKey(module: string, kind: SandboxKind): string {
  return `dockyard:session:${module}:${kind}`;
}

/** The module a lesson belongs to: the first segment of its path ("why-containers/what-is-a-container" → "why-containers"). */
export function moduleOf(path: string): string {
  return path.split('/').filter(Boolean)[0] ?? 'course';
}

function parseStored(raw: string | null, kind: SandboxKind): StoredSession | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof value.id === 'string' && typeof value.token === 'string' && value.kind === kind) return value as StoredSession;
  } catch {
    // A damaged entry is as good as none.
  }
  return undefined;
}

function retryAfterMs(res: Response): number | undefined {
  const header = res.headers.get('retry-after');
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Creates, validates, stores and forgets the session of one module and sandbox kind. */
export class SessionClient {
  readonly key: string;
  readonly kind: SandboxKind;
  private readonly store: KeyValueStore;
  private readonly fetchFn: Fetch;
  private readonly base: string;
  /** The module's name, stored with a new session so the student can tell their sandboxes apart. */
  label: string | undefined;

  constructor(kind: SandboxKind, module: string, store: KeyValueStore, fetchFn: Fetch = (input, init) => fetch(input, init), base = '') {
    this.kind = kind;
    this.store = store;
    this.fetchFn = fetchFn;
    this.base = base;
    this.key = sessionStorageKey(module, kind);
  }

  /** The stored session, if any (not yet validated). */
  stored(): StoredSession | undefined {
    return parseStored(this.store.getItem(this.key), this.kind);
  }

  /** Forgets the stored session (the sandbox itself is left to expire). */
  forget(): void {
    this.store.removeItem(this.key);
  }

  /** Whether the server still knows `session`: false on 404 or 401, throws on other failures. */
  async validate(session: StoredSession): Promise<boolean> {
    const res = await this.fetchFn(`${this.base}/api/sessions/${encodeURIComponent(session.id)}`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    if (res.ok) return true;
    if (res.status === 404 || res.status === 401) return false;
    throw new Error(`checking the session failed: HTTP ${res.status}`);
  }

  /** Starts a new sandbox and stores its session; throws SessionUnavailable on 503 or 429. */
  async create(): Promise<StoredSession> {
    const res = await this.fetchFn(`${this.base}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: this.kind }),
    });
    const body = (await res.json().catch(() => ({}))) as Partial<CreatedSession & ErrorBody>;
    if (res.status !== 201) {
      const error: Partial<ErrorBody['error']> = body.error ?? {};
      throw new SessionUnavailable(error.code ?? `http_${res.status}`, error.message ?? `HTTP ${res.status}`, retryAfterMs(res));
    }
    const session: StoredSession = {
      id: String(body.id),
      token: String(body.token),
      kind: this.kind,
      expiresAt: body.expiresAt,
      createdAt: Date.now(),
      label: this.label,
    };
    this.store.setItem(this.key, JSON.stringify(session));
    return session;
  }

  /** Ends `session` on the server (its sandbox and everything in it are removed) and forgets it; true unless the server refused. */
  async end(session: StoredSession): Promise<boolean> {
    const res = await this.fetchFn(`${this.base}/api/sessions/${encodeURIComponent(session.id)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${session.token}` },
    });
    // 404: it had ended already.
    if (!res.ok && res.status !== 404) return false;
    if (this.stored()?.id === session.id) this.forget();
    return true;
  }

  /** The stored session if the server still has it, else a new one. */
  async ensure(): Promise<StoredSession> {
    const stored = this.stored();
    if (stored) {
      if (await this.validate(stored)) return stored;
      this.forget();
    }
    return this.create();
  }

  /** The WebSocket address of the session's terminal, relative to the page at `location`. */
  terminalUrl(session: StoredSession, location: { protocol: string; host: string }, cols: number, rows: number): string {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const q = new URLSearchParams({ token: session.token, cols: String(cols), rows: String(rows) });
    return `${scheme}//${location.host}${this.base}/api/sessions/${encodeURIComponent(session.id)}/terminal?${q}`;
  }
}

/** Whether the engine is up; when not, the server's advice to show the student. */
export async function checkHealth(fetchFn: Fetch = (i, init) => fetch(i, init), base = ''): Promise<{ ok: true } | { ok: false; advice: string }> {
  try {
    const res = await fetchFn(`${base}/api/health`);
    const body = (await res.json().catch(() => ({}))) as { docker?: { ok?: boolean } } & Partial<ErrorBody>;
    if (res.ok && body.docker?.ok !== false) return { ok: true };
    return { ok: false, advice: body.error?.message ?? 'The sandbox service cannot reach its Docker engine.' };
  } catch {
    return { ok: false, advice: 'The sandbox service does not answer. Is it running?' };
  }
}
