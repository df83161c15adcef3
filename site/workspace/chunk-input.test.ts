import { describe, expect, it } from 'vitest';
import { chunkInput, MAX_INPUT_FRAME_BYTES } from './chunk-input.ts';

const join = (chunks: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(chunks));

describe('chunkInput', () => {
  it('sends small input as one frame and nothing for empty input', () => {
    expect(chunkInput('ls\r').map((c) => [...c])).toEqual([[108, 115, 13]]);
    expect(chunkInput('')).toEqual([]);
  });
  it('splits a large paste into frames of at most 64 KiB that rejoin exactly', () => {
    const paste = 'x'.repeat(MAX_INPUT_FRAME_BYTES * 3 + 17);
    const chunks = chunkInput(paste);
    expect(chunks.map((c) => c.length)).toEqual([65_536, 65_536, 65_536, 17]);
    expect(join(chunks)).toBe(paste);
  });
  it('never cuts a multi-byte character in two', () => {
    const text = 'aé€😀'.repeat(1000);
    const chunks = chunkInput(text, 7);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(7);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(chunk)).not.toThrow();
    }
    expect(join(chunks)).toBe(text);
  });
});
