/** The Dockyard HTTP API as the bench drives it: create, end sessions and read health. */
import type { Health } from '../sandbox-server/http/health.ts';
import type { SandboxKind } from '../sandbox-server/docker/driver.ts';
import { waitUntil } from './timing.ts';

/** A session the bench created (the token is needed to end it). */
export interface BenchSession {
  baseUrl: string;
  id: string;
  token: string;
  kind: SandboxKind;
}

const REQUEST_TIMEOUT_MS = 120_000;

/** POST /api/sessions; resolves once the server answered 201 with the session, throws otherwise. */
export async function createSession(baseUrl: string, kind: SandboxKind): Promise<BenchSession> {
  const res = await fetch(new URL('api/sessions', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /api/sessions {kind: ${kind}} answered ${res.status}: ${text.slice(0, 500)}`);
  const body = JSON.parse(text) as { id: string; token: string };
  return { baseUrl, id: body.id, token: body.token, kind };
}

/** DELETE /api/sessions/:id with the session's token; 204 and 404 (already gone) are fine. */
export async function deleteSession(session: BenchSession): Promise<void> {
  const res = await fetch(new URL(`api/sessions/${session.id}`, session.baseUrl), {
    method: 'DELETE',
    headers: { authorization: `Bearer ${session.token}` },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  await res.arrayBuffer();
  if (res.status !== 204 && res.status !== 404) throw new Error(`DELETE /api/sessions/${session.id} answered ${res.status}`);
}

/** GET /api/health. */
export async function getHealth(baseUrl: string): Promise<Health> {
  const res = await fetch(new URL('api/health', baseUrl), { signal: AbortSignal.timeout(10_000) });
  return (await res.json()) as Health;
}

/** Waits until the server's session service runs (health lists `sandboxes`). */
export async function waitForSessionService(baseUrl: string, timeoutMs = 120_000): Promise<Health> {
  let health: Health | undefined;
  await waitUntil(
    async () => {
      health = await getHealth(baseUrl);
      return health.sandboxes !== undefined;
    },
    'the session service to start (health.sandboxes)',
    timeoutMs,
  );
  return health!;
}

/** Waits until the warm pool of `kind` holds at least `count` ready sandboxes; `checkpoint` may throw to stop waiting. */
export async function waitForWarm(baseUrl: string, kind: SandboxKind | 'check', count = 1, checkpoint = () => {}, timeoutMs = 120_000): Promise<void> {
  await waitUntil(
    async () => {
      checkpoint();
      return ((await getHealth(baseUrl)).sandboxes?.warm[kind] ?? 0) >= count;
    },
    `health to show warm.${kind} >= ${count}`,
    timeoutMs,
    50,
  );
}
