import { describe, expect, it } from 'vitest';
import { checkOutcomeOf, verdictView, type VerdictData } from './verdict-view.ts';

const base: VerdictData = { status: 'pass', tests: [], score: 0, max_score: 0 };

describe('verdictView', () => {
  it('a pass: every check, the score, no failure to focus, and the event to dispatch', () => {
    const view = verdictView({
      kind: 'verdict',
      verdict: { ...base, tests: [{ name: 'builds', status: 'pass', hint: 'unused' }, { name: 'runs', status: 'pass' }], score: 2, max_score: 2 },
    });
    expect(view.tone).toBe('pass');
    expect(view.headline).toBe('All 2 checks pass: well done!');
    expect(view.score).toBe('Score: 2 / 2');
    expect(view.firstFailure).toBe(-1);
    expect(view.items.map((i) => [i.name, i.passed, i.hint])).toEqual([['builds', true, undefined], ['runs', true, undefined]]);
    expect(view.event).toEqual({ status: 'pass', score: 2, maxScore: 2 });
  });

  it('a fail: counts what passed, keeps each message and hint, and points at the first failure', () => {
    const view = verdictView({
      kind: 'verdict',
      verdict: {
        ...base,
        status: 'fail',
        tests: [
          { name: 'starts from python:3.11-slim', status: 'pass' },
          { name: 'works in /app', status: 'fail', message: 'WORKDIR is /', hint: 'Add WORKDIR /app.' },
          { name: 'runs as a user', status: 'fail', message: 'runs as root' },
        ],
        score: 1,
        max_score: 3,
      },
    });
    expect(view.tone).toBe('fail');
    expect(view.headline).toBe('1 of 3 checks pass');
    expect(view.firstFailure).toBe(1);
    expect(view.items[1]).toMatchObject({ passed: false, message: 'WORKDIR is /', hint: 'Add WORKDIR /app.' });
    expect(view.event).toEqual({ status: 'fail', score: 1, maxScore: 3 });
  });

  it('an error verdict says plainly what went wrong', () => {
    const view = verdictView({ kind: 'verdict', verdict: { ...base, status: 'error', error_kind: 'timeout', message: 'stopped after 20 s' } });
    expect(view.tone).toBe('error');
    expect(view.headline).toBe('The check stopped with an error');
    // The server's words, once: the panel adds none of its own.
    expect(view.detail).toBe('stopped after 20 s.');
    expect(view.event?.status).toBe('error');
    const syntax = 'The code has a syntax error.\nOutput before the error:\n  File "main.py", line 1';
    expect(verdictView({ kind: 'verdict', verdict: { ...base, status: 'error', error_kind: 'syntax', message: syntax } }).detail).toBe(syntax);
    expect(verdictView({ kind: 'verdict', verdict: { ...base, status: 'error', error_kind: 'syntax' } }).detail).toBe(
      'The check stopped before it could reach a verdict.',
    );
  });

  it('HTTP and network failures are explained, and never reported as a verdict', () => {
    const engine = verdictView({ kind: 'http-error', status: 503, code: 'engine_unavailable', message: 'No Docker engine answers. Start one.' });
    expect(engine.tone).toBe('error');
    expect(engine.detail).toContain('No Docker engine answers. Start one.');
    expect(engine.event).toBeUndefined();
    const bad = verdictView({ kind: 'http-error', status: 400, code: 'invalid_files', message: '"../x": ".." is not allowed' });
    expect(bad.detail).toBe('"../x": ".." is not allowed.');
    const busy = verdictView({ kind: 'http-error', status: 503, code: 'check_failed', message: 'The checker failed: no such container' });
    expect(busy.detail).toBe('Dockyard could not check this right now. The checker failed: no such container. Try again in a moment.');
    const network = verdictView({ kind: 'network', message: 'The server did not answer.' });
    expect(network.headline).toMatch(/could not reach/);
    expect(network.detail).toMatch(/saved in this browser/);
  });
});

describe('checkOutcomeOf', () => {
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('reads a verdict', async () => {
    const verdict = { ...base, tests: [{ name: 'a', status: 'pass' }], score: 1, max_score: 1 };
    expect(await checkOutcomeOf(json(200, verdict))).toEqual({ kind: 'verdict', verdict });
  });

  it('reads the API error shape, with or without a verdict beside it', async () => {
    expect(await checkOutcomeOf(json(404, { error: { code: 'exercise_not_found', message: 'No exercise named x.' } }))).toEqual({
      kind: 'http-error',
      status: 404,
      code: 'exercise_not_found',
      message: 'No exercise named x.',
    });
    const internal = await checkOutcomeOf(json(503, { error: { code: 'check_failed', message: 'the checker failed' }, verdict: base }));
    expect(internal).toMatchObject({ kind: 'http-error', status: 503, code: 'check_failed' });
  });

  it('names the status when the answer is not JSON', async () => {
    expect(await checkOutcomeOf(new Response('<html>', { status: 502 }))).toEqual({
      kind: 'http-error',
      status: 502,
      code: 'http_502',
      message: 'The server answered HTTP 502.',
    });
  });
});
