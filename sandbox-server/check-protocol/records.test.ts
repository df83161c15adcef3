import { describe, expect, it } from 'vitest';
import { parseRecord } from './records.ts';

describe('harness records (docs/check-protocol.md)', () => {
  it('reads each record the harness writes', () => {
    expect(parseRecord('{"type":"start","protocol":1}')).toEqual({ type: 'start', protocol: 1 });
    expect(parseRecord('{"type":"plan","names":["a","b"]}')).toEqual({ type: 'plan', names: ['a', 'b'] });
    expect(parseRecord('{"type":"test","name":"a","status":"fail","message":"m","hint":"h","output":"o"}')).toEqual({
      type: 'test',
      name: 'a',
      status: 'fail',
      message: 'm',
      hint: 'h',
      output: 'o',
    });
    expect(parseRecord('{"type":"error","kind":"syntax","message":"bad","output":null}')).toEqual({
      type: 'error',
      kind: 'syntax',
      message: 'bad',
      output: null,
    });
    expect(parseRecord('{"type":"end","passed":1,"total":2}')).toEqual({ type: 'end', passed: 1, total: 2 });
  });

  it('keeps a record with an unknown status or kind as error or internal, and ignores what is not a record', () => {
    expect(parseRecord('{"type":"test","name":"a","status":"maybe"}')).toMatchObject({ status: 'error' });
    expect(parseRecord('{"type":"error","kind":"weird"}')).toMatchObject({ kind: 'internal' });
    for (const line of ['not json', '{"type":"verdict","status":"pass"}', '{"type":"plan","names":"a"}', '[]']) {
      expect(parseRecord(line)).toBeUndefined();
    }
  });
});
