import { describe, expect, it } from 'vitest';
import { sandboxCheckWallMs } from './limits.ts';

describe('sandboxCheckWallMs', () => {
  it('keeps the 60 s default unless the exercise asks for more', () => {
    expect(sandboxCheckWallMs(undefined)).toBe(60_000);
    expect(sandboxCheckWallMs(20)).toBe(60_000);
    expect(sandboxCheckWallMs(90)).toBe(90_000);
  });
});
