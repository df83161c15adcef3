import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { zipDrafts } from './download.ts';

describe('zipDrafts', () => {
  it('puts every file under a folder named for the exercise', async () => {
    const zip = await zipDrafts('compose-hit-counter', { 'compose.yaml': 'services: {}\n', 'app/main.py': 'print("hi")\n' });
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(['compose-hit-counter/app/main.py', 'compose-hit-counter/compose.yaml']);
    expect(strFromU8(files['compose-hit-counter/compose.yaml']!)).toBe('services: {}\n');
  });
});
