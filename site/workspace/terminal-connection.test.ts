import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TerminalConnection, type ConnectionStatus, type SocketLike } from './terminal-connection.ts';

/** A WebSocket the test drives by hand. */
class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  sent: Array<string | Uint8Array> = [];
  closed: [number | undefined, string | undefined] | undefined;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }
  send(data: string | ArrayBufferView<ArrayBuffer> | ArrayBuffer): void {
    this.sent.push(typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer));
  }
  close(code?: number, reason?: string): void {
    this.closed = [code, reason];
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({});
  }
  texts(): string[] {
    return this.sent.filter((d): d is string => typeof d === 'string');
  }
}

function setup(alive: () => Promise<boolean> = async () => true) {
  const sockets: FakeSocket[] = [];
  const statuses: ConnectionStatus[] = [];
  const output: string[] = [];
  const connection = new TerminalConnection({
    url: (cols, rows) => `ws://x/terminal?cols=${cols}&rows=${rows}`,
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    isSessionAlive: alive,
    onOutput: (bytes) => output.push(new TextDecoder().decode(bytes)),
    onStatus: (s) => statuses.push(s),
    cols: 80,
    rows: 24,
    random: () => 0.5,
    policy: { baseMs: 100, maxMs: 1000, jitter: 0 },
  });
  return { connection, sockets, statuses, output, last: () => sockets[sockets.length - 1]! };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('TerminalConnection', () => {
  it('connects with the size, shows output and sends input as binary frames', () => {
    const t = setup();
    t.connection.start();
    expect(t.last().url).toBe('ws://x/terminal?cols=80&rows=24');
    expect(t.last().binaryType).toBe('arraybuffer');
    t.last().open();
    expect(t.statuses).toEqual(['connecting', 'open']);
    t.last().onmessage?.({ data: new TextEncoder().encode('$ ').buffer });
    t.last().onmessage?.({ data: '{"type":"pong"}' });
    expect(t.output).toEqual(['$ ']);
    t.connection.send('ls\r');
    expect(t.last().sent).toEqual([new TextEncoder().encode('ls\r')]);
  });

  it('sends a big paste in frames of at most 64 KiB', () => {
    const t = setup();
    t.connection.start();
    t.last().open();
    t.connection.send('y'.repeat(200_000));
    expect(t.last().sent.map((d) => (d as Uint8Array).length)).toEqual([65_536, 65_536, 65_536, 3392]);
  });

  it('keeps input typed before the link is up and sends it once open', () => {
    const t = setup();
    t.connection.start();
    t.connection.send('docker ps\r');
    expect(t.last().sent).toEqual([]);
    t.last().open();
    expect(t.last().sent).toEqual([new TextEncoder().encode('docker ps\r')]);
  });

  it('sends resizes as control frames, only when the size changes', () => {
    const t = setup();
    t.connection.start();
    t.last().open();
    t.connection.resize(80, 24);
    t.connection.resize(120, 40);
    expect(t.last().texts()).toEqual(['{"type":"resize","cols":120,"rows":40}']);
  });

  it('pings every 30 s while open, and stops when the link drops', async () => {
    const t = setup();
    t.connection.start();
    t.last().open();
    vi.advanceTimersByTime(60_000);
    expect(t.last().texts()).toEqual(['{"type":"ping"}', '{"type":"ping"}']);
    const first = t.last();
    first.drop();
    vi.advanceTimersByTime(60_000);
    expect(first.texts()).toHaveLength(2);
  });

  it('reconnects with growing delays while the session lives, at the current size', async () => {
    const t = setup();
    t.connection.start();
    t.last().open();
    t.connection.resize(100, 30);
    t.last().drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.statuses.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(99);
    expect(t.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.sockets).toHaveLength(2);
    expect(t.last().url).toBe('ws://x/terminal?cols=100&rows=30');
    t.last().drop(); // fails before opening: the next wait is longer
    await vi.advanceTimersByTimeAsync(199);
    expect(t.sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.sockets).toHaveLength(3);
    t.last().open();
    expect(t.statuses.at(-1)).toBe('open');
    t.last().drop(); // a success resets the backoff
    await vi.advanceTimersByTimeAsync(100);
    expect(t.sockets).toHaveLength(4);
  });

  it('keeps retrying when the session check itself fails (server down)', async () => {
    const t = setup(async () => {
      throw new TypeError('fetch failed');
    });
    t.connection.start();
    t.last().drop();
    await vi.advanceTimersByTimeAsync(100);
    expect(t.sockets).toHaveLength(2);
  });

  it('stops and says expired when the session is gone', async () => {
    const t = setup(async () => false);
    t.connection.start();
    t.last().open();
    t.last().drop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.sockets).toHaveLength(1);
    expect(t.statuses.at(-1)).toBe('expired');
  });

  it('closes for good on dispose, with no reconnect', async () => {
    const t = setup();
    t.connection.start();
    t.last().open();
    t.connection.dispose();
    expect(t.last().closed).toEqual([1000, 'page left']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.sockets).toHaveLength(1);
    expect(t.statuses.at(-1)).toBe('closed');
  });
});
