import WebSocket from 'ws';

/** A terminal WebSocket as a test drives it: type, wait for output, close. */
export interface TerminalClient {
  ws: WebSocket;
  /** Everything received so far, as text. */
  output(): string;
  type(text: string): void;
  send(frame: object): void;
  /** Waits until the output (since `from`) matches `pattern`. */
  waitFor(pattern: RegExp | string, timeoutMs?: number, from?: number): Promise<string>;
  close(): Promise<void>;
}

/** Opens the terminal of session `id` on the server at `baseUrl`. */
export async function openTerminal(
  baseUrl: string,
  id: string,
  token: string,
  opts: { origin?: string; cols?: number; rows?: number; localAddress?: string } = {},
): Promise<TerminalClient> {
  const url = new URL(`api/sessions/${id}/terminal`, baseUrl);
  url.protocol = 'ws:';
  url.searchParams.set('token', token);
  if (opts.cols) url.searchParams.set('cols', String(opts.cols));
  if (opts.rows) url.searchParams.set('rows', String(opts.rows));
  const ws = new WebSocket(url, {
    ...(opts.origin ? { origin: opts.origin } : {}),
    // A loopback address of its own makes the client look like another student to the server.
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
  });
  let text = '';
  const waiters = new Set<() => void>();
  ws.on('message', (data, isBinary) => {
    if (isBinary) text += Buffer.from(data as Buffer).toString('utf8');
    for (const w of waiters) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
  });
  return {
    ws,
    output: () => text,
    type: (t) => ws.send(Buffer.from(t), { binary: true }),
    send: (frame) => ws.send(JSON.stringify(frame)),
    waitFor: (pattern, timeoutMs = 30_000, from = 0) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const seen = text.slice(from);
          const hit = typeof pattern === 'string' ? seen.includes(pattern) : pattern.test(seen);
          if (hit) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(seen);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`terminal never showed ${pattern}; it showed:\n${text.slice(from).slice(-2000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

/** The status an upgrade attempt is refused with, or 101 when it is accepted. */
export async function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers });
  return new Promise<number>((resolve) => {
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}
