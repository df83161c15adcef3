import { describe, expect, it } from 'vitest';
import { hashToken, isSessionId, newSessionId, newToken, tokenMatches } from './ids.ts';

describe('session ids and tokens', () => {
  it('carry at least 128 random bits and never repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, newSessionId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(Buffer.from(id, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(Buffer.from(newToken(), 'base64url').length * 8).toBeGreaterThanOrEqual(128);
  });

  it('recognise well-formed ids only', () => {
    expect(isSessionId(newSessionId())).toBe(true);
    expect(isSessionId('../../etc/passwd')).toBe(false);
    expect(isSessionId('')).toBe(false);
  });

  it('match a token against its stored hash only', () => {
    const token = newToken();
    const stored = hashToken(token);
    expect(stored).not.toContain(token);
    expect(tokenMatches(token, stored)).toBe(true);
    expect(tokenMatches(newToken(), stored)).toBe(false);
    expect(tokenMatches(token, 'not-a-hash')).toBe(false);
  });
});
