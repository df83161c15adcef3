import { describe, expect, it } from 'vitest';
import { clampSplit, SPLIT, splitAfterKey } from './split.ts';

describe('the lesson / workspace split', () => {
  it('stays within bounds; anything unreadable is the default', () => {
    expect(clampSplit(10)).toBe(SPLIT.min);
    expect(clampSplit('95')).toBe(SPLIT.max);
    expect(clampSplit('42.34%')).toBe(42.3);
    expect(clampSplit('wide')).toBe(SPLIT.initial);
    expect(clampSplit(null)).toBe(SPLIT.initial);
  });

  it('moves with the arrow keys, jumps with Home and End, and resets with Enter', () => {
    expect(splitAfterKey(50, 'ArrowLeft')).toBe(48);
    expect(splitAfterKey(50, 'ArrowRight')).toBe(52);
    expect(splitAfterKey(SPLIT.max, 'ArrowRight')).toBe(SPLIT.max);
    expect(splitAfterKey(50, 'Home')).toBe(SPLIT.min);
    expect(splitAfterKey(50, 'End')).toBe(SPLIT.max);
    expect(splitAfterKey(61, 'Enter')).toBe(SPLIT.initial);
    expect(splitAfterKey(50, 'a')).toBeUndefined();
  });
});
