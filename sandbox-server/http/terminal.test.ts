import { describe, expect, it } from 'vitest';
import { originAllowed, parseControlFrame } from './terminal.ts';

describe('terminal control frames', () => {
  it('accepts resize, input and ping', () => {
    expect(parseControlFrame('{"type":"resize","cols":120,"rows":40}')).toEqual({ type: 'resize', cols: 120, rows: 40 });
    expect(parseControlFrame('{"type":"input","data":"ls\\r"}')).toEqual({ type: 'input', data: 'ls\r' });
    expect(parseControlFrame('{"type":"ping"}')).toEqual({ type: 'ping' });
  });

  it('rejects malformed or out-of-range frames', () => {
    for (const text of ['', 'ls', '{"type":"resize","cols":0,"rows":40}', '{"type":"resize","cols":"80","rows":24}', '{"type":"resize","cols":99999,"rows":1}', '{"type":"exec","cmd":"rm"}', 'null']) {
      expect(parseControlFrame(text), text).toBeUndefined();
    }
  });
});

describe('originAllowed', () => {
  it('allows the server own origin, listed origins and non-browser clients', () => {
    expect(originAllowed('http://localhost:4321', 'localhost:4321', [])).toBe(true);
    expect(originAllowed('https://course.example', 'internal:4321', ['https://course.example'])).toBe(true);
    expect(originAllowed(undefined, 'localhost:4321', [])).toBe(true);
  });

  it('refuses other origins', () => {
    expect(originAllowed('http://evil.example', 'localhost:4321', [])).toBe(false);
    expect(originAllowed('http://localhost:9999', 'localhost:4321', [])).toBe(false);
    expect(originAllowed('null', 'localhost:4321', [])).toBe(false);
  });
});
