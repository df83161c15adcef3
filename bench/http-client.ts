/** HTTP requests from a chosen loopback address, so one machine can play many students. */
import { request } from 'node:http';

/** What came back: status, headers and body text. */
export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One request to `url` from `localAddress` (e.g. 127.0.0.23): the server sees that address as
 * the client, as it would a student's machine. Rejects on network errors and after `timeoutMs`.
 */
export function requestFrom(
  localAddress: string,
  url: URL,
  { method = 'GET', body, headers = {}, timeoutMs = 120_000 }: { method?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        localAddress,
        agent: false,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname} got no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The loopback address of simulated student `i` (0-based): 127.0.0.10, 127.0.0.11, … */
export function studentAddress(i: number): string {
  if (i < 0 || i > 240) throw new RangeError(`student ${i}: only 241 loopback addresses are used`);
  return `127.0.0.${10 + i}`;
}
