import { describe, expect, it } from 'vitest';
import { SessionError } from './errors.ts';
import { SessionManager, type SessionSettings } from './manager.ts';
import { fakeDriver } from '../../tests/support/fake-driver.ts';

const settings: Partial<SessionSettings> = {
  idleMs: 1000,
  ttlMs: 5000,
  maxSessions: 3,
  maxPerClient: 2,
  poolSize: { docker: 0, python: 0 },
};

async function rejection(p: Promise<unknown>): Promise<SessionError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SessionError);
  return err as SessionError;
}

describe('SessionManager', () => {
  it('creates a session with a token shown once and a marker in the engine', async () => {
    const { driver, markers } = fakeDriver();
    const manager = new SessionManager(driver, settings, { now: () => 1_000_000 });
    const created = await manager.create('docker', 'alice');
    expect(created.kind).toBe('docker');
    expect(created.expiresAt).toBe(new Date(1_000_000 + 1000).toISOString());
    expect(markers.has(`dockyard-session-${created.id}`)).toBe(true);
    expect((await manager.authorize(created.id, created.token)).sandbox.kind).toBe('docker');
  });

  it('refuses a client over its cap with 429 and Retry-After', async () => {
    const { driver } = fakeDriver();
    const manager = new SessionManager(driver, settings);
    await manager.create('python', 'alice');
    await manager.create('python', 'alice');
    const err = await rejection(manager.create('python', 'alice'));
    expect(err.code).toBe('too_many_sessions');
    await expect(manager.create('python', 'bob')).resolves.toBeDefined();
  });

  it('counts sessions still being created against the caps', async () => {
    const { driver, live } = fakeDriver({ createDelayMs: 20 });
    const manager = new SessionManager(driver, { ...settings, maxPerClient: 10 });
    const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map((c) => manager.create('docker', c)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as SessionError] : []));
    expect(ok).toHaveLength(3);
    expect(refused.map((e) => e.code)).toEqual(['at_capacity', 'at_capacity']);
    expect(live.size).toBe(3);
  });

  it('leaves nothing behind when a session cannot be recorded', async () => {
    const { driver, live, removed } = fakeDriver({ failMarker: true });
    const manager = new SessionManager(driver, settings);
    const err = await rejection(manager.create('docker', 'alice'));
    expect(err.code).toBe('sandbox_failed');
    expect(live.size).toBe(0);
    expect(removed).toHaveLength(1);
    expect(manager.sessions.size).toBe(0);
    expect(await manager.sessionsOf('alice')).toHaveLength(0);
  });

  it('tells an unknown session (404) from a wrong token (401)', async () => {
    const { driver } = fakeDriver();
    const manager = new SessionManager(driver, settings);
    const created = await manager.create('docker', 'alice');
    await expect(manager.authorize('AAAAAAAAAAAAAAAAAAAAAA', created.token)).rejects.toMatchObject({ code: 'session_not_found' });
    await expect(manager.authorize('../etc', created.token)).rejects.toMatchObject({ code: 'session_not_found' });
    await expect(manager.authorize(created.id, undefined)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(manager.authorize(created.id, 'x'.repeat(43))).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('gives a client its place back when its session ends, and counts re-adopted sessions', async () => {
    const { driver } = fakeDriver();
    const manager = new SessionManager(driver, settings);
    const first = await manager.create('docker', 'alice');
    await manager.create('docker', 'alice');
    await manager.destroy(first.id, 'ended by its owner');
    expect(await manager.sessionsOf('alice')).toHaveLength(1);
    await expect(manager.create('docker', 'alice')).resolves.toBeDefined();
    const marker = { id: 'B'.repeat(22), tokenHash: 'h', kind: 'docker' as const, sandboxId: 's', containerId: 'c', clientKey: 'bob', createdAt: 0, expiresAt: Date.now() + 60_000 };
    await Promise.all([manager.adopt(marker), manager.adopt(marker)]);
    expect(await manager.sessionsOf('bob')).toHaveLength(1);
    expect(manager.sessions.size).toBe(3);
  });

  it('ends idle sessions, keeps touched ones, and ends every session at its hard limit', async () => {
    let now = 0;
    const { driver, live, markers } = fakeDriver();
    const manager = new SessionManager(driver, settings, { now: () => now });
    const idle = await manager.create('docker', 'a');
    const busy = await manager.create('docker', 'b');
    for (now = 0; now <= 4000; now += 500) await manager.authorize(busy.id, busy.token);
    now = 4500;
    expect(await manager.expire()).toEqual([idle.id]);
    expect((await manager.authorize(busy.id, busy.token)).idleExpiresAt).toBe(5000); // never past the hard limit
    now = 5000;
    expect(await manager.expire()).toEqual([busy.id]);
    expect(live.size).toBe(0);
    expect(markers.size).toBe(0);
  });

  it('freezes sandboxes unused for the freeze time, thaws one at its next use, and never freezes when the time is 0', async () => {
    let now = 0;
    const { driver, frozen } = fakeDriver();
    const manager = new SessionManager(driver, { ...settings, idleMs: 60_000, ttlMs: 120_000, freezeIdleMs: 1000 }, { now: () => now });
    const quiet = await manager.create('docker', 'a');
    const typing = await manager.create('docker', 'b');
    const sandboxOf = (id: string) => manager.sessions.get(id)!.sandbox.id;
    now = 600;
    manager.touch(manager.sessions.get(typing.id)!);
    now = 1200;
    expect(await manager.freezeIdle()).toEqual([quiet.id]);
    expect([...frozen]).toEqual([sandboxOf(quiet.id)]);
    expect(await manager.freezeIdle()).toEqual([]); // frozen once
    const session = await manager.authorize(quiet.id, quiet.token);
    expect(session.frozen).toBe(false);
    expect(frozen.size).toBe(0);
    now = 1700;
    manager.used(manager.sessions.get(typing.id)!); // terminal output: not idle either
    now = 2300;
    expect(await manager.freezeIdle()).toEqual([quiet.id]);
    manager.touch(manager.sessions.get(quiet.id)!); // a keystroke thaws without waiting for anything else
    await manager.thaw(manager.sessions.get(quiet.id)!);
    expect(frozen.size).toBe(0);

    const off = new SessionManager(fakeDriver().driver, settings, { now: () => now });
    await off.create('docker', 'c');
    now = 1_000_000;
    expect(await off.freezeIdle()).toEqual([]);
  });
});
