import { describe, expect, it } from 'vitest';
import { HintSteps } from './hints.ts';

describe('HintSteps', () => {
  it('reveals the hints one at a time and says which comes next', () => {
    const steps = new HintSteps(3, 0);
    expect(steps.label()).toBe('Show a hint, 1 of 3');
    expect(steps.next()).toBe(0);
    expect(steps.label()).toBe('Show a hint, 2 of 3');
    expect(steps.next()).toBe(1);
    expect(steps.next()).toBe(2);
    expect(steps.done).toBe(true);
    expect(steps.label()).toBeUndefined();
    expect(steps.next()).toBeUndefined();
    expect(steps.summary()).toBe('All 3 hints are shown.');
  });

  it('starts from what was revealed before, within bounds', () => {
    expect(new HintSteps(3, 2).label()).toBe('Show a hint, 3 of 3');
    expect(new HintSteps(3, 7).shown).toBe(3);
    expect(new HintSteps(2, -1).shown).toBe(0);
    expect(new HintSteps(1, 1).summary()).toBe('The one hint is shown.');
  });
});
