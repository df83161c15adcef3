import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerMembership, shareOf } from '../../sandbox-server/cluster/servers.ts';
import { DatabaseLedger } from '../../sandbox-server/cluster/ledger.ts';
import type { LedgerEntry } from '../../sandbox-server/sessions/ledger.ts';
import { DATABASES, type TestDatabase } from './databases.ts';
import { spawnSync } from 'node:child_process';
import { ownerLabel } from '../../sandbox-server/docker/owner.ts';

/**
 * The ledger two servers share, on the real database (no engine: what is under test is the counting and the
 * hand-over, each server a membership and a ledger on one database, with its own clock).
 */
describe.each(DATABASES)('the session ledger of servers sharing $name', ({ open }) => {
  let test: TestDatabase;
  let now = Date.parse('2026-12-02T03:00:00Z');
  const clock = () => now;
  const server = (id: string, owner: string) => {
    const membership = new ServerMembership(test.database.db, { id, owner, heartbeatMs: 1000, now: clock });
    return { membership, ledger: new DatabaseLedger(test.database.db, membership) };
  };
  const entry = (id: string, clientKey: string): LedgerEntry => ({ id, clientKey, kind: 'docker', createdAt: now, expiresAt: now + 3_600_000 });

  beforeAll(async () => {
    test = await open();
  });
  afterAll(() => test?.dispose());

  it("holds a client to one cap across servers, even when both ask at once, and gives places back", async () => {
    const a = server('a', 'host-a/1');
    const b = server('b', 'host-b/1');
    await Promise.all([a.membership.join('engine-1'), b.membership.join('engine-1')]);
    const asks = await Promise.all([
      a.ledger.reserve(entry('s1', 'user:ada'), 2),
      b.ledger.reserve(entry('s2', 'user:ada'), 2),
      a.ledger.reserve(entry('s3', 'user:ada'), 2),
      b.ledger.reserve(entry('s4', 'user:ada'), 2),
    ]);
    expect(asks.filter(Boolean)).toHaveLength(2);
    expect(await a.ledger.sessionsOf('user:ada')).toHaveLength(2);
    expect(await b.ledger.reserve(entry('s5', 'user:bob'), 2)).toBe(true);
    const held = (await b.ledger.sessionsOf('user:ada')).map((e) => e.id);
    await a.ledger.release(held[0]!);
    expect(await b.ledger.reserve(entry('s6', 'user:ada'), 2)).toBe(true);
    expect(await a.ledger.reserve(entry('s7', 'user:ada'), 2)).toBe(false);
  });

  it("leaves a live server's sessions to it, and hands a gone server's to one server only", async () => {
    const a = server('a', 'host-a/1');
    const b = server('b', 'host-b/1');
    const c = server('c', 'host-c/1');
    await Promise.all([a.membership.join('engine-1'), b.membership.join('engine-1'), c.membership.join('engine-1')]);
    await a.membership.beat();
    expect(await b.ledger.reserve(entry('b-1', 'user:cy'), 3)).toBe(true);
    await b.ledger.attach('b-1', 'sbx-b-1');
    expect(await b.ledger.reserve(entry('b-2', 'user:cy'), 3)).toBe(true); // died creating it: no sandbox, no marker
    expect(await a.ledger.claim('b-1')).toBe('other');
    expect(await a.ledger.claim('nobody-knows')).toBe('unknown');
    expect(a.ledger.liveOwner('host-b/1')).toBe(true);
    expect(a.membership.peers()).toEqual(['a', 'b', 'c']);
    expect(await a.membership.orphansOnEngine()).toBe(false);

    // b stops beating; a and c go on. Three missed beats later b is gone.
    now += 10_500;
    await c.membership.beat();
    await a.membership.beat();
    expect(a.membership.peers()).toEqual(['a', 'c']);
    expect(a.ledger.liveOwner('host-b/1')).toBeUndefined();
    expect(await a.membership.orphansOnEngine()).toBe(true);
    const claims = await Promise.all([a.ledger.claim('b-1'), c.ledger.claim('b-1')]);
    expect([...claims].sort()).toEqual(['held', 'other']);
    // The one that took it holds it from now on; the session b died creating is forgotten.
    const taker = claims[0] === 'held' ? a : c;
    await taker.ledger.tidy(new Set(['b-1']), new Set(['b-1']));
    expect((await a.ledger.sessionsOf('user:cy')).map((e) => [e.id, e.sandboxId])).toEqual([['b-1', 'sbx-b-1']]);
    expect(await taker.ledger.claim('b-1')).toBe('held');
    expect(await a.membership.orphansOnEngine()).toBe(false);

    // b restarted under its id gets back nothing that was taken over, and meets no orphans.
    const b2 = server('b', 'host-b/2');
    await b2.membership.join('engine-1');
    expect(await b2.ledger.claim('b-1')).toBe('other');
  });

  it("takes over at once the sessions of a one-off id whose process on this host has ended", async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const a = server('host:data', ownerLabel());
    const gone = server(`host:data/${dead}`, ownerLabel(dead));
    await Promise.all([a.membership.join('engine-2'), gone.membership.join('engine-2')]);
    expect(await gone.ledger.reserve(entry('g-1', 'user:eve'), 1)).toBe(true);
    // Its heartbeat is fresh, but nothing will ever come back under that id.
    expect(await a.ledger.claim('g-1')).toBe('held');
    // A chosen id is waited for: its server may be restarting.
    const b = server('b-chosen', ownerLabel(dead));
    await b.membership.join('engine-2');
    expect(await b.ledger.reserve(entry('g-2', 'user:eve'), 2)).toBe(true);
    expect(await a.ledger.claim('g-2')).toBe('other');
  });

  it('keeps the tokens a session was given besides its first, until it ends', async () => {
    const a = server('a', 'host-a/1');
    await a.membership.join('engine-1');
    expect(await a.ledger.reserve(entry('t-1', 'user:dee'), 1)).toBe(true);
    await a.ledger.addToken('t-1', 'hash-1');
    await a.ledger.addToken('t-1', 'hash-2');
    expect((await a.ledger.tokens('t-1')).sort()).toEqual(['hash-1', 'hash-2']);
    await a.ledger.release('t-1');
    expect(await a.ledger.tokens('t-1')).toEqual([]);
  });

  it('splits a warm pool evenly over the servers on an engine', () => {
    expect([0, 1, 2].map((n) => shareOf(2, ['a', 'b'], ['a', 'b'][n % 2]!))).toEqual([1, 1, 1]);
    expect(shareOf(1, ['a', 'b'], 'a') + shareOf(1, ['a', 'b'], 'b')).toBe(1);
    expect(shareOf(5, ['a', 'b', 'c'], 'a') + shareOf(5, ['a', 'b', 'c'], 'b') + shareOf(5, ['a', 'b', 'c'], 'c')).toBe(5);
    expect(shareOf(2, [], 'a')).toBe(2);
  });
});
