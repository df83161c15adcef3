import { describe, expect, it } from 'vitest';
import { stateText } from './overview.ts';
import { emptyProgress, withCheck } from './store.ts';

const AT = new Date('2026-01-05T10:00:00.000Z');

describe('stateText', () => {
  it('says how far the student got with an exercise', () => {
    let progress = emptyProgress();
    expect(stateText(progress, 'a')).toEqual({ state: 'todo', text: 'Not started' });
    progress = withCheck(progress, { exercise: 'a', status: 'fail', score: 1, maxScore: 4 }, AT);
    expect(stateText(progress, 'a')).toEqual({ state: 'attempted', text: 'Tried, not passed yet, 1 of 4 points' });
    progress = withCheck(progress, { exercise: 'a', status: 'pass', score: 4, maxScore: 4 }, AT);
    expect(stateText(progress, 'a')).toEqual({ state: 'passed', text: 'Passed, 4 of 4 points' });
  });

  it('leaves the points out when the check gave none', () => {
    const progress = withCheck(emptyProgress(), { exercise: 'a', status: 'error' }, AT);
    expect(stateText(progress, 'a')).toEqual({ state: 'attempted', text: 'Tried, not passed yet' });
  });
});
