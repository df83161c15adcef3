import { describe, expect, it } from 'vitest';
import { terminalTheme } from './terminal-theme.ts';

describe('terminalTheme', () => {
  it('follows Starlight: light on light, dark otherwise', () => {
    expect(terminalTheme('light').background).toBe('#fbfcfe');
    expect(terminalTheme('dark').background).toBe('#111318');
    expect(terminalTheme(undefined)).toEqual(terminalTheme('dark'));
    // The light palette overrides xterm's defaults, which are unreadable on white.
    expect(terminalTheme('light').yellow).toBeDefined();
  });
});
