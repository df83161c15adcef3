import { describe, expect, it } from 'vitest';
import { verdictFromRecords } from './verdict-from-records.ts';

const facts = { stop: 'end-record' as const, exitCode: null, wallMs: 10, oomKilled: false };
const rec = (o: object) => JSON.stringify(o);
const plan = rec({ type: 'plan', names: ['a', 'b'] });

describe('verdictFromRecords', () => {
  it('all checks passed → pass with full score', () => {
    const lines = [plan, rec({ type: 'test', name: 'a', status: 'pass' }), rec({ type: 'test', name: 'b', status: 'pass' }), rec({ type: 'end' })];
    expect(verdictFromRecords(lines, facts)).toMatchObject({ status: 'pass', score: 2, max_score: 2 });
  });

  it('a failing check → fail, keeping message, hint and output ≤ 500', () => {
    const lines = [plan, rec({ type: 'test', name: 'a', status: 'fail', message: 'm', hint: 'h', output: 'o'.repeat(900) }), rec({ type: 'test', name: 'b', status: 'pass' }), rec({ type: 'end' })];
    const v = verdictFromRecords(lines, facts);
    expect(v).toMatchObject({ status: 'fail', score: 1, max_score: 2, tests: [{ name: 'a', message: 'm', hint: 'h' }, { name: 'b' }] });
    expect(v.tests[0]?.output).toHaveLength(500);
  });

  it('an error record wins; unknown kinds become internal', () => {
    expect(verdictFromRecords([rec({ type: 'error', kind: 'syntax', message: 'bad' })], facts)).toMatchObject({ status: 'error', error_kind: 'syntax', message: 'bad' });
    expect(verdictFromRecords([rec({ type: 'error', kind: 'weird' })], facts)).toMatchObject({ error_kind: 'internal' });
  });

  it('host facts override: output limit, OOM, timeout', () => {
    expect(verdictFromRecords([plan], { ...facts, stop: 'output_limit' })).toMatchObject({ error_kind: 'output_limit', resources: { output_truncated: true } });
    expect(verdictFromRecords([plan], { ...facts, stop: 'exited', oomKilled: true })).toMatchObject({ error_kind: 'memory' });
    expect(verdictFromRecords([plan], { ...facts, stop: 'timeout' })).toMatchObject({ error_kind: 'timeout', max_score: 2 });
  });

  it('exit without an end record is never a pass', () => {
    const lines = [plan, rec({ type: 'test', name: 'a', status: 'pass' })];
    expect(verdictFromRecords(lines, { ...facts, stop: 'exited', exitCode: 0 })).toMatchObject({ status: 'error', error_kind: 'runtime', score: 1, max_score: 2 });
    expect(verdictFromRecords([], { ...facts, stop: 'exited', exitCode: 1 })).toMatchObject({ status: 'error', error_kind: 'internal' });
  });

  it('sums the phase records by name into resources.phases_ms, and leaves it out without any', () => {
    const phase = (name: string, ms: number) => rec({ type: 'phase', name, ms });
    const lines = [plan, phase('build', 900), phase('wait for http', 40), phase('build', 100), rec({ type: 'test', name: 'a', status: 'pass' }), phase('__proto__', 5), rec({ type: 'test', name: 'b', status: 'pass' }), rec({ type: 'end' })];
    const v = verdictFromRecords(lines, facts);
    expect(v).toMatchObject({ status: 'pass', resources: { phases_ms: { build: 1000, 'wait for http': 40 } } });
    expect(Object.getPrototypeOf(v.resources.phases_ms)).toBe(Object.prototype);
    expect(verdictFromRecords([plan, rec({ type: 'end' })], facts).resources).not.toHaveProperty('phases_ms');
  });

  it('ignores garbage lines; zero checks is a fail', () => {
    expect(verdictFromRecords(['not json', rec({ type: 'plan', names: [] }), rec({ type: 'end' })], facts)).toMatchObject({ status: 'fail', max_score: 0 });
  });
});
