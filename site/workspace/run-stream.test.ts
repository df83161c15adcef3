import { describe, expect, it } from 'vitest';
import { readRunStream, RunStreamParser, type RunEvent } from './run-stream.ts';

describe('RunStreamParser', () => {
  it('gives each event as soon as its line is complete, whatever the pieces', () => {
    const events: RunEvent[] = [];
    const parser = new RunStreamParser((e) => events.push(e));
    parser.push('{"type":"start","entry":"main.py","timeLimitMs":20000}\n{"type":"out');
    expect(events).toEqual([{ type: 'start', entry: 'main.py', timeLimitMs: 20000 }]);
    parser.push('put","stream":"stdout","data":"tick 1\\n"}\n');
    expect(events.at(-1)).toEqual({ type: 'output', stream: 'stdout', data: 'tick 1\n' });
    parser.push('{"type":"end","reason":"exited","exitCode":0,"wallMs":12}');
    expect(events).toHaveLength(2);
    parser.end();
    expect(events.at(-1)).toEqual({ type: 'end', reason: 'exited', exitCode: 0, wallMs: 12 });
  });

  it('skips blank lines, broken lines and objects that are not events', () => {
    const events: RunEvent[] = [];
    const parser = new RunStreamParser((e) => events.push(e));
    parser.push('\n\nnot json\n{"type":"output","stream":"elsewhere","data":"x"}\n{"type":"nope"}\n[]\n');
    parser.push('{"type":"output","stream":"stderr","data":"oops"}\n');
    expect(events).toEqual([{ type: 'output', stream: 'stderr', data: 'oops' }]);
  });
});

describe('readRunStream', () => {
  it('reads a body whose pieces split a line and a UTF-8 character', async () => {
    const bytes = new TextEncoder().encode('{"type":"output","stream":"stdout","data":"café ☕"}\n{"type":"end","reason":"timeout","exitCode":null,"wallMs":5}\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside "é"
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut, cut + 7));
        controller.enqueue(bytes.slice(cut + 7));
        controller.close();
      },
    });
    const events: RunEvent[] = [];
    await readRunStream(body, (e) => events.push(e));
    expect(events).toEqual([
      { type: 'output', stream: 'stdout', data: 'café ☕' },
      { type: 'end', reason: 'timeout', exitCode: null, wallMs: 5 },
    ]);
  });
});
