import { describe, expect, it } from 'vitest';
import type { Verdict } from '../contract/verdict.ts';
import { UnsupportedKindError } from '../checkers/errors.ts';
import { gradeBatch, progressLine, type Submission } from './grade-batch.ts';
import { createLimiter } from './limiter.ts';

const resources = { wall_ms: 1, exit_code: 0, oom_killed: false, output_truncated: false };
const pass: Verdict = { version: 3, status: 'pass', tests: [{ name: 't', status: 'pass' }], score: 1, max_score: 1, resources };
const internal: Verdict = { version: 3, status: 'error', error_kind: 'internal', message: 'engine hiccup', tests: [], score: 0, max_score: 0, resources };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sub = (student: string, files: Record<string, string> = { 'main.py': student }): Submission => ({ student, files });

describe('gradeBatch', () => {
  it('grades in student order with at most N at once, whatever order checks finish in', async () => {
    let running = 0;
    let peak = 0;
    const started: string[] = [];
    const done: string[] = [];
    const results = await gradeBatch(
      ['e', 'b', 'd', 'a', 'c', 'f'].map((s) => sub(s)),
      async (files) => {
        started.push(files['main.py']!);
        peak = Math.max(peak, ++running);
        await sleep(files['main.py'] === 'a' ? 30 : 5);
        running--;
        return pass;
      },
      { concurrency: 2, onResult: (r, n, total) => done.push(`${n}/${total} ${r.student}`) },
    );
    expect(peak).toBe(2);
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(results.map((r) => r.student)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(done.at(-1)).toMatch(/^6\/6 /);
    expect(results.every((r) => r.graded && r.graded_at)).toBe(true);
  });

  it('gives broken submissions their own error verdict without running them', async () => {
    const ran: string[] = [];
    const results = await gradeBatch(
      [sub('ok'), sub('escape', { '../x.py': '' }), sub('many', Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}.py`, '']))), { student: 'unreadable', problem: '"a.py": cannot be read (EACCES)' }],
      async (files) => (ran.push(Object.keys(files).join()), pass),
    );
    expect(ran).toEqual(['main.py']);
    const by = Object.fromEntries(results.map((r) => [r.student, r]));
    expect(by.escape!.verdict).toMatchObject({ status: 'error', error_kind: 'runtime', message: expect.stringContaining('".." is not allowed') });
    expect(by.many!.verdict.message).toContain('too many files');
    expect(by.unreadable!.verdict.message).toContain('EACCES');
    expect(results.every((r) => r.graded)).toBe(true);
  });

  it('retries an internal failure once, and records a second one as not graded', async () => {
    const calls: Record<string, number> = {};
    const retried: string[] = [];
    const results = await gradeBatch(
      [sub('flaky'), sub('dead'), sub('thrower')],
      async (files) => {
        const who = files['main.py']!;
        calls[who] = (calls[who] ?? 0) + 1;
        if (who === 'thrower') throw new Error('socket hang up');
        if (who === 'dead' || calls[who] === 1) return internal;
        return pass;
      },
      { onRetry: (s) => retried.push(s) },
    );
    expect(calls).toEqual({ flaky: 2, dead: 2, thrower: 2 });
    expect(retried).toEqual(['dead', 'flaky', 'thrower']);
    const by = Object.fromEntries(results.map((r) => [r.student, r]));
    expect(by.flaky).toMatchObject({ graded: true, attempts: 2, verdict: { status: 'pass' } });
    expect(by.dead).toMatchObject({ graded: false, graded_at: null, verdict: { error_kind: 'internal' } });
    expect(by.thrower!.verdict.message).toContain('socket hang up');
    expect(progressLine(by.dead!, 1, 3)).toContain('NOT GRADED');
    expect(progressLine(by.flaky!, 2, 3)).toMatch(/^\[2\/3\] flaky: pass 1\/1 \(\d+\.\d s\)$/);
  });

  it('stops the batch when the exercise kind cannot be checked', async () => {
    let calls = 0;
    const batch = gradeBatch([sub('a'), sub('b'), sub('c')], async () => {
      calls++;
      throw new UnsupportedKindError('dockerfile');
    });
    await expect(batch).rejects.toBeInstanceOf(UnsupportedKindError);
    expect(calls).toBe(1);
  });

  it('refuses duplicate students and bad concurrency', async () => {
    await expect(gradeBatch([sub('a'), sub('a')], async () => pass)).rejects.toThrow(/twice/);
    expect(() => createLimiter(0)).toThrow(RangeError);
  });
});
