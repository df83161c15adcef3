import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../sandbox-server/contract/verdict.ts';
import { expectGolden, goldenCases } from './golden.ts';

const verdict = (over: Partial<Verdict> = {}): Verdict => ({
  version: 3,
  status: 'fail',
  message: '1 of 2 checks passed.',
  tests: [
    { name: 'a', status: 'pass' },
    { name: 'b', status: 'fail', message: 'took 3.0 s', hint: 'Use gather.' },
  ],
  score: 1,
  max_score: 2,
  resources: { wall_ms: 5, exit_code: 0, oom_killed: false, output_truncated: false },
  ...over,
});

describe('golden checker cases', () => {
  it('reads every case folder of a checker, with its submission and check program', () => {
    const cases = goldenCases('python-checker');
    const names = cases.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['gather/blocking', 'gather/broken', 'gather/right', 'gather/wrong']));
    expect(names).toEqual([...names].sort());
    const blocking = cases.find((c) => c.name === 'gather/blocking')!;
    expect(Object.keys(blocking.files)).toEqual(['main.py']);
    expect(blocking.checkProgram).toContain('@check(');
    const terminal = goldenCases('terminal-checker').find((c) => c.name === 'right')!;
    expect(Object.keys(terminal.files)).toEqual(['commands.sh']);
  });

  it('compares exact text and /patterns/, and fails on any difference', () => {
    const expected = {
      status: 'fail' as const,
      error_kind: null,
      score: 1,
      max_score: 2,
      message: '/^1 of 2/',
      tests: [
        { name: 'a', status: 'pass' as const },
        { name: 'b', status: 'fail' as const, message: '/took \\d\\.\\d s/', hint: 'Use gather.' },
      ],
    };
    expectGolden(verdict(), expected);
    expect(() => expectGolden(verdict({ score: 2 }), expected)).toThrow();
    expect(() => expectGolden(verdict({ error_kind: 'runtime' }), expected)).toThrow();
    expect(() => expectGolden(verdict({ tests: [{ name: 'a', status: 'pass' }] }), expected)).toThrow();
    expect(() => expectGolden(verdict({ message: '2 of 2 checks passed.' }), expected)).toThrow();
  });
});
