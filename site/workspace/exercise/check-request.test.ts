import { describe, expect, it } from 'vitest';
import { requestCheck } from './check-request.ts';

const drafts = { submission: () => ({ 'main.py': 'print(1)\n' }) };
const verdict = { version: 3, status: 'pass', tests: [], score: 1, max_score: 1 };

function recorder(answer: () => Promise<Response>) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetchFn = (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return answer();
  };
  return { calls, fetchFn };
}

describe('requestCheck', () => {
  it('sends the drafts of a file exercise', async () => {
    const { calls, fetchFn } = recorder(async () => new Response(JSON.stringify(verdict), { status: 200 }));
    const outcome = await requestCheck({ slug: 'asyncio-gather', kind: 'python', drafts, session: undefined }, fetchFn);
    expect(outcome).toMatchObject({ kind: 'verdict', verdict: { status: 'pass' } });
    expect(calls[0]?.url).toBe('/api/exercises/asyncio-gather/check');
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ files: { 'main.py': 'print(1)\n' } });
  });

  it('sends the live session of a terminal exercise, with its token', async () => {
    const { calls, fetchFn } = recorder(async () => new Response(JSON.stringify(verdict), { status: 200 }));
    await requestCheck({ slug: 'hello-containers', kind: 'terminal', drafts, session: { id: 's1', token: 't1', kind: 'docker' } }, fetchFn);
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ sessionId: 's1' });
    expect((calls[0]?.init?.headers as Record<string, string>).authorization).toBe('Bearer t1');
  });

  it('says why when there is no session yet or no server', async () => {
    const { calls, fetchFn } = recorder(async () => new Response('{}'));
    expect(await requestCheck({ slug: 'x', kind: 'terminal', drafts, session: undefined }, fetchFn)).toMatchObject({ kind: 'http-error', code: 'no_session' });
    expect(calls).toHaveLength(0);
    const down = await requestCheck({ slug: 'x', kind: 'python', drafts, session: undefined }, () => Promise.reject(new Error('connection refused')));
    expect(down).toEqual({ kind: 'network', message: 'The server did not answer (connection refused).' });
  });
});
