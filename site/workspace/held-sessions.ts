import { SessionClient, type KeyValueStore, type ListableStore, type SandboxKind, type StoredSession } from './session-client.ts';

/*
 * The sandboxes this browser holds, one per module and kind (see session-client.ts), so that a
 * student at the per-visitor cap is shown which ones they have and can end one: never a dead end.
 */

/** One sandbox this browser holds: its module, kind and session. */
export interface HeldSession {
  module: string;
  kind: SandboxKind;
  session: StoredSession;
}

const KEY = /^dockyard:session:([^:]+):(docker|python)$/;

/** The sandboxes stored in `store` other than the one under `exceptKey`, oldest first. */
export function storedSessions(store: ListableStore, exceptKey: string): HeldSession[] {
  const held: HeldSession[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    const match = key && key !== exceptKey ? KEY.exec(key) : null;
    if (!match) continue;
    const [, module, kind] = match as unknown as [string, string, SandboxKind];
    const session = new SessionClient(kind, module, store).stored();
    if (session) held.push({ module, kind, session });
  }
  return held.sort((a, b) => (a.session.createdAt ?? 0) - (b.session.createdAt ?? 0));
}

/** Those of `held` the server still runs; the ones it ended are forgotten. */
export async function liveSessions(store: ListableStore, held: readonly HeldSession[]): Promise<HeldSession[]> {
  const live: HeldSession[] = [];
  for (const h of held) {
    const client = new SessionClient(h.kind, h.module, store);
    const alive = await client.validate(h.session).catch(() => true);
    if (alive) live.push(h);
    else client.forget();
  }
  return live;
}

/** Ends a held sandbox, as its End button does. */
export function endHeld(store: KeyValueStore, held: HeldSession): Promise<boolean> {
  return new SessionClient(held.kind, held.module, store).end(held.session);
}

/** How the student sees a held sandbox: "Images · Docker sandbox, started 12 min ago". */
export function describeHeld(held: HeldSession, now = Date.now()): string {
  const name = held.session.label ?? held.module.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  const kind = held.kind === 'docker' ? 'Docker sandbox' : 'Python sandbox';
  const started = held.session.createdAt;
  if (started === undefined) return `${name} · ${kind}`;
  const minutes = Math.max(0, Math.round((now - started) / 60_000));
  return `${name} · ${kind}, started ${minutes < 1 ? 'just now' : `${minutes} min ago`}`;
}

/** The module's name as the page's sidebar shows it, if it lists the module. */
export function moduleLabel(doc: Document, module: string): string | undefined {
  const link = doc.querySelector(`nav[aria-label="Main"] a[href^="/${CSS.escape(module)}/"]`);
  const summary = link?.closest('details')?.querySelector('summary');
  return summary?.textContent?.replace(/\s+/g, ' ').trim() || undefined;
}
