import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../support/server.ts';
import { openTerminal, type TerminalClient } from '../support/terminal-client.ts';
import { rss } from '../support/security.ts';

/** Attacks over HTTP and the terminal WebSocket, against a server started as `npm start` starts it. */
interface Created {
  id: string;
  token: string;
}

describe('attacks over HTTP and the terminal', () => {
  let server: RunningServer;
  const sessions: Created[] = [];

  const api = (path: string, init: RequestInit = {}) => fetch(new URL(`api/${path}`, server.url), init);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  async function createSession(): Promise<Created> {
    const res = await api('sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"python"}' });
    expect(res.status).toBe(201);
    const s = (await res.json()) as Created;
    sessions.push(s);
    return s;
  }
  /** Waits for the shell prompt, then for the output of one command. */
  async function answers(term: TerminalClient): Promise<void> {
    const from = term.output().length;
    const tag = randomBytes(4).toString('hex');
    term.type(`echo alive-$((0x${tag}))\r`);
    await term.waitFor(`alive-${parseInt(tag, 16)}`, 30_000, from);
  }
  const healthy = async () => (await api('health')).status === 200;

  beforeAll(async () => {
    server = await startServer({ DOCKYARD_SKIP_IMAGES: '1', DOCKYARD_POOL_DOCKER: '0', DOCKYARD_POOL_PYTHON: '1', DOCKYARD_MAX_SESSIONS_PER_CLIENT: '10' }, { sandboxes: true });
  });
  afterAll(async () => {
    for (const s of sessions) await api(`sessions/${s.id}`, { method: 'DELETE', headers: bearer(s.token) }).catch(() => {});
    await server?.stop();
  });

  it('guessing ids and tokens gets nothing: 404 for ids, 401 for tokens, and a wrong token ends nothing', async () => {
    const a = await createSession();
    const b = await createSession();
    // 200 well-formed guesses (the shape of real ids: 16 random bytes, base64url).
    for (let i = 0; i < 200; i++) {
      const guess = randomBytes(16).toString('base64url');
      const res = await api(`sessions/${guess}`, { headers: bearer(a.token) });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('session_not_found');
    }
    for (const token of [b.token, randomBytes(32).toString('base64url'), '', a.token.slice(0, -1)]) {
      const res = await api(`sessions/${a.id}`, { headers: bearer(token) });
      expect(res.status, `token "${token.slice(0, 6)}…"`).toBe(401);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'unauthorized' });
      const del = await api(`sessions/${a.id}`, { method: 'DELETE', headers: bearer(token) });
      expect(del.status).toBe(401);
    }
    expect((await api(`sessions/${a.id}`, { headers: bearer(a.token) })).status).toBe(200);
  });

  it('answers wrong types in control frames with an error frame, and the shell lives on', async () => {
    const s = await createSession();
    const term = await openTerminal(server.url, s.id, s.token);
    await term.waitFor('$');
    const errors: string[] = [];
    term.ws.on('message', (data, isBinary) => {
      if (!isBinary) errors.push(String(data));
    });
    const bad = [
      '{"type":"resize","cols":"80","rows":24}',
      '{"type":"resize","cols":1e9,"rows":24}',
      '{"type":"resize","cols":-1,"rows":24}',
      '{"type":"input","data":42}',
      '{"type":"exec","cmd":"id"}',
      '[]',
      'null',
      '{"type":',
    ];
    for (const frame of bad) term.ws.send(frame);
    await expect.poll(() => errors.length, { timeout: 10_000 }).toBe(bad.length);
    for (const e of errors) expect(JSON.parse(e)).toEqual({ type: 'error', message: 'unknown control frame' });
    await answers(term);
    await term.close();
  });

  it('takes a 10 MB paste with bounded memory, refuses one 10 MB frame, and the terminal still answers', async () => {
    const s = await createSession();
    const term = await openTerminal(server.url, s.id, s.token);
    await term.waitFor('$');
    term.type('stty -echo; wc -c; stty echo\r');
    await new Promise((r) => setTimeout(r, 500));
    const before = rss(server.pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(server.pid))), 50);
    // 10 MiB of 100-byte lines, in the 1 MiB frames a browser sends a big paste in.
    const line = `${'x'.repeat(99)}\n`;
    const frame = Buffer.from(line.repeat((1024 * 1024) / 100));
    const total = frame.length * 10;
    const started = Date.now();
    for (let i = 0; i < 10; i++) term.ws.send(frame, { binary: true });
    term.type('\x04');
    await term.waitFor(new RegExp(`\\b${total}\\b`), 120_000);
    clearInterval(sampler);
    console.log(`[paste] ${total} bytes through the terminal in ${Date.now() - started} ms; server RSS ${Math.round(before / 1048576)} → peak ${Math.round(peak / 1048576)} MiB`);
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
    await answers(term);

    // One frame over the 1 MiB limit closes that connection (1009), nothing else.
    const closed = new Promise<number>((resolve) => term.ws.once('close', (code) => resolve(code)));
    term.ws.send(Buffer.alloc(10 * 1024 * 1024, 0x61), { binary: true });
    expect(await closed).toBe(1009);
    expect(await healthy()).toBe(true);
    const again = await openTerminal(server.url, s.id, s.token);
    await again.waitFor('$');
    await answers(again);
    await again.close();
  }, 180_000);

  it('survives a resize storm: thousands of resizes are throttled, the last one wins, the server stays responsive', async () => {
    const s = await createSession();
    const term = await openTerminal(server.url, s.id, s.token);
    await term.waitFor('$');
    // A program in the foreground counts the window-size signals it gets while the storm blows.
    term.type(`python3 -c "import signal, time; n = [0]; signal.signal(signal.SIGWINCH, lambda *a: n.__setitem__(0, n[0] + 1)); print('counting'); time.sleep(6); print('winch', n[0])"\r`);
    await term.waitFor(/^counting/m);
    const before = rss(server.pid);
    const started = Date.now();
    for (let i = 0; i < 5000; i++) term.send({ type: 'resize', cols: 20 + (i % 200), rows: 10 + (i % 40) });
    term.send({ type: 'resize', cols: 123, rows: 45 });
    // The API answers during the storm.
    const probe = Date.now();
    expect(await healthy()).toBe(true);
    const healthMs = Date.now() - probe;
    const counted = await term.waitFor(/winch (\d+)/, 30_000);
    const signals = Number(counted.match(/winch (\d+)/)?.[1]);
    const from = term.output().length;
    term.type('stty size\r');
    await term.waitFor('45 123', 30_000, from);
    console.log(`[resize] 5001 resizes sent in ${Date.now() - started} ms reached the shell as ${signals} size changes; /api/health answered in ${healthMs} ms`);
    // At most one resize per 100 ms reaches the sandbox: a few dozen over the storm, never thousands.
    expect(signals).toBeGreaterThan(0);
    expect(signals).toBeLessThan(200);
    expect(healthMs).toBeLessThan(5000);
    expect(rss(server.pid) - before).toBeLessThan(64 * 1024 * 1024);
    await term.close();
  }, 120_000);

  it('a raw WebSocket without a token, or with a guessed one, is refused before any shell starts', async () => {
    const s = await createSession();
    const statusOf = (query: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(new URL(`api/sessions/${s.id}/terminal${query}`, server.url.replace(/^http/, 'ws')));
        ws.once('open', () => (ws.close(), resolve(101)));
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('error', () => resolve(0));
      });
    expect(await statusOf('')).toBe(401);
    expect(await statusOf(`?token=${randomBytes(32).toString('base64url')}`)).toBe(401);
    expect(await statusOf(`?token=${s.token}`)).toBe(101);
  });
});
